import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { peakOf, speedupRatio, type CurvePoint } from '../../../../src/main/engine/metrics/time-analysis';

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

  test('speed-up = retrain time-to-peak / method time-to-peak', () => {
    // Peaks: method round 2 at 200 ms, retraining round 4 at 400 ms -> 400 / 200 = 2x (the paper's "50% time
    // improvement").
    const m = peakOf(method);
    const r = peakOf(retrain);
    assert.equal(m.round, 2);
    assert.equal(speedupRatio(r.elapsedMs, m.elapsedMs), 2);
  });

  test('tolerance lets a near-peak point count', () => {
    // with tolerance 0.06, retraining's first point >= 0.69 is round 3 (0.7) at 300 ms
    assert.equal(peakOf(retrain, 0.06).elapsedMs, 300);
    assert.equal(peakOf(retrain, 0.06).peakAccuracy, 0.75);
  });

  test('zero or unknown time-to-peak gives a null ratio, not Infinity', () => {
    const instant = peakOf(curve([[0, 0.8]]));
    assert.equal(speedupRatio(400, instant.elapsedMs), null);
    assert.equal(speedupRatio(null, 200), null);
    assert.equal(speedupRatio(400, null), null, 'a method with no rounds has no time-to-peak');
  });

  test('validation', () => {
    assert.throws(() => peakOf([]), /empty/);
    assert.throws(
      () =>
        peakOf(
          curve([
            [200, 0.1],
            [100, 0.2],
          ]),
        ),
      /non-decreasing/,
    );
    assert.throws(() => peakOf(curve([[100, NaN]])), /non-finite/);
    assert.throws(() => peakOf(retrain, -1), /tolerance/);
  });
});
