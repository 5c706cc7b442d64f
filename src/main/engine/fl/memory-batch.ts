/**
 * Batch sizes that fit the model's memory. A full-data gradient (Algorithm 1's locate step, FedOSD) and an
 * evaluation pass hold every intermediate tensor of a batch at once: the gradient tape keeps them for the backward
 * pass, an evaluation's tidy until the batch ends. On ResNet-18 with 32x32x3 inputs that is ~9 MB per example,
 * so the fixed batches that suit the CNN (128 for gradients, 500 for evaluation) overran the wasm backend's 4 GiB
 * heap ("memory access out of bounds" from a training worker). The bytes per example are measured once per model
 * and backend with a small probe (tfjs counts every live tensor), and each batch is capped so its tensors
 * stay within BATCH_MEMORY_BUDGET. The probe is deterministic (shapes only), so the same config gives the same
 * batches, and so the same numbers, on any worker count. Small models keep their batches unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDef } from '../types';
import { perExampleLoss } from './losses';

/**
 * Live tensor bytes one gradient or evaluation batch may hold. A training step of ResNet-18 at batch 32 peaks near
 * 750 MB of wasm heap (18 MB per example and the parameters, gradients and optimizer state); a budget half that
 * keeps the other passes inside the heap training has grown anyway (a WebAssembly.Memory never shrinks, and each
 * worker has its own), while batches stay far larger than the GEMMs need to run at full speed.
 */
export const BATCH_MEMORY_BUDGET = 384 * 2 ** 20;
/**
 * The backward pass adds the activations' gradients and the convolutions' scratch to the tape's tensors. On
 * ResNet-18 (32x32x3, wasm, fused GroupNorm) tfjs's own peak grew by 18 MB per example against a tape that grew by
 * 9 MB per example (scripts/bench-profile.ts' model, tf.profile's peakBytes at batches 2 and 8): a factor of 2.
 */
export const BACKWARD_FACTOR = 2;

/** The largest batch not above `requested` whose `bytesPerExample` fit in `budget` (at least 1). */
export function batchForMemory(
  requested: number,
  bytesPerExample: number,
  budget: number = BATCH_MEMORY_BUDGET,
): number {
  if (!(bytesPerExample > 0)) return requested;
  return Math.max(1, Math.min(requested, Math.floor(budget / bytesPerExample)));
}

/** The probe's two batch sizes: the bytes that grow with the batch are the difference over the examples added. */
const PROBE: [number, number] = [1, 3];
/** Per model, per backend: bytes per example. */
const measured = new WeakMap<ModelDef, Map<string, number>>();

/**
 * Bytes per example `model`'s forward pass holds at once: measured on the gradient tape, which keeps every
 * intermediate for the backward pass (an evaluation's forward holds the same inside the model's tidy, where
 * tf.memory() after the call cannot see them). Taken as the growth between two batch sizes, because the tape also
 * holds a copy of the parameters whatever the batch (45 MB on ResNet-18: counted per example it tripled the
 * estimate). The probe uses its own zero variables and inputs, so only shapes count, and runs once per model and
 * backend.
 */
export function bytesPerExample(model: ModelDef): number {
  const backend = tf.getBackend();
  let known = measured.get(model);
  if (known == null) measured.set(model, (known = new Map<string, number>()));
  const cached = known.get(backend);
  if (cached != null) return cached;
  const vars = model.params.map((p) => tf.variable(tf.zeros(p.shape), true));
  try {
    const [small, large] = PROBE.map((n) => tapeBytes(model, vars, n));
    const bytes = Math.max(1, Math.ceil((large - small) / (PROBE[1] - PROBE[0])));
    known.set(backend, bytes);
    return bytes;
  } finally {
    tf.dispose(vars);
  }
}

/** Bytes the gradient tape holds at the end of `model`'s forward pass over `n` zero examples. */
function tapeBytes(model: ModelDef, vars: tf.Variable[], n: number): number {
  const x = tf.zeros<tf.Rank.R4>([n, ...model.inputShape]);
  const labels = tf.zeros<tf.Rank.R1>([n], 'int32');
  let held = 0;
  try {
    const before = tf.memory().numBytes;
    const { value, grads } = tf.variableGrads(() => {
      const loss = tf.mean<tf.Scalar>(perExampleLoss('ce', model.forward(vars, x), labels));
      held = tf.memory().numBytes - before;
      return loss;
    }, vars);
    tf.dispose([value, ...Object.values(grads)]);
  } finally {
    tf.dispose([x, labels]);
  }
  return held;
}

/** The gradient batch for `model`: `requested`, or fewer where the tape and its backward pass would not fit. */
export function gradientBatch(model: ModelDef, requested: number): number {
  return batchForMemory(requested, BACKWARD_FACTOR * bytesPerExample(model));
}

/** The evaluation batch for `model`: `requested`, or fewer where one batch's intermediates would not fit. */
export function evaluationBatch(model: ModelDef, requested: number): number {
  return batchForMemory(requested, bytesPerExample(model));
}
