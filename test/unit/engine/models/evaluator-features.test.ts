/**
 * The evaluator's penultimate features, times the head's W plus b and softmaxed, equal its own
 * probabilities (computed by the full forward), across batch boundaries and in the order of `indices`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Evaluator } from '../../../../src/main/engine/fl/evaluate';
import { buildModel } from '../../../../src/main/engine/models/registry';
import { initWeights } from '../../../../src/main/engine/models/init';
import { createRng } from '../../../../src/main/engine/rng';
import './tf-setup';

test("features x W + b, softmaxed, equal the evaluator's probabilities on a batch split in two", async () => {
  const model = buildModel('cnn', [28, 28, 1], 10);
  const weights = initWeights(model.params, createRng('features-test'));
  const ev = new Evaluator(model);
  const data = { x: Float32Array.from({ length: 7 * 784 }, (_, i) => ((i * 37) % 255) / 255), y: new Int32Array(7) };
  const idx = Int32Array.from([6, 0, 3, 2, 5]);
  const f = await ev.features(weights, data, idx, 2);
  const probs = await ev.probabilities(weights, data, idx, 2);
  const { weight, bias, inputDim } = model.head;
  assert.equal(f.length, idx.length * inputDim);
  for (let i = 0; i < idx.length; i++) {
    const logits = Array.from({ length: 10 }, (_, c) => {
      let s = weights[bias][c];
      for (let j = 0; j < inputDim; j++) s += f[i * inputDim + j] * weights[weight][j * 10 + c];
      return s;
    });
    const m = Math.max(...logits);
    const z = logits.reduce((s, l) => s + Math.exp(l - m), 0);
    logits.forEach((l, c) =>
      assert.ok(Math.abs(Math.exp(l - m) / z - probs[i * 10 + c]) < 1e-5, `example ${i} class ${c}`),
    );
  }
  ev.dispose();
});
