import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  convexKnee,
  importanceDistribution,
  recommendPruningRatio,
} from '../../../../src/main/engine/unlearning/selection/pruning-ratio';

const close = (a: number | null, b: number, eps = 1e-9) =>
  assert.ok(a !== null && Math.abs(a - b) <= eps, `${a} != ${b}`);

/**
 * Synthetic importance with a known knee: n = 2001 values whose sorted log10 is, at percentile
 * P = 100 i / 2000, piecewise linear: -8 + 3P/95 up to P = 95 (reaching 1e-5), then a sharp rise
 * -5 + 3(P - 95)/5 to 1e-2 at P = 100. Stored in a scrambled order (i -> 7i mod 2001).
 */
function synthetic(extraZeros = 0): Float32Array {
  const n = 2001;
  const v = new Float32Array(n + extraZeros);
  for (let i = 0; i < n; i++) {
    const P = (100 * i) / 2000;
    const lg = P <= 95 ? -8 + (3 * P) / 95 : -5 + (3 * (P - 95)) / 5;
    v[(7 * i) % n] = 10 ** lg;
  }
  return v; // zeros, if any, at the end
}

describe('importance distribution (Appendix H.3)', () => {
  test("percentile samples use numpy's linear rule on log10 values, zeros lifted to the floor", () => {
    // values 1e-3, 1e-1, 0 -> sorted logs -12 (floored), -3, -1; 5 points: P = 0, 25, 50, 75, 100
    // positions P/100 * 2: 0, 0.5, 1, 1.5, 2 -> -12, -7.5, -3, -2, -1
    const d = importanceDistribution([1e-3, 1e-1, 0], 5);
    assert.deepEqual([...d.percentiles], [0, 25, 50, 75, 100]);
    [-12, -7.5, -3, -2, -1].forEach((y, j) => close(d.log10Magnitude[j], y));
    assert.equal(d.belowFloor, 1);
    assert.equal(d.n, 3);
  });

  test('Kneedle picks the corner of a convex increasing curve and nothing on a line or a concave one', () => {
    // flat then steep: (0,0) (1,0.1) (2,0.2) (3,1): the chord-minus-curve is largest at x = 2
    assert.equal(convexKnee([0, 1, 2, 3], [0, 0.1, 0.2, 1]), 2);
    assert.equal(convexKnee([0, 1, 2, 3], [0, 1, 2, 3]), null);
    assert.equal(convexKnee([0, 1, 2, 3], [0, 0.9, 0.95, 1]), null);
    assert.equal(convexKnee([0, 1, 2], [1, 1, 1]), null);
  });
});

describe('recommended pruning ratio (Appendix H.3)', () => {
  test('knee at the 95th percentile (1e-5) -> redundant = below 1e-6 -> rho = 1267 / 2001', () => {
    // log10 < -6  <=>  -8 + 3P/95 < -6  <=>  P < 63.33  <=>  i < 1266.67: i = 0..1266 -> 1267 values
    const r = recommendPruningRatio(synthetic());
    assert.equal(r.kneePercentile, 95);
    close(r.kneeLog10, -5, 1e-6);
    assert.equal(r.kneeOrder, -5);
    close(r.threshold, 1e-6, 1e-18);
    close(r.rho, 1267 / 2001);
  });

  test('orderGap 0 reads "below the order of 1e-5" instead: P < 95 -> i < 1900 -> rho = 1900 / 2001', () => {
    close(recommendPruningRatio(synthetic(), { orderGap: 0 }).rho, 1900 / 2001);
  });

  test('exact zeros count as redundant and do not move the knee', () => {
    // 200 zeros at the bottom: the knee is still where the rise to 1e-2 starts (order -5),
    // and rho = (200 zeros + 1267) / 2201
    const r = recommendPruningRatio(synthetic(200));
    assert.equal(r.kneeOrder, -5);
    assert.equal(r.distribution.belowFloor, 200);
    close(r.rho, 1467 / 2201);
  });

  test('no convex rise -> no recommendation', () => {
    const flat = new Float32Array(100).fill(1e-6);
    const r = recommendPruningRatio(flat);
    assert.equal(r.kneeIndex, null);
    assert.equal(r.rho, null);
  });

  test('validation', () => {
    assert.throws(() => importanceDistribution([]), /no values/);
    assert.throws(() => importanceDistribution([1], 1), /points/);
    assert.throws(() => importanceDistribution([NaN]), /not finite/);
    assert.throws(() => recommendPruningRatio([1, 2], { fromPercentile: 100 }), /fromPercentile/);
    assert.throws(() => recommendPruningRatio([1, 2], { orderGap: -1 }), /orderGap/);
  });
});
