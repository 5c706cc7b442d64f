/**
 * Halimi et al.'s pure pieces, by hand: the reference model is the final aggregate without the leaving
 * clients' contributions (the public code's N/(N-1) w_T - 1/(N-1) w_target for one client under a plain
 * mean), the early-stop anchor is the leaving client's own model, delta is a third of the mean squared
 * distance to random models; and the params schema carries the public code's defaults.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { methodSchema } from '../../../../src/shared/method-schemas';
import { meanUpdate } from '../../../../src/main/engine/fl/aggregate';
import { initWeights } from '../../../../src/main/engine/models/init';
import { buildMlp } from '../../../../src/main/engine/models/mlp';
import { createRng } from '../../../../src/main/engine/rng';
import { ballDelta, contributionMean, referenceModel } from '../../../../src/main/engine/unlearning/halimi';

const f32 = (...v: number[]) => Float32Array.from(v);
const close = (a: Float32Array[], b: number[][], tol = 1e-6) =>
  a.forEach((t, i) => t.forEach((v, k) => assert.ok(Math.abs(v - b[i][k]) < tol, `[${i}][${k}] ${v} vs ${b[i][k]}`)));

// Three clients' final local models (two tensors each).
const w1 = [f32(1, 4), f32(2)];
const w2 = [f32(3, 0), f32(4)];
const w3 = [f32(5, 2), f32(0)];

test('plain mean: removing one client gives the mean of the others', () => {
  const global = [f32(3, 2), f32(2)]; // (w1 + w2 + w3) / 3
  close(referenceModel(global, [{ weights: w1, share: 1 / 3 }]), [[4, 1], [2]]);
  // Two leaving clients: what is left is the third one's model.
  close(
    referenceModel(global, [
      { weights: w1, share: 1 / 3 },
      { weights: w2, share: 1 / 3 },
    ]),
    [[5, 2], [0]],
  );
});

test('weighted aggregation: the removed share is the client’s sample share', () => {
  // Samples 1, 1, 2: w_T = w1/4 + w2/4 + w3/2.
  const global = [f32(3.5, 2), f32(1.5)];
  close(referenceModel(global, [{ weights: w3, share: 0.5 }]), [[2, 2], [3]]);
});

test('the public code’s formula on real-size weights: N/(N-1) w_T - 1/(N-1) w_target', () => {
  const specs = buildMlp([4, 4, 1], 3).params;
  const locals = [0, 1, 2, 3, 4].map((s) => initWeights(specs, createRng(s)));
  const global = meanUpdate(locals); // FedAvg of five models from any start is their mean
  const ref = referenceModel(global, [{ weights: locals[0], share: 1 / 5 }]);
  const code = global.map((g, i) => Array.from(g, (v, k) => (5 / 4) * v - (1 / 4) * locals[0][i][k]));
  close(ref, code, 1e-5);
  close(
    ref,
    meanUpdate(locals.slice(1)).map((t) => Array.from(t)),
    1e-5,
  );
  assert.throws(
    () =>
      referenceModel(
        global,
        locals.map((w) => ({ weights: w, share: 1 / 5 })),
      ),
    /whole aggregate/,
  );
});

test('the anchor is the leaving client’s own model, or the share-weighted mean of several', () => {
  const one = contributionMean([{ weights: w2, share: 0.2 }]);
  assert.deepEqual(
    one.map((t) => [...t]),
    [[3, 0], [4]],
  );
  close(
    contributionMean([
      { weights: w1, share: 0.1 },
      { weights: w3, share: 0.3 },
    ]),
    [[4, 2.5], [0.5]],
  );
});

test('delta is a third of the mean squared distance to the random models', () => {
  const ref = [f32(0, 0)];
  assert.equal(ballDelta(ref, [[f32(3, 4)], [f32(0, 1)]]), (25 + 1) / 2 / 3);
  assert.throws(() => ballDelta(ref, []));
});

test('the params schema has the public code’s defaults and rejects what the loop cannot run', () => {
  const m = methodSchema.parse({ id: 'halimi' });
  assert.deepEqual(m, {
    id: 'halimi',
    lr: 0.01,
    momentum: 0.9,
    clipNorm: 5,
    epochs: 5,
    radius: 'random-models',
    randomModels: 10,
    distanceThreshold: 2.2,
  });
  const explicit = methodSchema.parse({ id: 'halimi', radius: 1.5, rounds: 0 });
  assert.ok(explicit.id === 'halimi' && explicit.radius === 1.5 && explicit.rounds === 0);
  for (const bad of [
    { radius: 0 },
    { radius: 'auto' },
    { epochs: 0 },
    { momentum: 1 },
    { distanceThreshold: 0 },
    { extra: 1 },
  ]) {
    assert.equal(methodSchema.safeParse({ id: 'halimi', ...bad }).success, false, JSON.stringify(bad));
  }
});
