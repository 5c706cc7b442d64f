/**
 * Forward-only evaluation in batches. Returns aggregate accuracy/loss and per-example results
 * (probability of the true label, correctness, loss), which memorization scores and GME need.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDef } from '../types';
import type { LabelledImages } from './client-trainer';
import { evaluationBatch } from './memory-batch';
import { readConcatenated } from './readback';

export interface PerExample {
  probTrue: Float32Array;
  correct: Uint8Array;
  loss: Float32Array;
  predicted: Int32Array;
}

/**
 * Wall time this engine process spent in forward-only evaluation (test accuracy per round, GME's scores, the
 * report's measures), so a run can say what share of it evaluation took. Overlapping calls count once each.
 */
export const evaluationClock = { seconds: 0, passes: 0, examples: 0 };

async function timed<T>(examples: number, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    evaluationClock.seconds += (performance.now() - t0) / 1000;
    evaluationClock.passes++;
    evaluationClock.examples += examples;
  }
}

export interface Evaluation {
  n: number;
  accuracy: number;
  loss: number;
  perExample: PerExample;
}

/**
 * Evaluates the model with parameter tensors `params` on the examples `indices` of `data`
 * (all examples when omitted, `count` giving their number).
 */
export function evaluate(
  model: ModelDef,
  params: tf.Tensor[],
  data: LabelledImages,
  indices: Int32Array | null,
  count: number,
  requestedBatch = 500,
): Promise<Evaluation> {
  return timed(indices ? indices.length : count, () =>
    evaluateUntimed(model, params, data, indices, count, requestedBatch),
  );
}

async function evaluateUntimed(
  model: ModelDef,
  params: tf.Tensor[],
  data: LabelledImages,
  indices: Int32Array | null,
  count: number,
  requestedBatch: number,
): Promise<Evaluation> {
  const batchSize = evaluationBatch(model, requestedBatch);
  const [h, w, c] = model.inputShape;
  const pixels = h * w * c;
  const n = indices ? indices.length : count;
  const out: PerExample = {
    probTrue: new Float32Array(n),
    correct: new Uint8Array(n),
    loss: new Float32Array(n),
    predicted: new Int32Array(n),
  };
  const labels = new Int32Array(n);
  // Every batch is computed before anything is read, and everything is read at once at the end: one round trip
  // on a device backend. The parameters are only used before the first await, so they may change after it.
  const probs: tf.Tensor[] = [];
  const preds: tf.Tensor[] = [];
  let p: Float32Array;
  let pred: Int32Array;
  try {
    for (let start = 0; start < n; start += batchSize) {
      const b = Math.min(batchSize, n - start);
      // A fresh buffer per batch: a backend may hold on to the array a tensor is made from.
      const buf = new Float32Array(b * pixels);
      for (let k = 0; k < b; k++) {
        const idx = indices ? indices[start + k] : start + k;
        buf.set(data.x.subarray(idx * pixels, (idx + 1) * pixels), k * pixels);
        labels[start + k] = data.y[idx];
      }
      const [pr, pd] = tf.tidy((): [tf.Tensor, tf.Tensor] => {
        const logits = model.forward(params, tf.tensor4d(buf, [b, h, w, c]));
        return [tf.softmax(logits), tf.argMax(logits, 1)];
      });
      probs.push(pr);
      preds.push(pd);
    }
    [p, pred] = (await Promise.all([readConcatenated(probs, 'float32'), readConcatenated(preds, 'int32')])) as [
      Float32Array,
      Int32Array,
    ];
  } finally {
    tf.dispose(probs);
    tf.dispose(preds);
  }
  const classes = model.numClasses;
  for (let k = 0; k < n; k++) {
    const pt = p[k * classes + labels[k]];
    out.probTrue[k] = pt;
    out.predicted[k] = pred[k];
    out.correct[k] = pred[k] === labels[k] ? 1 : 0;
    // Clamp so a confidently wrong prediction gives a large finite loss, not Infinity.
    out.loss[k] = -Math.log(Math.max(pt, 1e-12));
  }
  return summarize(out);
}

/** Accuracy and mean loss of per-example results, summed in example order (so any split of them gives the same). */
export function summarize(out: PerExample): Evaluation {
  const n = out.correct.length;
  let correct = 0;
  let loss = 0;
  for (let k = 0; k < n; k++) {
    correct += out.correct[k];
    loss += out.loss[k];
  }
  return { n, accuracy: n ? correct / n : NaN, loss: n ? loss / n : NaN, perExample: out };
}

