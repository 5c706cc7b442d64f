/**
 * GroupNorm (NHWC, torch semantics; models/group-norm.ts) as one forward and one backward kernel for the
 * wasm backend.
 *
 * Composed of tfjs ops, a GroupNorm layer costs a Mean, a Sub, a Square, another Mean, an Add, an Rsqrt and
 * a Multiply forward (plus a Multiply and an Add with affine), and about twice as many kernels backward,
 * most of them full passes over the activation: ~250 ms of a 3.5 s ResNet-18 step (batch 32) before this.
 *
 * Forward, per sample (its [H, W, C] block stays in L2 across the passes): pass 1 sums x - K per channel,
 * K the sample's first pixel, for the groups' means; pass 2 sums d = x - mean and d*d per channel, and each
 * group's variance is sum(d*d)/M - (sum(d)/M)^2 with the mean corrected by sum(d)/M: the corrected two-pass
 * algorithm, stable for inputs with a large mean (accumulated in float32 per channel, combined per group in
 * float64); pass 3 writes y = (x - mean) * (rstd * gamma) + beta. Mean and rstd per (sample, group) are a
 * second output, [N, G, 2], which the gradient saves.
 * Backward, per sample: one pass sums dy and dy * (x - mean) per channel, which give dbeta, dgamma and the
 * group terms mean_g(dxhat) and mean_g(dxhat * xhat) (dxhat = dy * gamma); a second writes
 * dx = rstd * (dxhat - mean_g(dxhat) - xhat * mean_g(dxhat * xhat)) as dy * k1 + (x - mean) * k2 + k3.
 * The loops are in simd-norm.ts. Non-affine and affine are two kernel names, as a gradient's saved inputs
 * cannot be optional.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, registerGradient, registerKernel } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ptr } from './simd-kernels';
import { normLoops } from './simd-norm';
import { f32, WASM, type WasmBackend } from './wasm-scratch';

export const GROUP_NORM = 'FedMemGroupNorm';
export const GROUP_NORM_AFFINE = 'FedMemGroupNormAffine';
export const GROUP_NORM_GRAD = 'FedMemGroupNormGrad';

interface NormAttrs {
  groups: number;
  eps: number;
}

/** [y, stats]: y the normalised x (scaled and shifted with gamma and beta), stats [N, G, 2] of (mean, rstd). */
function groupNormWasm(args: Parameters<KernelFunc>[0]): TensorInfo[] {
  const { x, gamma, beta } = args.inputs as { x: TensorInfo; gamma?: TensorInfo; beta?: TensorInfo };
  const { groups: G, eps } = args.attrs as unknown as NormAttrs;
  const backend = args.backend as WasmBackend;
  const [N, H, W, C] = x.shape;
  const [rows, cpg] = [H * W, C / G];
  const M = rows * cpg;
  const y = backend.makeOutput(x.shape, 'float32');
  const stats = backend.makeOutput([N, G, 2], 'float32');
  // per-channel vectors: m (shift, then mean), s1, s2 (sums), s (rstd * gamma), b (beta)
  const scratch = backend.makeOutput([5 * C], 'float32');
  try {
    const loops = normLoops(backend, C);
    const [X, Y, S] = [ptr(backend, x.dataId), ptr(backend, y.dataId), ptr(backend, scratch.dataId)];
    const [xv, sc, st] = [f32(backend, x), f32(backend, scratch), f32(backend, stats)];
    const gv = gamma == null ? null : f32(backend, gamma);
    const bv = beta == null ? null : f32(backend, beta);
    const mean = new Float64Array(G);
    const sums = (off: number) => {
      sc.fill(0, C, 3 * C);
      loops.stats(X + off, S, S + 4 * C, S + 8 * C, rows, C);
    };
    for (let n = 0; n < N; n++) {
      const off = n * rows * C * 4;
      sc.set(xv.subarray(n * rows * C, n * rows * C + C)); // pass 1, shifted by the first pixel
      sums(off);
      for (let g = 0; g < G; g++) {
        let s = 0;
        for (let c = g * cpg; c < (g + 1) * cpg; c++) s += sc[C + c] + rows * sc[c];
        mean[g] = s / M;
        sc.fill(mean[g], g * cpg, (g + 1) * cpg);
      }
      sums(off); // pass 2, centred
      for (let g = 0; g < G; g++) {
        let [d1, d2] = [0, 0];
        for (let c = g * cpg; c < (g + 1) * cpg; c++) [d1, d2] = [d1 + sc[C + c], d2 + sc[2 * C + c]];
        [d1, d2] = [d1 / M, d2 / M];
        const m = sc[g * cpg] + d1; // the float32 mean pass 2 used, corrected
        const rstd = 1 / Math.sqrt(Math.max(0, d2 - d1 * d1) + eps);
        st[2 * (n * G + g)] = m;
        st[2 * (n * G + g) + 1] = rstd;
        for (let c = g * cpg; c < (g + 1) * cpg; c++) {
          sc[c] = m;
          sc[3 * C + c] = gv == null ? rstd : rstd * gv[c];
          sc[4 * C + c] = bv == null ? 0 : bv[c];
        }
      }
      loops.apply(X + off, Y + off, S, S + 12 * C, S + 16 * C, rows, C); // pass 3
    }
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return [y, stats];
}

/** [dx] or, with gamma, [dx, dgamma, dbeta]: the gradient of sum(groupNorm(x) * dy). */
function groupNormGradWasm(args: Parameters<KernelFunc>[0]): TensorInfo[] {
  const { dy, x, stats, gamma } = args.inputs as {
    dy: TensorInfo;
    x: TensorInfo;
    stats: TensorInfo;
    gamma?: TensorInfo;
  };
  const { groups: G } = args.attrs as unknown as NormAttrs;
  const backend = args.backend as WasmBackend;
  const [N, H, W, C] = x.shape;
  const [rows, cpg] = [H * W, C / G];
  const M = rows * cpg;
  const dx = backend.makeOutput(x.shape, 'float32');
  const dgamma = gamma == null ? null : backend.makeOutput(gamma.shape, 'float32');
  const dbeta = gamma == null ? null : backend.makeOutput(gamma.shape, 'float32');
  // per-channel vectors: m (mean), s1, s2 (sums), k1, k2, k3 (dx's coefficients)
  const scratch = backend.makeOutput([6 * C], 'float32');
  try {
    const loops = normLoops(backend, C);
    const [DY, X, DX] = [ptr(backend, dy.dataId), ptr(backend, x.dataId), ptr(backend, dx.dataId)];
    const S = ptr(backend, scratch.dataId);
    const [sc, st] = [f32(backend, scratch), f32(backend, stats)];
    const gv = gamma == null ? null : f32(backend, gamma);
    const [dg, db] = [new Float64Array(C), new Float64Array(C)];
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < G; g++) sc.fill(st[2 * (n * G + g)], g * cpg, (g + 1) * cpg);
      sc.fill(0, C, 3 * C);
      const off = n * rows * C * 4;
      loops.gradSums(DY + off, X + off, S, S + 4 * C, S + 8 * C, rows, C);
      for (let g = 0; g < G; g++) {
        const r = st[2 * (n * G + g) + 1];
        let [a, b] = [0, 0]; // sum of dxhat, sum of dxhat * (x - mean)
        for (let c = g * cpg; c < (g + 1) * cpg; c++) {
          const [s1, s2, gc] = [sc[C + c], sc[2 * C + c], gv == null ? 1 : gv[c]];
          db[c] += s1;
          dg[c] += r * s2;
          [a, b] = [a + gc * s1, b + gc * s2];
        }
        for (let c = g * cpg; c < (g + 1) * cpg; c++) {
          sc[3 * C + c] = r * (gv == null ? 1 : gv[c]);
          sc[4 * C + c] = (-r * r * r * b) / M; // -rstd^2 * mean_g(dxhat * xhat), xhat's rstd folded in
          sc[5 * C + c] = (-r * a) / M;
        }
      }
      loops.gradApply(DY + off, X + off, DX + off, S, S + 12 * C, rows, C);
    }
    if (dgamma != null && dbeta != null) {
      f32(backend, dgamma).set(dg);
      f32(backend, dbeta).set(db);
    }
  } finally {
    backend.disposeData(scratch.dataId);
  }
  return dgamma == null || dbeta == null ? [dx] : [dx, dgamma, dbeta];
}

