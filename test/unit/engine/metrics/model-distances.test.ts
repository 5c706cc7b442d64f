/**
 * The distance maths of Appendix G.1 against hand-worked values: L2 and cosine of known vectors split
 * across tensors, KL of known distributions (computed by hand from the formula), and the analysis
 * stability spread on a hand case.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosineSimilarity, l2Distance, meanKl, pairwise } from '../../../../src/main/engine/metrics/model-distances';
import { exampleStability, spreadOf } from '../../../../src/main/engine/metrics/example-stability';

const w = (...tensors: number[][]) => tensors.map((t) => Float32Array.from(t));

test('L2 distance sums over every tensor: (1,2 | 3) vs (4,6 | 3) is sqrt(9 + 16) = 5', () => {
  assert.equal(l2Distance(w([1, 2], [3]), w([4, 6], [3])), 5);
  assert.equal(l2Distance(w([1, 2], [3]), w([1, 2], [3])), 0);
  assert.throws(() => l2Distance(w([1, 2]), w([1])), /different parameter shapes/);
});

test('cosine of known vectors: orthogonal 0, parallel 1, opposite -1, 45 degrees 1/sqrt(2)', () => {
  assert.equal(cosineSimilarity(w([1, 0], [0]), w([0, 1], [0])), 0);
  assert.ok(Math.abs(cosineSimilarity(w([1, 2], [3]), w([2, 4], [6])) - 1) < 1e-12);
  assert.ok(Math.abs(cosineSimilarity(w([1, 2], [3]), w([-1, -2], [-3])) + 1) < 1e-12);
  assert.ok(Math.abs(cosineSimilarity(w([1], [0]), w([1], [1])) - Math.SQRT1_2) < 1e-7);
  assert.ok(Number.isNaN(cosineSimilarity(w([0, 0]), w([1, 1]))), 'a zero model has no direction');
});

test('KL of known distributions: KL([.5,.5] || [.25,.75]) = .5 ln 2 + .5 ln(2/3), averaged over examples', () => {
  const p = Float32Array.from([0.5, 0.5, 1, 0]);
  const q = Float32Array.from([0.25, 0.75, 0.5, 0.5]);
  const first = 0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75);
  const second = 1 * Math.log(1 / 0.5); // the zero of p contributes nothing
  assert.ok(Math.abs(meanKl(p, q, 2) - (first + second) / 2) < 1e-6);
  assert.equal(meanKl(p, p, 2), 0);
  // Second example: .5 ln(.5 / 1) + .5 ln(.5 / 1e-12) with the floor on log q, about 13.1, halved by the mean.
  assert.ok(meanKl(q, p, 2) > 6, 'a zero in q where p is not gives a large finite divergence');
  assert.ok(Number.isFinite(meanKl(q, p, 2)));
});

test('pairwise fills every cell, the diagonal with f(x, x)', () => {
  assert.deepEqual(
    pairwise([1, 2, 4], (a, b) => Math.abs(a - b)),
    [
      [0, 1, 3],
      [1, 0, 2],
      [3, 2, 0],
    ],
  );
});

test('stability on a hand case: range and std, sorted by mean, share above the threshold', () => {
  // 3 retrained models x 4 examples.
  const probs = [
    [0.9, 0.1, 0.5, 1.0],
    [0.9, 0.9, 0.5, 0.2],
    [0.9, 0.5, 0.5, 0.6],
  ];
  const s = exampleStability(probs, 'range', 0.5);
  assert.deepEqual(
    s.spread.map((x) => +x.toFixed(6)),
    [0, 0.8, 0, 0.8],
  );
  assert.deepEqual(
    s.mean.map((x) => +x.toFixed(6)),
    [0.9, 0.5, 0.5, 0.6],
  );
  assert.deepEqual(s.order, [1, 2, 3, 0], 'ascending mean, ties by position');
  assert.equal(s.unstable, 2);
  assert.equal(s.unstableShare, 0.5);
  // std of (0.1, 0.9, 0.5) = sqrt(((0.4)^2 + (0.4)^2 + 0) / 3)
  assert.ok(Math.abs(spreadOf([0.1, 0.9, 0.5], 'std') - Math.sqrt(0.32 / 3)) < 1e-12);
  assert.equal(exampleStability(probs, 'std', 0.5).unstable, 0, 'both spreads are about 0.33-0.33 in std, below 0.5');
  assert.equal(exampleStability(probs, 'range', 0.8).unstable, 0, 'strictly above the threshold');
});
