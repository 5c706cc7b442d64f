import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localFairness } from '../../../../src/main/engine/metrics/fairness';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

describe('local fairness (Appendix E.2)', () => {
  test('hand-worked: 4 remaining clients', () => {
    // before (original model) : 0.50 0.40 0.30 0.60
    // after  (unlearned model): 0.60 0.40 0.50 0.60
    // dL = after - before     : 0.10 0.00 0.20 0.00  -> mean 0.075
    // |dL - mean|             : 0.025 0.075 0.125 0.075 -> sum 0.3, / K = 0.075
    const f = localFairness([0.5, 0.4, 0.3, 0.6], [0.6, 0.4, 0.5, 0.6]);
    [0.1, 0, 0.2, 0].forEach((d, k) => close(f.deltas[k], d));
    close(f.meanDelta, 0.075);
    [0.025, 0.075, 0.125, 0.075].forEach((d, k) => close(f.deviations[k], d));
    close(f.sum, 0.3);
    close(f.mean, 0.075);
  });

  test('identical changes everywhere are perfectly fair (0), regardless of size', () => {
    const f = localFairness([1, 2, 3], [1.5, 2.5, 3.5]);
    close(f.sum, 0);
    close(f.meanDelta, 0.5);
  });

  test('sign of the change matters through the mean only', () => {
    // dL = -0.2, +0.2 -> mean 0, deviations 0.2, 0.2 -> sum 0.4
    close(localFairness([1, 1], [0.8, 1.2]).sum, 0.4);
  });

  test('validation', () => {
    assert.throws(() => localFairness([], []), /at least one/);
    assert.throws(() => localFairness([1, 2], [1]), /aligned/);
    assert.throws(() => localFairness([1], [Infinity]), /not finite/);
  });
});
