import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  groupAccuracy,
  groupByPercentile,
  groupScoreSummary,
  metricDelta,
  parseGroupSpec,
} from '../../../../src/main/engine/metrics/grouping';
import { MetricsError } from '../../../../src/main/engine/metrics/errors';
import { DEFAULT_GROUP_BOUNDS } from '../../../../src/shared/unlearning-config';
import { topCount } from '../../../../src/main/engine/metrics/ranking';

const sizes = (gs: { members: Int32Array }[]) => gs.map((g) => g.members.length);

describe('GME grouping', () => {
  test('n = 20, default groups: rank r has pct 100(1 - r/20)', () => {
    // scores descending by position: position i has score 20 - i, so rank r = position r.
    // pct: r0 100, r1 95, r2 90, r3 85, r4 80, ...
    // (95,100] -> r0; (90,95] -> r1; (85,90] -> r2; (80,85] -> r3; (0,80] -> r4..r19 (16)
    const scores = Array.from({ length: 20 }, (_, i) => 20 - i);
    const g = groupByPercentile(scores);
    assert.deepEqual(sizes(g), [1, 1, 1, 1, 16]);
    assert.deepEqual([...g[0].members], [0]);
    assert.deepEqual([...g[3].members], [3]);
    assert.equal(g[0].label, '(95%,100%]');
    assert.equal(g[4].label, '(0%,80%]');
  });

  test('n = 5000 gives exact sizes 250 x 4 + 4000 even with all scores tied', () => {
    const tied = new Float64Array(5000); // e.g. everything clipped to 0
    assert.deepEqual(sizes(groupByPercentile(tied)), [250, 250, 250, 250, 4000]);
  });

  test('n = 10: groups that no rank falls into are empty, with accuracy null (never 1.0)', () => {
    // pct by rank: 100, 90, 80, ..., 10. (95,100] -> r0; (90,95] -> none; (85,90] -> r1;
    // (80,85] -> none; (0,80] -> r2..r9.
    const scores = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    const g = groupByPercentile(scores);
    assert.deepEqual(sizes(g), [1, 0, 1, 0, 8]);
    const correct = Uint8Array.from([0, 1, 1, 1, 0, 1, 1, 1, 1, 1]);
    const acc = groupAccuracy(g, correct);
    assert.deepEqual(
      acc.map((a) => [a.count, a.correct, a.accuracy]),
      [
        [1, 0, 0],
        [0, 0, null],
        [1, 1, 1],
        [0, 0, null],
        [8, 7, 7 / 8],
      ],
    );
  });

  test('ties at a cut point are split by example id ascending', () => {
    // positions:   0     1     2     3     4
    // scores:     0.5   0.9   0.5   0.5   0.1
    // ids:         40    10    30    20    50
    // order: pos1 (0.9), then the 0.5s by id: pos3 (20), pos2 (30), pos0 (40), then pos4.
    // (60,100]: 100(5 - r) > 300 <=> r < 2 -> pos1, pos3; (0,60] -> pos2, pos0, pos4.
    const g = groupByPercentile(
      [0.5, 0.9, 0.5, 0.5, 0.1],
      [
        [60, 100],
        [0, 60],
      ],
      [40, 10, 30, 20, 50],
    );
    assert.deepEqual([...g[0].members], [1, 3]);
    assert.deepEqual([...g[1].members], [2, 0, 4]);
  });

  test('a subset of (0, 100] can be requested (Table H8 style)', () => {
    const scores = Array.from({ length: 10 }, (_, i) => i);
    const g = groupByPercentile(scores, [[90, 100]]);
    assert.deepEqual([...g[0].members], [9]); // the highest score
  });

  test('Eq. 11 per group: |acc_u - acc_r|, null for empty groups', () => {
    const g = groupByPercentile([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const u = groupAccuracy(g, Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]));
    const r = groupAccuracy(g, Uint8Array.from([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]));
    // group0: |1 - 0| = 1; group2 (r1): |1 - 0| = 1; group4: |6/8 - 8/8| = 0.25
    assert.deepEqual(
      u.map((x, p) => metricDelta(x.accuracy, r[p].accuracy)),
      [1, null, 1, null, 0.25],
    );
  });

  test('parseGroupSpec validates with clear errors', () => {
    assert.deepEqual(parseGroupSpec(DEFAULT_GROUP_BOUNDS), DEFAULT_GROUP_BOUNDS);
    assert.throws(() => parseGroupSpec([]), /non-empty array/);
    assert.throws(() => parseGroupSpec([[80]]), /entry 0 must be a pair/);
    assert.throws(() => parseGroupSpec([[90, 80]]), /lo < hi/);
    assert.throws(() => parseGroupSpec([[-1, 10]]), /within \[0, 100\]/);
    assert.throws(() => parseGroupSpec([[0, 101]]), /within \[0, 100\]/);
    assert.throws(
      () =>
        parseGroupSpec([
          [80, 100],
          [85, 90],
        ]),
      /\(80%,100%\] and \(85%,90%\] overlap/,
    );
    assert.throws(() => parseGroupSpec([[0, NaN]]), MetricsError);
    // touching ranges do not overlap
    assert.equal(
      parseGroupSpec([
        [0, 50],
        [50, 100],
      ]).length,
      2,
    );
  });

  test('topCount matches the top group sizes and absorbs float rounding', () => {
    assert.equal(topCount(5000, 0.2), 1000);
    assert.equal(topCount(10, 0.3), 3); // 0.3 * 10 = 3.0000000000000004 in floats
    assert.equal(topCount(10, 0.05), 1); // r < 0.5 -> r = 0
    assert.equal(topCount(7, 0), 0);
    assert.equal(topCount(7, 1), 7);
  });
});

