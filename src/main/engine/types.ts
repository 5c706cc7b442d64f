/**
 * The engine's core data shapes, shared by data/, models/, fl/, unlearning/ and metrics/.
 * Weights travel as plain Float32Arrays (one per parameter tensor, in the model's ParamSpec order)
 * so they cross worker_threads and files without tensors, and so per-scalar maths stays backend-free.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ModelId } from '../../shared/catalog';

/** Images NHWC in [0, 1], labels as class ids. */
export interface ImageSplit {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

export interface Dataset {
  id: string;
  name: string;
  /** [height, width, channels] */
  shape: [number, number, number];
  numClasses: number;
  train: ImageSplit;
  test: ImageSplit;
}

export interface Partition {
  /** Indices into the training split, one array per client. */
  clients: Int32Array[];
  /** classCounts[client][class] */
  classCounts: number[][];
}

export type InitKind = 'kaiming-uniform' | 'uniform-0.1' | 'zeros' | 'ones';

export interface ParamSpec {
  name: string;
  shape: number[];
  init: InitKind;
}

export interface ModelDef {
  id: ModelId;
  inputShape: [number, number, number];
  numClasses: number;
  params: ParamSpec[];
  /** The final dense layer: indices of its [inputDim, numClasses] matrix and its bias in `params`. */
  head: { weight: number; bias: number; inputDim: number };
  /** Logits [batch, numClasses] from parameter tensors (in `params` order) and a NHWC batch. */
  forward(params: tf.Tensor[], x: tf.Tensor4D): tf.Tensor2D;
  /** The same ops as `forward`, also returning the head's input (penultimate features [batch, inputDim]). */
  forwardWithFeatures(params: tf.Tensor[], x: tf.Tensor4D): { features: tf.Tensor2D; logits: tf.Tensor2D };
}

export type Weights = Float32Array[];

/** The final round of the original training, as far as unlearning methods need it. */
export interface LastRoundModels {
  /** Each participant's weight in the final aggregation (sums to 1): 1/K for 'mean', n_k/n for 'weighted'. */
  shares: Map<number, number>;
  /** The kept clients' local models from that round (only those that took part). */
  localModels: Map<number, Weights>;
}