/**
 * Where an Evaluator may send evaluations instead of running them on its own thread: the training pool's workers,
 * idle between rounds (fl/pool.ts). `holds` says whether they have `data` (the training set or the test set).
 */
export interface EvaluationOffload {
  holds(data: LabelledImages): boolean;
  evaluate(
    weights: Float32Array[],
    data: LabelledImages,
    indices: Int32Array | null,
    count: number,
  ): Promise<PerExample>;
}

/** Holds one set of tf.variables for a model and evaluates any weights with them (no per-call allocation). */
export class Evaluator {
  private readonly vars: tf.Variable[];

  constructor(
    readonly model: ModelDef,
    /** Workers that evaluate data they hold, split between them, while this thread waits. */
    private readonly offload: EvaluationOffload | null = null,
  ) {
    this.vars = model.params.map((p) => tf.variable(tf.zeros(p.shape), false));
  }

  run(weights: Float32Array[], data: LabelledImages, indices: Int32Array | null, count: number): Promise<Evaluation> {
    if (this.offload?.holds(data)) {
      const offload = this.offload;
      return timed(indices ? indices.length : count, async () =>
        summarize(await offload.evaluate(weights, data, indices, count)),
      );
    }
    weights.forEach((w, i) => tf.tidy(() => this.vars[i].assign(tf.tensor(w, this.model.params[i].shape))));
    return evaluate(this.model, this.vars, data, indices, count);
  }

  /** The softmax outputs (n rows of numClasses) of `weights` on the examples `indices` of `data`. */
  probabilities(
    weights: Float32Array[],
    data: LabelledImages,
    indices: Int32Array,
    batchSize = 500,
  ): Promise<Float32Array> {
    return this.batched(weights, data, indices, this.model.numClasses, batchSize, (x) =>
      tf.softmax(this.model.forward(this.vars, x)),
    );
  }

  /** The penultimate features (n rows of head.inputDim: the last dense layer's input) of `weights` on `indices`. */
  features(weights: Float32Array[], data: LabelledImages, indices: Int32Array, batchSize = 500): Promise<Float32Array> {
    return this.batched(
      weights,
      data,
      indices,
      this.model.head.inputDim,
      batchSize,
      (x) => this.model.forwardWithFeatures(this.vars, x).features,
    );
  }

  /**
   * Loads `weights`, then runs `forward` on batches of `indices` and stacks its [b, width] outputs, read at once
   * at the end. The variables are only used before the first await, so calls may overlap.
   */
  private batched(
    weights: Float32Array[],
    data: LabelledImages,
    indices: Int32Array,
    width: number,
    requestedBatch: number,
    forward: (x: tf.Tensor4D) => tf.Tensor,
  ): Promise<Float32Array> {
    return timed(indices.length, () => this.batchedUntimed(weights, data, indices, requestedBatch, forward));
  }

  private async batchedUntimed(
    weights: Float32Array[],
    data: LabelledImages,
    indices: Int32Array,
    requestedBatch: number,
    forward: (x: tf.Tensor4D) => tf.Tensor,
  ): Promise<Float32Array> {
    weights.forEach((w, i) => tf.tidy(() => this.vars[i].assign(tf.tensor(w, this.model.params[i].shape))));
    const batchSize = evaluationBatch(this.model, requestedBatch);
    const [h, w, c] = this.model.inputShape;
    const pixels = h * w * c;
    const ys: tf.Tensor[] = [];
    try {
      for (let start = 0; start < indices.length; start += batchSize) {
        const b = Math.min(batchSize, indices.length - start);
        const buf = new Float32Array(b * pixels);
        for (let k = 0; k < b; k++)
          buf.set(data.x.subarray(indices[start + k] * pixels, (indices[start + k] + 1) * pixels), k * pixels);
        ys.push(tf.tidy(() => forward(tf.tensor4d(buf, [b, h, w, c]))));
      }
      return (await readConcatenated(ys, 'float32')) as Float32Array;
    } finally {
      tf.dispose(ys);
    }
  }

  dispose(): void {
    tf.dispose(this.vars);
  }
}