let gradientsRegistered = false;

/** Registers the three kernels on 'wasm' (unless they are) and, once, the two forward kernels' gradients. */
export function registerGroupNormKernels(): void {
  for (const [kernelName, kernelFunc] of [
    [GROUP_NORM, groupNormWasm],
    [GROUP_NORM_AFFINE, groupNormWasm],
    [GROUP_NORM_GRAD, groupNormGradWasm],
  ] as const) {
    if (getKernel(kernelName, WASM) == null) registerKernel({ kernelName, backendName: WASM, kernelFunc });
  }
  if (gradientsRegistered) return;
  registerGradient({
    kernelName: GROUP_NORM,
    inputsToSave: ['x'],
    outputsToSave: [false, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, stats] = saved as [tf.Tensor, tf.Tensor];
      const dy = (dys as tf.Tensor[])[0];
      const [dx] = tf.engine().runKernel<tf.Tensor[]>(GROUP_NORM_GRAD, { dy, x, stats }, attrs);
      return { x: () => dx };
    },
  });
  registerGradient({
    kernelName: GROUP_NORM_AFFINE,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, stats] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const dy = (dys as tf.Tensor[])[0];
      const [dx, dgamma, dbeta] = tf.engine().runKernel<tf.Tensor[]>(GROUP_NORM_GRAD, { dy, x, stats, gamma }, attrs);
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
  gradientsRegistered = true;
}

export const GROUP_NORM_KERNELS = [GROUP_NORM, GROUP_NORM_AFFINE, GROUP_NORM_GRAD];

/**
 * GroupNorm through the fused kernels where the active backend has them, for float32 x and gamma, beta of
 * shape [C]; null where it cannot (the caller composes it from ops).
 */
export function fusedGroupNorm(
  x: tf.Tensor4D,
  groups: number,
  affine: { gamma: tf.Tensor; beta: tf.Tensor } | undefined,
  eps: number,
): tf.Tensor4D | null {
  const name = affine == null ? GROUP_NORM : GROUP_NORM_AFFINE;
  if (getKernel(name, tf.getBackend()) == null || x.dtype !== 'float32') return null;
  const C = x.shape[3];
  if (affine != null) {
    const { gamma, beta } = affine;
    const ok = (t: tf.Tensor) => t.dtype === 'float32' && t.rank === 1 && t.shape[0] === C;
    if (!ok(gamma) || !ok(beta)) return null;
  }
  const inputs: tf.NamedTensorMap = affine == null ? { x } : { x, gamma: affine.gamma, beta: affine.beta };
  const [y, stats] = tf.engine().runKernel<tf.Tensor[]>(name, inputs, { groups, eps });
  stats.dispose();
  return y as tf.Tensor4D;
}
