/**
 * The embeddings analysis's maths against hand-worked cases: a 2-D PCA whose covariance is worked out
 * by hand, a known dominant direction in 6-D, and the k-nearest-neighbour overlap of a small layout.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binomialTailAboveHalf, knnOverlap, pca2 } from '../../../../src/main/engine/metrics/embeddings';

const rows = (r: number[][]) => ({ data: Float64Array.from(r.flat()), n: r.length, d: r[0].length });
const close = (a: number, b: number, tol = 1e-9, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('PCA, hand case: (3,3), (-3,-3), (1,-1), (-1,1) shifted by (10,-5)', () => {
  // Centred covariance (divide by n = 4): [[5, 4], [4, 5]]: eigenvalues 9 along (1,1)/sqrt2 and 1 along
  // (1,-1)/sqrt2 (sign: largest entry positive, a tie, so the first). Total variance 10.
  const shift = (p: number[]) => [p[0] + 10, p[1] - 5];
  const p = pca2(
    rows(
      [
        [3, 3],
        [-3, -3],
        [1, -1],
        [-1, 1],
      ].map(shift),
    ),
  );
  const s = Math.SQRT1_2;
  close(p.components[0][0], s, 1e-9, 'pc1 x');
  close(p.components[0][1], s, 1e-9, 'pc1 y');
  close(Math.abs(p.components[1][0]), s, 1e-9, 'pc2 x');
  close(p.components[1][0], -p.components[1][1], 1e-9, 'pc2 is (1,-1) up to sign');
  close(p.explained[0], 0.9, 1e-9, 'explained 1');
  close(p.explained[1], 0.1, 1e-9, 'explained 2');
  // Projections on pc1: (3,3) -> 6/sqrt2 = 3 sqrt2; (1,-1) -> 0; on pc2 |(1,-1)| -> sqrt2.
  close(p.points[0][0], 3 * Math.SQRT2, 1e-9, 'point 0 x');
  close(p.points[0][1], 0, 1e-9, 'point 0 y');
  close(p.points[1][0], -3 * Math.SQRT2, 1e-9, 'point 1 x');
  close(p.points[2][0], 0, 1e-9, 'point 2 x');
  close(Math.abs(p.points[2][1]), Math.SQRT2, 1e-9, 'point 2 y');
  close(p.points[2][1], -p.points[3][1], 1e-9, 'points 2 and 3 opposite');
});

test('PCA finds a known dominant direction in 6-D, and the second is orthogonal to it', () => {
  const u = [1, -2, 0.5, 3, 0, 1];
  const norm = Math.hypot(...u);
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const data = Array.from({ length: 200 }, () => {
    const t = rand() * 20;
    return u.map((ui) => (t * ui) / norm + rand() * 0.1);
  });
  const p = pca2(rows(data));
  const along = p.components[0].reduce((s, v, j) => s + (v * u[j]) / norm, 0);
  assert.ok(Math.abs(along) > 0.9999, `|cos(pc1, u)| = ${along}`);
  assert.ok(p.components[0][3] > 0, 'sign: the largest entry (index 3) is positive');
  const ortho = p.components[0].reduce((s, v, j) => s + v * p.components[1][j], 0);
  close(ortho, 0, 1e-9, 'pc1 . pc2');
  assert.ok(p.explained[0] > 0.99 && p.explained[1] < 0.01, `explained ${p.explained}`);
});

test('PCA of identical points: no variance, finite zero projections', () => {
  const p = pca2(
    rows([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]),
  );
  assert.deepEqual(p.explained, [0, 0]);
  for (const [a, b] of p.points) assert.ok(a === 0 && b === 0);
});

test('kNN overlap, hand case on a line with k = 3', () => {
  // Focus (F) points at 0, 1, 2, 10; others (O) at 9, 11, 12, 3.
  // 0: nearest 1F, 2F, 3O -> 1 of 3 other: not mixed. 1: 0F, 2F, then 3O -> not mixed.
  // 2: 1F, 3O, 0F -> not mixed. 10: 9O, 11O, 12O -> mixed. Share 1/4.
  const xs = [0, 1, 2, 10, 9, 11, 12, 3];
  const focus = [1, 1, 1, 1, 0, 0, 0, 0];
  const o = knnOverlap(rows(xs.map((x) => [x])), focus, 3);
  assert.equal(o.focus, 4);
  assert.equal(o.mixed, 1);
  assert.equal(o.share, 0.25);
  // Chance: p = 4 others / 7 candidates; P(X >= 2), X ~ Bin(3, 4/7) = 3 p^2 (1-p) + p^3.
  const p = 4 / 7;
  close(o.chance, 3 * p * p * (1 - p) + p ** 3, 1e-12, 'chance');
  // Moving the focus point at 10 next to the others' cluster at 0..2 makes it not mixed: share 0.
  const o2 = knnOverlap(rows([0, 1, 2, 1.5, 9, 11, 12, 3].map((x) => [x])), focus, 3);
  assert.equal(o2.share, 0);
  assert.throws(() => knnOverlap(rows([[0], [1]]), [1, 0], 2), /needs at least 3 points/);
});

test('binomial tail above half: k = 5, p = 0.5 is 1/2; p = 1 is 1; p = 0 is 0', () => {
  close(binomialTailAboveHalf(5, 0.5), 0.5, 1e-12);
  close(binomialTailAboveHalf(5, 1), 1, 1e-12);
  close(binomialTailAboveHalf(5, 0), 0, 1e-12);
  // k = 4: more than 2 of 4 -> P(3) + P(4) = 4 p^3 q + p^4.
  close(binomialTailAboveHalf(4, 0.3), 4 * 0.027 * 0.7 + 0.0081, 1e-12);
});
