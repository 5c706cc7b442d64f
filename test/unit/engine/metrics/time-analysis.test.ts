import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { peakOf, speedup, timeToReach, type CurvePoint } from '../../../../src/main/engine/metrics/time-analysis';

const curve = (pts: [number, number][]): CurvePoint[] =>
  pts.map(([elapsedMs, testAccuracy], i) => ({ round: i + 1, elapsedMs, testAccuracy }));

describe('time analysis', () => {
  // retraining: peak 0.75 first reached at 400 ms (round 4), reached again later
  const retrain = curve([
    [100, 0.3],
    [200, 0.5],
    [300, 0.7],
    [400, 0.75],
    [500, 0.74],
    [600, 0.75],
  ]);
  // method: peak 0.76 first reached at 200 ms (round 2)
  const method = curve([
    [100, 0.6],
    [200, 0.76],
    [300, 0.76],
  ]);

  test('peak = highest accuracy, time = its first occurrence', () => {
    const p = peakOf(retrain);
    assert.deepEqual(p, { index: 3, round: 4, elapsedMs: 400, testAccuracy: 0.75, peakAccuracy: 0.75 });
  });

  test('speed-up = retrain time-to-peak / method time-to-peak; saving = 1 - inverse', () => {
    // 400 / 200 = 2x; saving 1 - 200/400 = 0.5 (the paper's "50% time improvement")
    const s = speedup(method, retrain);
    assert.equal(s.ratio, 2);
    assert.equal(s.timeSaving, 0.5);
    assert.equal(s.method.round, 2);
    assert.equal(s.retrain.round, 4);
  });

  test('tolerance lets a near-peak point count', () => {
    // with tolerance 0.06, retraining's first point >= 0.69 is round 3 (0.7) at 300 ms
    assert.equal(peakOf(retrain, 0.06).elapsedMs, 300);
    assert.equal(peakOf(retrain, 0.06).peakAccuracy, 0.75);
  });

  test('time to reach a target', () => {
    assert.deepEqual(timeToReach(retrain, 0.5), { index: 1, round: 2, elapsedMs: 200, testAccuracy: 0.5 });
    assert.equal(timeToReach(retrain, 0.9), null);
  });

  test('zero time-to-peak gives a null ratio, not Infinity', () => {
    const instant = curve([[0, 0.8]]);
    assert.equal(speedup(instant, retrain).ratio, null);
    assert.equal(speedup(instant, retrain).timeSaving, 1);
  });

  test('validation', () => {
    assert.throws(() => peakOf([]), /empty/);
    assert.throws(() => peakOf(curve([[200, 0.1], [100, 0.2]])), /non-decreasing/);
    assert.throws(() => peakOf(curve([[100, NaN]])), /non-finite/);
    assert.throws(() => peakOf(retrain, -1), /tolerance/);
  });
});