describe('group score summary', () => {
  test('a cut inside a block of tied scores: the members of that block on both sides were placed by id', () => {
    // 10 examples, groups (80,100] = top 2 and (0,80] = the other 8. Scores by position:
    //   p0 0.9 | p1 0.5, p2 0.5, p3 0.5 | p4..p9 0.1
    // Rank: p0, p1, p2, p3 (ids break the tie), p4..p9. Top = {p0, p1}; bottom = {p2, ..., p9}.
    // The 0.5 block {p1, p2, p3} straddles the cut: p1 was placed by id in the top group, p2 and p3
    // in the bottom group. The 0.1 block lies wholly in the bottom group.
    const scores = [0.9, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    const groups = groupByPercentile(scores, [
      [80, 100],
      [0, 80],
    ]);
    assert.deepEqual(Array.from(groups[0].members), [0, 1]);
    const summary = groupScoreSummary(scores, groups);
    assert.deepEqual(summary, [
      { min: 0.5, max: 0.9, placedById: 1 },
      { min: 0.1, max: 0.5, placedById: 2 },
    ]);
  });

  test('distinct scores: nothing placed by id; an empty group has no range', () => {
    const scores = [0.4, 0.3, 0.2, 0.1];
    const groups = groupByPercentile(scores, [
      [50, 100],
      [0, 50],
    ]);
    assert.deepEqual(
      groupScoreSummary(scores, groups).map((g) => g.placedById),
      [0, 0],
    );
    const gap = groupByPercentile(scores, [
      [90, 95],
      [0, 90],
    ]);
    assert.deepEqual(groupScoreSummary(scores, gap)[0], { min: null, max: null, placedById: 0 });
  });

  test('metricDelta is Eq. 11 for one value and null when a side is missing', () => {
    assert.equal(metricDelta(0.25, 0.75), 0.5);
    assert.equal(metricDelta(0.75, 0.25), 0.5);
    assert.equal(metricDelta(null, 0.5), null);
    assert.equal(metricDelta(0.5, null), null);
  });
});
