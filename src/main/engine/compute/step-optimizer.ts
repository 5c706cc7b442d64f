/**
 * What the trainer needs from an optimizer: fused-optimizer.ts (Adam, SGD) and fisher-optimizer.ts (Liu et al.)
 * implement it.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface StepOptimizer {
  /** Updates `vars[i]` with `grads[vars[i].name]`. */
  applyGradients(vars: tf.Variable[], grads: tf.NamedTensorMap): void;
  dispose(): void;
}
