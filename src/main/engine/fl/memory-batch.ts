/**
 * Batch sizes that fit the model's memory. A full-data gradient (Algorithm 1's locate step, FedOSD) and an
 * evaluation pass hold every intermediate tensor of a batch at once: the gradient tape keeps them for the backward
 * pass, an evaluation's tidy until the batch ends. On ResNet-18 with 32x32x3 inputs that is tens of MB per example,
 * so the fixed batches that suit the CNN (128 for gradients, 500 for evaluation) overran the wasm backend's 4 GiB
 * heap ("memory access out of bounds" from a training worker). The bytes per example are measured once per model
 * and backend with a two-example probe (tfjs counts every live tensor), and each batch is capped so its tensors
 * stay within BATCH_MEMORY_BUDGET. The probe is deterministic (shapes only), so the same config gives the same
 * batches, and so the same numbers, on any worker count. Small models keep their batches unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDef } from '../types';
import { perExampleLoss } from './losses';

/** Live tensor bytes one gradient or evaluation batch may hold. */
export const BATCH_MEMORY_BUDGET = 768 * 2 ** 20;
/**
 * The backward pass adds the activations' gradients and the convolutions' scratch to the tape's tensors. On
 * ResNet-18 (32x32x3, wasm) the heap peaked at 44 MB per example against a measured tape of 49 MB (tfjs counts a
 * saved tensor's clone too): 1.5 leaves room for the scratch and the heap's fragmentation.
 */
export const BACKWARD_FACTOR = 1.5;

/** The largest batch not above `requested` whose `bytesPerExample` fit in `budget` (at least 1). */
export function batchForMemory(
  requested: number,
  bytesPerExample: number,
  budget: number = BATCH_MEMORY_BUDGET,
): number {
  if (!(bytesPerExample > 0)) return requested;
  return Math.max(1, Math.min(requested, Math.floor(budget / bytesPerExample)));
}

const PROBE = 2;
/** Per model, per backend: bytes per example. */
const measured = new WeakMap<ModelDef, Map<string, number>>();

/**
 * Bytes per example `model`'s forward pass holds at once: measured on the gradient tape, which keeps every
 * intermediate for the backward pass (an evaluation's forward holds the same inside the model's tidy, where
 * tf.memory() after the call cannot see them). The probe uses its own zero variables and inputs, so only shapes
 * count, and runs once per model and backend.
 */
export function bytesPerExample(model: ModelDef): number {
  const backend = tf.getBackend();
  let known = measured.get(model);
  if (known == null) measured.set(model, (known = new Map<string, number>()));
  const cached = known.get(backend);
  if (cached != null) return cached;
  const vars = model.params.map((p) => tf.variable(tf.zeros(p.shape), true));
  const x = tf.zeros<tf.Rank.R4>([PROBE, ...model.inputShape]);
  const labels = tf.zeros<tf.Rank.R1>([PROBE], 'int32');
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
    tf.dispose([...vars, x, labels]);
  }
  const bytes = Math.ceil(held / PROBE);
  known.set(backend, bytes);
  return bytes;
}

/** The gradient batch for `model`: `requested`, or fewer where the tape and its backward pass would not fit. */
export function gradientBatch(model: ModelDef, requested: number): number {
  return batchForMemory(requested, BACKWARD_FACTOR * bytesPerExample(model));
}

/** The evaluation batch for `model`: `requested`, or fewer where one batch's intermediates would not fit. */
export function evaluationBatch(model: ModelDef, requested: number): number {
  return batchForMemory(requested, bytesPerExample(model));
}
