/** NoT's defining property: exactly the first layer's weights change sign; nothing else moves before fine-tuning. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCnn } from '../../../../src/main/engine/models/cnn';
import { buildMlp } from '../../../../src/main/engine/models/mlp';
import { buildResNet } from '../../../../src/main/engine/models/resnet';
import { initWeights } from '../../../../src/main/engine/models/init';
import { createRng } from '../../../../src/main/engine/rng';
import { firstLayerTensors, negateTensors } from '../../../../src/main/engine/unlearning/not';

test('the first layer is the first kernel or matrix; its bias only when asked', () => {
  const cnn = buildCnn([28, 28, 1], 10).params;
  assert.deepEqual(firstLayerTensors(cnn, false), [0]);
  assert.equal(cnn[0].name, 'conv1.weight');
  assert.deepEqual(firstLayerTensors(cnn, true), [0, 1]);
  assert.equal(cnn[1].name, 'conv1.bias');
  const mlp = buildMlp([28, 28, 1], 10).params;
  assert.deepEqual(
    firstLayerTensors(mlp, true).map((i) => mlp[i].name),
    ['fc1.weight', 'fc1.bias'],
  );
  // ResNet's stem conv has no bias: only its kernel is negated either way.
  const resnet = buildResNet(18, [8, 8, 3], 10).params;
  const idx = firstLayerTensors(resnet, true);
  assert.equal(idx.length, 1);
  assert.equal(resnet[idx[0]].shape.length, 4);
});

test('negation flips exactly the chosen tensors, element by element; the rest are identical copies', () => {
  const specs = buildCnn([28, 28, 1], 10).params;
  const w = initWeights(specs, createRng(3));
  const out = negateTensors(w, firstLayerTensors(specs, false));
  for (let k = 0; k < w[0].length; k++) assert.equal(out[0][k], -w[0][k]);
  assert.ok(
    w[0].some((v) => v !== 0),
    'the kernel is not all zeros, so the check has teeth',
  );
  for (let t = 1; t < w.length; t++) {
    assert.ok(Buffer.from(out[t].buffer).equals(Buffer.from(w[t].buffer)), `tensor ${t} moved`);
    assert.notEqual(out[t], w[t], 'a copy, not the original array');
  }
  const withBias = negateTensors(w, firstLayerTensors(specs, true));
  assert.ok(withBias[1].every((v, k) => v === -w[1][k]));
});
