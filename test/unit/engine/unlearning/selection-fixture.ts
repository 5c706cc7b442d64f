/**
 * A three-tensor toy model shared by the selection tests (12 scalars in all):
 *   t0 'w1' [3, 2] (dense in=3, out=2; element i is in output channel i % 2)
 *   t1 'b1' [2]
 *   t2 'w2' [2, 2]
 * Flat indices: t0 -> 0..5, t1 -> 6..7, t2 -> 8..11.
 */
import type { ParamSpec, Weights } from '../../../../src/main/engine/types';

export const specs: ParamSpec[] = [
  { name: 'w1', shape: [3, 2], init: 'kaiming-uniform' },
  { name: 'b1', shape: [2], init: 'uniform-0.1' },
  { name: 'w2', shape: [2, 2], init: 'kaiming-uniform' },
];

const f32 = (...v: number[]) => Float32Array.from(v);

export const weights: Weights = [f32(1, 2, -1, 1, 0.5, -3), f32(0.01, -0.02), f32(1, 1, 1, 1)];

/** Remaining clients' mean update g_r. |g_r| flat: .5 .1 0 .3 .2 .05 | .1 .4 | .05 .7 .05 .2 */
export const remainingUpdate: Weights = [
  f32(0.5, -0.1, 0, 0.3, -0.2, 0.05),
  f32(0.1, -0.4),
  f32(0.05, 0.7, -0.05, 0.2),
];

/** Unlearning clients' mean update g_u. |g_u| flat: .9 .1 .8 .2 0 .3 | .9 .5 | .1 .2 .6 .05 */
export const unlearningUpdate: Weights = [f32(0.9, 0.1, -0.8, 0.2, 0, 0.3), f32(-0.9, 0.5), f32(0.1, 0.2, 0.6, -0.05)];

export const ones = (mask: Uint8Array) => [...mask];
