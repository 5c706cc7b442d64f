/**
 * The local update of Liu et al. 2022 ("The Right to be Forgotten in Federated Learning: An Efficient
 * Realization with Rapid Retraining", INFOCOM): a Newton-type step whose Hessian is approximated by the
 * diagonal empirical Fisher information matrix, with momentum on both the gradient and the Fisher
 * estimate (beta1 = 0.9, beta2 = 0.999 in the paper):
 *
 *   m_t = beta1 m_{t-1} + (1 - beta1) g_t               g_t: the mini-batch gradient
 *   F_t = beta2 F_{t-1} + (1 - beta2) g_t * g_t         diagonal empirical Fisher, one backprop per step
 *   'inverse' (the paper's text):   w <- w - lr * m^_t / (F^_t + damping)
 *   'sqrt' (Adam-like public ports): w <- w - lr * m^_t / (sqrt(F^_t) + damping)
 *
 * with m^, F^ bias-corrected by (1 - beta^t). The paper estimates the Fisher diagonal at the cost of
 * one backpropagation per step, so the mini-batch gradient's square stands in for the mean of
 * per-example squares. `damping` keeps the inverse finite where the Fisher estimate is near zero.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FISHER_RULES } from '../../../shared/method-schemas';
import type { StepOptimizer } from './step-optimizer';

export type FisherRule = (typeof FISHER_RULES)[number];

export interface FisherSettings {
  lr: number;
  beta1: number;
  beta2: number;
  damping: number;
  rule: FisherRule;
}

/** State of one parameter vector: first moment, Fisher estimate and the step count so far. */
export interface FisherState {
  m: Float64Array;
  f: Float64Array;
  t: number;
}

export function fisherState(size: number): FisherState {
  return { m: new Float64Array(size), f: new Float64Array(size), t: 0 };
}

/**
 * One preconditioned step on plain arrays, in float64 (the reference the tensor version is tested
 * against). Returns the new weights; `state` is advanced in place.
 */
export function fisherStep(
  w: ArrayLike<number>,
  g: ArrayLike<number>,
  state: FisherState,
  s: FisherSettings,
): Float64Array {
  state.t += 1;
  const c1 = 1 - s.beta1 ** state.t;
  const c2 = 1 - s.beta2 ** state.t;
  const out = new Float64Array(w.length);
  for (let k = 0; k < w.length; k++) {
    state.m[k] = s.beta1 * state.m[k] + (1 - s.beta1) * g[k];
    state.f[k] = s.beta2 * state.f[k] + (1 - s.beta2) * g[k] * g[k];
    const fHat = state.f[k] / c2;
    const denom = (s.rule === 'inverse' ? fHat : Math.sqrt(fHat)) + s.damping;
    out[k] = w[k] - (s.lr * (state.m[k] / c1)) / denom;
  }
  return out;
}

/** The same step on tfjs variables (any backend), for the client trainer. */
export class FisherOptimizer implements StepOptimizer {
  private readonly slots = new Map<tf.Variable, { m: tf.Variable; f: tf.Variable }>();
  private t = 0;

  constructor(private readonly s: FisherSettings) {}

  applyGradients(vars: tf.Variable[], grads: tf.NamedTensorMap): void {
    this.t += 1;
    const c1 = 1 - this.s.beta1 ** this.t;
    const c2 = 1 - this.s.beta2 ** this.t;
    for (const v of vars) {
      const g = grads[v.name];
      if (g == null) continue;
      const slot = this.slotOf(v);
      tf.tidy(() => {
        const m = slot.m.mul(this.s.beta1).add(g.mul(1 - this.s.beta1));
        const f = slot.f.mul(this.s.beta2).add(g.square().mul(1 - this.s.beta2));
        const fHat = f.div(c2);
        const denom = (this.s.rule === 'inverse' ? fHat : fHat.sqrt()).add(this.s.damping);
        slot.m.assign(m);
        slot.f.assign(f);
        v.assign(v.sub(m.div(c1).mul(this.s.lr).div(denom)));
      });
    }
  }

  private slotOf(v: tf.Variable): { m: tf.Variable; f: tf.Variable } {
    let slot = this.slots.get(v);
    if (!slot) {
      slot = { m: tf.variable(tf.zerosLike(v), false), f: tf.variable(tf.zerosLike(v), false) };
      this.slots.set(v, slot);
    }
    return slot;
  }

  dispose(): void {
    for (const { m, f } of this.slots.values()) tf.dispose([m, f]);
    this.slots.clear();
  }
}
