import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from './tf-setup';
import { groupNorm } from '../../../../src/main/engine/models/group-norm';

/** Plain-JS GroupNorm over a NHWC array, written from the definition (torch.nn.GroupNorm semantics). */
function referenceGroupNorm(
  x: Float32Array,
  [n, h, w, c]: number[],
  g: number,
  gamma?: Float32Array,
  beta?: Float32Array,
  eps = 1e-5,
): Float64Array {
  const out = new Float64Array(x.length);
  const cpg = c / g;
  const idx = (i: number, y: number, z: number, ch: number) => ((i * h + y) * w + z) * c + ch;
  for (let i = 0; i < n; i++) {
    for (let gi = 0; gi < g; gi++) {
      let sum = 0;
      let count = 0;
      for (let y = 0; y < h; y++)
        for (let z = 0; z < w; z++)
          for (let k = 0; k < cpg; k++) {
            sum += x[idx(i, y, z, gi * cpg + k)];
            count++;
          }
      const mean = sum / count;
      let sq = 0;
      for (let y = 0; y < h; y++)
        for (let z = 0; z < w; z++) for (let k = 0; k < cpg; k++) sq += (x[idx(i, y, z, gi * cpg + k)] - mean) ** 2;
      const variance = sq / count; // biased, as torch
      for (let y = 0; y < h; y++)
        for (let z = 0; z < w; z++)
          for (let k = 0; k < cpg; k++) {
            const ch = gi * cpg + k;
            let v = (x[idx(i, y, z, ch)] - mean) / Math.sqrt(variance + eps);
            if (gamma && beta) v = v * gamma[ch] + beta[ch];
            out[idx(i, y, z, ch)] = v;
          }
    }
  }
  return out;
}

const shape: [number, number, number, number] = [2, 3, 3, 4];
const data = Float32Array.from({ length: 72 }, (_, i) => Math.sin(i * 1.7) * 3 + (i % 5) * 0.4);

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) < tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

test('GroupNorm without affine matches a hand computation', () => {
  const y = tf.tidy(() => groupNorm(tf.tensor4d(data, shape), 2).dataSync());
  assertClose(y, referenceGroupNorm(data, shape, 2));
});

test('GroupNorm with affine gamma/beta matches a hand computation', () => {
  const gamma = Float32Array.from([0.5, -1.2, 2, 0.1]);
  const beta = Float32Array.from([0.3, 0, -0.7, 1.5]);
  const y = tf.tidy(() =>
    groupNorm(tf.tensor4d(data, shape), 2, { gamma: tf.tensor1d(gamma), beta: tf.tensor1d(beta) }).dataSync(),
  );
  assertClose(y, referenceGroupNorm(data, shape, 2, gamma, beta));
});

test('GroupNorm with G = C (instance-norm-like) and G = 1 (layer-norm-like)', () => {
  for (const g of [1, 4]) {
    const y = tf.tidy(() => groupNorm(tf.tensor4d(data, shape), g).dataSync());
    assertClose(y, referenceGroupNorm(data, shape, g));
  }
});

test('GroupNorm rejects a group count that does not divide the channels', () => {
  assert.throws(() => tf.tidy(() => groupNorm(tf.zeros<tf.Rank.R4>([1, 2, 2, 4]), 3)), /groups/);
});

test('GroupNorm gradient matches central differences', () => {
  const x0 = Array.from(data.slice(0, 2 * 2 * 2 * 4));
  const s: [number, number, number, number] = [2, 2, 2, 4];
  const r = tf.tensor4d(
    Float32Array.from({ length: x0.length }, (_, i) => Math.cos(i)),
    s,
  );
  const gamma = tf.tensor1d([1.1, 0.9, -0.5, 2]);
  const beta = tf.tensor1d([0, 0.1, 0.2, 0.3]);
  const f = (x: tf.Tensor) => tf.sum(tf.mul(groupNorm(x as tf.Tensor4D, 2, { gamma, beta }), r));
  const analytic = tf.tidy(() => tf.grad(f)(tf.tensor4d(x0, s)).dataSync());
  const h = 1e-2;
  for (let i = 0; i < x0.length; i++) {
    const plus = x0.slice();
    const minus = x0.slice();
    plus[i] += h;
    minus[i] -= h;
    const numeric = tf.tidy(
      () => (f(tf.tensor4d(plus, s)).dataSync()[0] - f(tf.tensor4d(minus, s)).dataSync()[0]) / (2 * h),
    );
    assert.ok(
      Math.abs(numeric - analytic[i]) < 2e-2 * Math.max(1, Math.abs(numeric)),
      `d/dx[${i}]: ${analytic[i]} vs ${numeric}`,
    );
  }
  tf.dispose([r, gamma, beta]);
});

test('GroupNorm inside tidy leaves no tensors behind', () => {
  const x = tf.tensor4d(data, shape);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    groupNorm(x, 2);
  });
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
});
