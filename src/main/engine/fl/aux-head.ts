/**
 * FedAU's auxiliary head (Gu et al. 2024; see unlearning/fedau.ts): a second linear layer on the
 * model's penultimate features, trained inside each client's local training next to the main head,
 * with the main labels except for the data that may be forgotten, which carry fixed random labels.
 *
 * The head sees the features as constants (a separate gradient tape over its own two variables, with
 * its own optimizer): the backbone and the main head get exactly the gradients and steps they get
 * without it, and nothing here draws from the client's shuffling stream, so the original model is
 * bit-identical whether or not FedAU is in the run. (The authors' code trains both heads with one
 * summed loss, so its auxiliary loss also moves the backbone; the issue asks for the original model
 * to stay the one every other method starts from.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { createOptimizer, type OptimizerSettings, type StepOptimizer } from '../compute/fused-optimizer';
import { initTensor } from '../models/init';
import type { Rng } from '../rng';
import type { ModelDef, Weights } from '../types';
import { perExampleCrossEntropy } from './losses';
import { readTensors } from './readback';

/** What a client needs to train the auxiliary head in one round. */
export interface AuxTask {
  /** [W (inputDim x numClasses), b (numClasses)]: the global auxiliary head this round starts from. */
  weights: Weights;
  /** The head's label for each of the task's examples (aligned with TrainTask.indices). */
  labels: Int32Array;
}

/** The auxiliary head's tensor shapes: the model's final dense layer's. */
export function auxHeadShapes(model: Pick<ModelDef, 'head' | 'numClasses'>): [number[], number[]] {
  return [[model.head.inputDim, model.numClasses], [model.numClasses]];
}

/** A fresh head, initialised like the model's own final layer (Kaiming-uniform matrix, U(-0.1, 0.1) bias). */
export function initAuxHead(model: Pick<ModelDef, 'head' | 'numClasses'>, rng: Rng): Weights {
  const [w, b] = auxHeadShapes(model);
  return [
    initTensor({ name: 'aux.weight', shape: w, init: 'kaiming-uniform' }, rng.fork('aux.weight')),
    initTensor({ name: 'aux.bias', shape: b, init: 'uniform-0.1' }, rng.fork('aux.bias')),
  ];
}

/**
 * The auxiliary head's labels for the whole training set: `labels` everywhere except at `forget`,
 * where each example gets a label drawn uniformly from the other classes, once for the whole training
 * (as the authors' dataset code does: it stores one random label per sample, never the true one).
 */
export function auxLabels(labels: Int32Array, forget: ArrayLike<number>, numClasses: number, rng: Rng): Int32Array {
  if (numClasses < 2) throw new Error('random labels need at least two classes');
  const out = labels.slice();
  for (let k = 0; k < forget.length; k++) {
    const i = forget[k];
    const r = rng.int(numClasses - 1);
    out[i] = r >= labels[i] ? r + 1 : r;
  }
  return out;
}

/** The head's variables, owned by one ClientTrainer and reassigned for each task. */
export class AuxHeadTrainer {
  private readonly vars: tf.Variable[];
  private optimizer: StepOptimizer | null = null;

  constructor(private readonly shapes: number[][]) {
    this.vars = shapes.map((s) => tf.variable(tf.zeros(s), true, undefined, 'float32'));
  }

  /** Loads the round's starting head and a fresh optimizer of the client's kind (as the main weights get). */
  begin(weights: Weights, s: OptimizerSettings): void {
    this.vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(weights[i], this.shapes[i]))));
    this.optimizer?.dispose();
    this.optimizer = createOptimizer(s);
  }

  /** One step on the batch's features (constants here) with the head's labels. */
  step(features: tf.Tensor2D, labels: Int32Array): void {
    const ys = tf.tensor1d(labels, 'int32');
    try {
      const [w, b] = this.vars;
      const { grads, value } = tf.variableGrads(
        () => tf.mean<tf.Scalar>(perExampleCrossEntropy(tf.add<tf.Tensor2D>(tf.matMul(features, w), b), ys)),
        this.vars,
      );
      this.optimizer!.applyGradients(this.vars, grads);
      tf.dispose(grads);
      value.dispose();
    } finally {
      ys.dispose();
    }
  }

  /** The trained head; disposes the task's optimizer. */
  async end(): Promise<Weights> {
    this.optimizer?.dispose();
    this.optimizer = null;
    return (await readTensors(this.vars)) as Float32Array[];
  }

  /** Drops the task's optimizer, if end() has not (a task that failed or was cancelled holds no tensor). */
  abandon(): void {
    this.optimizer?.dispose();
    this.optimizer = null;
  }

  dispose(): void {
    this.optimizer?.dispose();
    tf.dispose(this.vars);
  }
}
