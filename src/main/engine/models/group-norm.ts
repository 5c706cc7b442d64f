/**
 * GroupNorm (Wu & He 2018) over NHWC tensors, matching torch.nn.GroupNorm: channels are split into G
 * contiguous groups, each (sample, group) is normalised by its mean and biased variance over H, W and the
 * group's channels, then optionally scaled and shifted per channel. No running statistics, so a model's
 * state is exactly its parameters (which is why the authors swapped BatchNorm for it in FL).
 * Where the backend has the fused kernels (wasm: compute/fused-group-norm.ts) it runs as one kernel forward
 * and one backward; elsewhere it is composed of ops below, which is also the reference the kernels are tested against.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedGroupNorm } from '../compute/fused-group-norm';

export const GN_EPS = 1e-5;

export interface GroupNormAffine {
  gamma: tf.Tensor;
  beta: tf.Tensor;
}

export function groupNorm(x: tf.Tensor4D, groups: number, affine?: GroupNormAffine, eps: number = GN_EPS): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw new Error(`GroupNorm: ${c} channels cannot be split into ${groups} groups`);
  }
  const fused = fusedGroupNorm(x, groups, affine, eps);
  if (fused != null) return fused;
  return tf.tidy(() => {
    const grouped = tf.reshape(x, [n, h, w, groups, c / groups]);
    const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
    const normed = tf.reshape<tf.Rank.R4>(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, eps))), [n, h, w, c]);
    if (!affine) return normed;
    return tf.add<tf.Tensor4D>(tf.mul(normed, affine.gamma), affine.beta);
  });
}
