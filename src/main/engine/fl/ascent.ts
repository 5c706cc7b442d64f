/**
 * Projected gradient ascent on one client's data (the unlearning step of Halimi et al. 2022, see
 * unlearning/halimi.ts): maximise the mean cross-entropy from a reference model with SGD + momentum
 * and global gradient-norm clipping, project back into an L2 ball around the reference after every
 * step, and stop early once the iterate is far enough from an anchor model. It is one client's work,
 * so it runs on the calling thread with its own ClientTrainer.
 *
 * Distances are measured in float64 over every tensor, on the float32 values the model really holds,
 * so "inside the ball" is a property of the weights the next step starts from, not of a rounded copy.
 */
import { createOptimizer } from '../compute/fused-optimizer';
import { createRng } from '../rng';
import type { Weights } from '../types';
import type { ClientTrainer } from './client-trainer';
import { squaredDistance } from './aggregate';
import { CancelledError } from './fedavg';

/**
 * The closest point to `w` in the L2 ball of `radius` around `centre` (over all tensors at once):
 * `w` itself when inside, else centre + (w - centre) * radius / ||w - centre||. Rounding the result
 * to float32 can land it a hair outside, so the factor is nudged inward until the stored values are
 * within the radius.
 */
export function projectToBall(w: Weights, centre: Weights, radius: number): { weights: Weights; projected: boolean } {
  const d = Math.sqrt(squaredDistance(w, centre));
  if (d <= radius) return { weights: w, projected: false };
  let factor = radius / d;
  let nudge = 1e-7;
  for (;;) {
    const out = w.map((t, i) => {
      const c = centre[i];
      const o = new Float32Array(t.length);
      for (let k = 0; k < t.length; k++) o[k] = c[k] + factor * (t[k] - c[k]);
      return o;
    });
    if (Math.sqrt(squaredDistance(out, centre)) <= radius || factor === 0) return { weights: out, projected: true };
    factor = nudge < 1 ? factor * (1 - nudge) : 0;
    nudge *= 2;
  }
}

export interface AscentOptions {
  /** Where the ascent starts, and the centre of the ball. */
  reference: Weights;
  /** L2 radius of the ball around `reference` (Infinity = unconstrained). */
  radius: number;
  /** The early stop compares against this model. */
  anchor: Weights;
  /** Stop after the first step whose squared distance to `anchor` exceeds this. */
  threshold: number;
  /** Training-set indices to ascend on. */
  indices: Int32Array;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  /** Global gradient-norm clip; 0 = none. */
  clipNorm: number;
  /** Seed of the batch order (one shuffle per epoch). */
  seed: string;
  signal?: AbortSignal;
  /** Sees every iterate after its projection, with the weights the next step starts from. */
  onStep?(step: AscentStep, weights: Weights): void | Promise<void>;
}

export interface AscentStep {
  /** 1-based over the whole ascent. */
  step: number;
  epoch: number;
  /** Mean cross-entropy of the batch before the step (what the ascent increases). */
  loss: number;
  gradNorm: number;
  projected: boolean;
  distanceToReference: number;
  squaredDistanceToAnchor: number;
}

export interface AscentResult {
  weights: Weights;
  steps: number;
  /** Steps that left the ball and were projected back onto it. */
  projectedSteps: number;
  stoppedEarly: boolean;
  last: AscentStep | null;
}

export async function projectedAscent(trainer: ClientTrainer, o: AscentOptions): Promise<AscentResult> {
  const n = o.indices.length;
  if (n === 0) throw new Error('projected ascent needs at least one example');
  trainer.load(o.reference);
  // One optimizer for the whole ascent: its momentum carries across projections, as in the public code.
  const optimizer = createOptimizer({ optimizer: 'sgd', lr: o.lr, momentum: o.momentum });
  const rng = createRng(o.seed);
  let weights = o.reference;
  let last: AscentStep | null = null;
  let step = 0;
  let projectedSteps = 0;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const order = rng.fork(epoch).shuffle(Int32Array.from({ length: n }, (_, i) => i));
      for (let start = 0; start < n; start += o.batchSize) {
        if (o.signal?.aborted) throw new CancelledError();
        const pos = order.subarray(start, Math.min(n, start + o.batchSize));
        const { loss, gradNorm } = await trainer.ascentStep(optimizer, pos, o.indices, o.clipNorm);
        // The projection is on the host after every step, so each step reads the weights back: the algorithm's.
        const p = projectToBall(await trainer.read(), o.reference, o.radius);
        if (p.projected) {
          trainer.load(p.weights);
          projectedSteps++;
        }
        weights = p.weights;
        step++;
        last = {
          step,
          epoch,
          loss,
          gradNorm,
          projected: p.projected,
          distanceToReference: Math.sqrt(squaredDistance(weights, o.reference)),
          squaredDistanceToAnchor: squaredDistance(weights, o.anchor),
        };
        await o.onStep?.(last, weights);
        if (!Number.isFinite(loss))
          throw new Error(`projected ascent diverged at step ${step} (loss ${loss}); lower its learning rate`);
        if (last.squaredDistanceToAnchor > o.threshold)
          return { weights, steps: step, projectedSteps, stoppedEarly: true, last };
      }
      // Let signals and event writes through between epochs.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    optimizer.dispose();
  }
  return { weights, steps: step, projectedSteps, stoppedEarly: false, last };
}
