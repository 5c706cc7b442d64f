/**
 * Liu et al.'s preconditioned step on a 2-parameter quadratic, L(w) = (a1 w1^2 + a2 w2^2) / 2, whose
 * gradient is (a1 w1, a2 w2): the tensor optimizer the trainer uses and the float64 reference both
 * equal the closed form written out by hand for two steps (bias-corrected momentum and Fisher).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { createOptimizer } from '../../../../src/main/engine/compute/fused-optimizer';
import { fisherState, fisherStep, type FisherSettings } from '../../../../src/main/engine/compute/fisher-optimizer';

const A = [2, 0.5];
const W0 = [1.5, -3];
const S: FisherSettings = { lr: 0.1, beta1: 0.9, beta2: 0.999, damping: 1e-3, rule: 'inverse' };

/** Two steps by hand: step 1 has m^ = g1 and F^ = g1^2; step 2 mixes both gradients with the betas. */
function closedForm(rule: FisherSettings['rule']): number[] {
  const pre = (f: number) => (rule === 'inverse' ? f : Math.sqrt(f)) + S.damping;
  return W0.map((w0, k) => {
    const g1 = A[k] * w0;
    const w1 = w0 - (S.lr * g1) / pre(g1 * g1);
    const g2 = A[k] * w1;
    const m2 = (S.beta1 * (1 - S.beta1) * g1 + (1 - S.beta1) * g2) / (1 - S.beta1 ** 2);
    const f2 = (S.beta2 * (1 - S.beta2) * g1 * g1 + (1 - S.beta2) * g2 * g2) / (1 - S.beta2 ** 2);
    return w1 - (S.lr * m2) / pre(f2);
  });
}

const close = (actual: ArrayLike<number>, expected: number[], rel: number) =>
  expected.forEach((e, k) =>
    assert.ok(Math.abs(actual[k] - e) <= rel * Math.max(1, Math.abs(e)), `w${k + 1}: ${actual[k]} vs ${e}`),
  );

describe('diagonal-Fisher preconditioned step (Liu et al. 2022)', () => {
  before(async () => {
    await initBackend('cpu');
  });

  for (const rule of ['inverse', 'sqrt'] as const) {
    it(`the float64 reference equals the closed form (${rule})`, () => {
      const state = fisherState(2);
      let w: ArrayLike<number> = W0;
      for (let step = 0; step < 2; step++) w = fisherStep(w, [A[0] * w[0], A[1] * w[1]], state, { ...S, rule });
      close(w, closedForm(rule), 1e-12);
    });

    it(`the trainer's tensor optimizer equals the closed form (${rule})`, () => {
      const v = tf.variable(tf.tensor1d(W0), true, `fisher-w-${rule}`);
      const a = tf.tensor1d(A);
      const opt = createOptimizer({
        optimizer: 'fisher',
        lr: S.lr,
        momentum: 0,
        fisher: { beta1: S.beta1, beta2: S.beta2, damping: S.damping, rule },
      });
      const before = tf.memory().numTensors;
      for (let step = 0; step < 2; step++) {
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => tf.sum(a.mul(v.square())).mul<tf.Scalar>(0.5), [v]);
          opt.applyGradients([v], grads);
        });
      }
      // Two slots (m, F) are created on the first step; nothing else may be left behind.
      assert.equal(tf.memory().numTensors, before + 2);
      close(v.dataSync(), closedForm(rule), 1e-5);
      opt.dispose();
      tf.dispose([v, a]);
    });
  }

  it('the inverse rule is a Newton-like step: with no momentum history its size is lr / |g|, not lr', () => {
    // For a single step m^ = g and F^ = g^2, so the move is lr * g / (g^2 + damping) ~ lr / |g|.
    const g = 0.05;
    const out = fisherStep([0], [g], fisherState(1), { ...S, damping: 1e-12 });
    assert.ok(Math.abs(-out[0] - S.lr / g) < 1e-6);
  });
});
