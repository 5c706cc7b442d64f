/**
 * Forward-only evaluation in batches. Returns aggregate accuracy/loss and per-example results
 * (probability of the true label, correctness, loss), which memorization scores and GME need.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDef } from '../types';
import type { LabelledImages } from './client-trainer';

export interface PerExample {
  probTrue: Float32Array;
  correct: Uint8Array;
  loss: Float32Array;
  predicted: Int32Array;
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
  batchSize = 500,
): Evaluation {
  const [h, w, c] = model.inputShape;
  const pixels = h * w * c;
  const n = indices ? indices.length : count;
  const out: PerExample = {
    probTrue: new Float32Array(n),
    correct: new Uint8Array(n),
    loss: new Float32Array(n),
    predicted: new Int32Array(n),
  };
  const buf = new Float32Array(Math.min(batchSize, n) * pixels);
  const labels = new Int32Array(Math.min(batchSize, n));
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    for (let k = 0; k < b; k++) {
      const idx = indices ? indices[start + k] : start + k;
      buf.set(data.x.subarray(idx * pixels, (idx + 1) * pixels), k * pixels);
      labels[k] = data.y[idx];
    }
    const [probs, preds] = tf.tidy((): [tf.Tensor, tf.Tensor] => {
      const logits = model.forward(params, tf.tensor4d(buf.subarray(0, b * pixels), [b, h, w, c]));
      return [tf.softmax(logits), tf.argMax(logits, 1)];
    });
    const p = probs.dataSync() as Float32Array;
    const pred = preds.dataSync() as Int32Array;
    tf.dispose([probs, preds]);
    const classes = model.numClasses;
    for (let k = 0; k < b; k++) {
      const pt = p[k * classes + labels[k]];
      out.probTrue[start + k] = pt;
      out.predicted[start + k] = pred[k];
      out.correct[start + k] = pred[k] === labels[k] ? 1 : 0;
      // Clamp so a confidently wrong prediction gives a large finite loss, not Infinity.
      out.loss[start + k] = -Math.log(Math.max(pt, 1e-12));
    }
  }
  let correct = 0;
  let loss = 0;
  for (let k = 0; k < n; k++) {
    correct += out.correct[k];
    loss += out.loss[k];
  }
  return { n, accuracy: n ? correct / n : NaN, loss: n ? loss / n : NaN, perExample: out };
}

/** Holds one set of tf.variables for a model and evaluates any weights with them (no per-call allocation). */
export class Evaluator {
  private readonly vars: tf.Variable[];

  constructor(readonly model: ModelDef) {
    this.vars = model.params.map((p) => tf.variable(tf.zeros(p.shape), false));
  }

  run(weights: Float32Array[], data: LabelledImages, indices: Int32Array | null, count: number): Evaluation {
    weights.forEach((w, i) => tf.tidy(() => this.vars[i].assign(tf.tensor(w, this.model.params[i].shape))));
    return evaluate(this.model, this.vars, data, indices, count);
  }

  /** The softmax outputs (n rows of numClasses) of `weights` on the examples `indices` of `data`. */
  probabilities(weights: Float32Array[], data: LabelledImages, indices: Int32Array, batchSize = 500): Float32Array {
    return this.batched(weights, data, indices, this.model.numClasses, batchSize, (x) =>
      tf.softmax(this.model.forward(this.vars, x)),
    );
  }

  /** The penultimate features (n rows of head.inputDim: the last dense layer's input) of `weights` on `indices`. */
  features(weights: Float32Array[], data: LabelledImages, indices: Int32Array, batchSize = 500): Float32Array {
    return this.batched(
      weights,
      data,
      indices,
      this.model.head.inputDim,
      batchSize,
      (x) => this.model.forwardWithFeatures(this.vars, x).features,
    );
  }

  /** Loads `weights`, then runs `forward` on batches of `indices` and stacks its [b, width] outputs. */
  private batched(
    weights: Float32Array[],
    data: LabelledImages,
    indices: Int32Array,
    width: number,
    batchSize: number,
    forward: (x: tf.Tensor4D) => tf.Tensor,
  ): Float32Array {
    weights.forEach((w, i) => tf.tidy(() => this.vars[i].assign(tf.tensor(w, this.model.params[i].shape))));
    const [h, w, c] = this.model.inputShape;
    const pixels = h * w * c;
    const out = new Float32Array(indices.length * width);
    for (let start = 0; start < indices.length; start += batchSize) {
      const b = Math.min(batchSize, indices.length - start);
      const buf = new Float32Array(b * pixels);
      for (let k = 0; k < b; k++)
        buf.set(data.x.subarray(indices[start + k] * pixels, (indices[start + k] + 1) * pixels), k * pixels);
      const y = tf.tidy(() => forward(tf.tensor4d(buf, [b, h, w, c])));
      out.set(y.dataSync(), start * width);
      y.dispose();
    }
    return out;
  }

  dispose(): void {
    tf.dispose(this.vars);
  }
}
