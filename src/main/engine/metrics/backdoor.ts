/**
 * What a backdoor does to a model (Appendix G.3): the attack success rate (ASR), the share of test
 * examples whose true label is not the target that the model classifies as the target once the
 * trigger is stamped on them; and on the backdoored clients' own data, the accuracy on the examples
 * left clean and the share of the triggered ones classified as the target (their training label).
 */
import type { Evaluator } from '../fl/evaluate';
import type { ImageSplit, Weights } from '../types';
import type { BackdoorMetrics } from '../../../shared/results';

/** Indices of the examples whose label is not `target`: the ones an attack can move. */
export function nonTargetIndices(y: Int32Array, target: number): Int32Array {
  return Int32Array.from(Array.from(y.keys()).filter((i) => y[i] !== target));
}

export interface BackdoorData {
  /** The test images with the trigger stamped on every one (labels are the true ones). */
  triggeredTest: Float32Array;
  test: ImageSplit;
  /** The training images and labels the clients train on (trigger stamped, relabelled). */
  train: { x: Float32Array; y: Int32Array };
  /** The backdoored clients' examples, split by whether they carry the trigger. */
  clean: Int32Array;
  triggered: Int32Array;
  target: number;
}

/** A function giving a model's BackdoorMetrics; the index sets are computed once. */
export function backdoorMeter(evaluator: Evaluator, d: BackdoorData): (w: Weights) => Promise<BackdoorMetrics> {
  const attackable = nonTargetIndices(d.test.y, d.target);
  const asTarget = { x: d.triggeredTest, y: new Int32Array(d.test.n).fill(d.target) };
  const accuracy = async (w: Weights, data: { x: Float32Array; y: Int32Array }, idx: Int32Array) =>
    idx.length ? (await evaluator.run(w, data, idx, idx.length)).accuracy : null;
  return async (w) => ({
    asr: (await accuracy(w, asTarget, attackable)) ?? 0,
    cleanAccuracy: await accuracy(w, d.train, d.clean),
    triggeredAsTarget: await accuracy(w, d.train, d.triggered),
  });
}
