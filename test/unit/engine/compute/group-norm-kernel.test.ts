/**
 * The fused GroupNorm kernels on wasm (compute/fused-group-norm.ts) against the cpu backend's composition of
 * ops (models/group-norm.ts): the output and the gradients dx, dgamma, dbeta of sum(groupNorm(x) * r), within
 * assertClose's 1e-4 of max(1, max |reference|). Shapes cover batch 1, odd H and W, 4, 8 and 16 channels per
 * group, channel counts that are not multiples of 4 (the JS loops), and inputs with a large mean (the variance
 * is computed centred). IS_TEST makes the engine check every kernel for leaked data ids.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { GROUP_NORM, GROUP_NORM_AFFINE, GROUP_NORM_GRAD } from '../../../../src/main/engine/compute/fused-group-norm';
import {
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
} from '../../../../src/main/engine/compute/wasm-kernels';
import { groupNorm } from '../../../../src/main/engine/models/group-norm';
import { assertClose, onBoth, prng, size, values } from './compare';

interface Case {
  x: [number, number, number, number];
  groups: number;
  affine: boolean;
  shift?: number;
}

const CASES: Case[] = [
  { x: [1, 5, 7, 8], groups: 2, affine: true }, // batch 1, odd H/W, cpg 4
  { x: [2, 5, 7, 16], groups: 2, affine: false }, // cpg 8
  { x: [3, 4, 4, 32], groups: 2, affine: true }, // cpg 16
  { x: [2, 5, 7, 8], groups: 4, affine: true }, // cpg 2: SIMD loops (C % 4 == 0), groups of 2 channels
  { x: [2, 3, 5, 6], groups: 2, affine: true }, // C = 6: JS loops
  { x: [2, 3, 5, 6], groups: 2, affine: false },
  { x: [1, 4, 3, 10], groups: 5, affine: true }, // C = 10, cpg 2: JS loops
  { x: [2, 6, 6, 12], groups: 1, affine: true }, // one group
  { x: [4, 16, 16, 64], groups: 4, affine: true }, // ResNet-18's first stage, smaller batch
  { x: [2, 8, 8, 16], groups: 1, affine: true, shift: 100 }, // large mean
  { x: [2, 5, 7, 32], groups: 4, affine: false, shift: -1000 },
  { x: [1, 5, 7, 6], groups: 3, affine: true, shift: 100 }, // large mean, JS loops
];

const label = (c: Case) => `x=[${c.x}] G=${c.groups} affine=${c.affine} shift=${c.shift ?? 0}`;

/** [y, dx, dgamma, dbeta] (the last two empty without affine) of sum(groupNorm(x) * r). */
function run(c: Case, xv: Float32Array, gv: Float32Array, bv: Float32Array, rv: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.add<tf.Tensor4D>(tf.tensor4d(xv, c.x), c.shift ?? 0);
    const C = c.x[3];
    const r = tf.tensor(rv, c.x);
    const gamma = tf.tensor1d(gv.subarray(0, C));
    const beta = tf.tensor1d(bv.subarray(0, C));
    const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      groupNorm(a as tf.Tensor4D, c.groups, c.affine ? { gamma: g, beta: b } : undefined);
    const y = f(x, gamma, beta);
    if (!c.affine) {
      const [dx] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(f(a, gamma, beta), r)))([x]);
      return [y, dx].map((t) => t.dataSync() as Float32Array);
    }
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, g, b), r)))([
      x,
      gamma,
      beta,
    ]);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

/** Kernel names run by f (tf.profile records each kernel the engine dispatches). */
async function kernelsRun(f: () => tf.TensorContainer): Promise<string[]> {
  const info = await tf.profile(() => f());
  return info.kernels.map((k) => k.name);
}

describe('fused GroupNorm kernels (wasm)', () => {
  before(async () => {
    await initBackend('wasm');
    tf.env().set('IS_TEST', true);
  });

  it('match the cpu composition for y, dx, dgamma and dbeta (relative 1e-4)', async () => {
    const r = prng(1234);
    for (const c of CASES) {
      const n = size(c.x);
      const [xv, gv, bv, rv] = [values(r, n), values(r, c.x[3]), values(r, c.x[3]), values(r, n)];
      for (let i = 0; i < gv.length; i++) gv[i] += 1.5; // gammas around 1, as trained ones are
      const { cpu, wasm } = await onBoth(() => run(c, xv, gv, bv, rv));
      const names = ['y', 'dx', 'dgamma', 'dbeta'];
      assert.equal(wasm.length, c.affine ? 4 : 2);
      wasm.forEach((a, i) => assertClose(a, cpu[i], `${names[i]} ${label(c)}`));
    }
  });

  it('a large mean leaves the normalised output exact to float32 rounding', async () => {
    // Reference in float64 from the definition; the fused kernel on x + 1000, x uniform in [-1, 1). There
    // sum(x^2)/M - mean^2 in float32 would lose the variance (ulp at 1e6 is 0.06, the variance 1/3); a mean
    // held in float32 is within 3e-5 (half an ulp at 1000), so y is within 1e-4.
    const shape: Case['x'] = [2, 6, 6, 8];
    const r = prng(99);
    const xv = Float32Array.from(values(r, size(shape)), (v) => 1000 + v);
    await tf.setBackend('wasm');
    const y = tf.tidy(() => groupNorm(tf.tensor4d(xv, shape), 2).dataSync());
    const [N, H, W, C] = shape;
    const cpg = C / 2;
    const ref = new Float64Array(xv.length);
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < 2; g++) {
        const idx: number[] = [];
        for (let p = 0; p < H * W; p++) for (let k = 0; k < cpg; k++) idx.push((n * H * W + p) * C + g * cpg + k);
        const mean = idx.reduce((s, i) => s + xv[i], 0) / idx.length;
        const variance = idx.reduce((s, i) => s + (xv[i] - mean) ** 2, 0) / idx.length;
        for (const i of idx) ref[i] = (xv[i] - mean) / Math.sqrt(variance + 1e-5);
      }
    }
    assertClose(y, ref, 'y at mean 1000');
  });

  it('dispatch to the fused kernels on wasm, and to the composition once they are unregistered', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal<tf.Rank.R4>([2, 4, 4, 16]);
    const gamma = tf.ones([16]);
    const beta = tf.zeros([16]);
    const step = () =>
      tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(groupNorm(a as tf.Tensor4D, 2, { gamma: g, beta: b })),
      )([x, gamma, beta]);
    try {
      const fused = await kernelsRun(step);
      assert.ok(fused.includes(GROUP_NORM_AFFINE) && fused.includes(GROUP_NORM_GRAD), fused.join(' '));
      assert.ok(!fused.includes('Mean'), fused.join(' '));
      assert.ok((await kernelsRun(() => groupNorm(x, 4))).includes(GROUP_NORM));
      unregisterWasmTrainingKernels();
      const composed = await kernelsRun(step);
      assert.ok(!composed.includes(GROUP_NORM_AFFINE) && composed.includes('Mean'), composed.join(' '));
    } finally {
      registerWasmTrainingKernels();
      tf.dispose([x, gamma, beta]);
    }
  });
});
