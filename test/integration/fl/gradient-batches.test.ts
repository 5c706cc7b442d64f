/**
 * The full-data gradient in batches sized to the model's memory equals the gradient taken in one batch over
 * every example (an independent computation: one variableGrads, no batching, no float64 sum): on VGG-9 with
 * EMNIST-shaped inputs the requested 128 is capped (fl/memory-batch.ts), so 100 examples take two batches.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/main/engine/compute/backend';
import { ClientTrainer } from '../../../src/main/engine/fl/client-trainer';
import { perExampleLoss } from '../../../src/main/engine/fl/losses';
import { gradientBatch } from '../../../src/main/engine/fl/memory-batch';
import { initWeights } from '../../../src/main/engine/models/init';
import { buildModel } from '../../../src/main/engine/models/registry';
import { createRng } from '../../../src/main/engine/rng';

test('a memory-capped gradient equals the one-batch gradient over all examples', async () => {
  await initBackend('wasm');
  const n = 100;
  const shape: [number, number, number] = [28, 28, 1];
  const model = buildModel('vgg9', shape, 47);
  const rng = createRng('gradient-batches');
  const x = Float32Array.from({ length: n * 784 }, () => rng.next());
  const y = Int32Array.from({ length: n }, () => rng.int(47));
  const global = initWeights(model.params, rng.fork('init'));
  const size = gradientBatch(model, 128);
  assert.ok(size < n, `the cap applies (batch ${size} for ${n} examples)`);

  const trainer = new ClientTrainer(model, { x, y });
  const batched = await trainer.gradient(
    global,
    Int32Array.from({ length: n }, (_, i) => i),
    128,
  );
  trainer.dispose();

  const vars = model.params.map((p, i) => tf.variable(tf.tensor(global[i], p.shape)));
  const { value, grads } = tf.variableGrads(
    () =>
      tf.mean<tf.Scalar>(
        perExampleLoss('ce', model.forward(vars, tf.tensor4d(x, [n, ...shape])), tf.tensor1d(y, 'int32')),
      ),
    vars,
  );
  const whole = await Promise.all(vars.map((v) => grads[v.name].data() as Promise<Float32Array>));
  tf.dispose([value, ...Object.values(grads), ...vars]);

  let worst = 0;
  whole.forEach((ref, t) => {
    let diff = 0;
    let scale = 0;
    for (let k = 0; k < ref.length; k++) {
      diff = Math.max(diff, Math.abs(batched[t][k] - ref[k]));
      scale = Math.max(scale, Math.abs(ref[k]));
    }
    assert.ok(scale > 0, `gradient ${t} is not all zero`);
    worst = Math.max(worst, diff / scale);
  });
  // float32 sums in another grouping: agreement to ~1e-6 of the largest entry, far below any real difference.
  assert.ok(worst < 1e-4, `largest relative difference ${worst}`);
});
