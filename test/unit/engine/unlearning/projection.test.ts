/**
 * FedOSD's defining property: the projected unlearning update has zero dot product with every
 * remaining client's gradient and keeps the target gradient's norm; plus the post-training projection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../../src/main/engine/rng';
import {
  dot,
  flatten,
  maxAbsCosine,
  norm,
  orthogonalUnlearningDirection,
  orthonormalBasis,
  projectOffDirection,
  unflatten,
} from '../../../../src/main/engine/unlearning/projection';

const v = (...xs: number[]) => Float64Array.from(xs);
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  assert.equal(a.length, b.length);
  for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k] - b[k]) <= tol, `[${k}] ${a[k]} vs ${b[k]}`);
};
function randomVector(rng: ReturnType<typeof createRng>, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * rng.normal());
}
/** The defining property, relative to the norms involved. */
function assertOrthogonalAndNormKept(d: Float64Array, gu: Float64Array, remaining: Float64Array[]) {
  for (const g of remaining)
    assert.ok(Math.abs(dot(d, g)) / (norm(d) * norm(g)) < 1e-6, `cos ${dot(d, g) / (norm(d) * norm(g))}`);
  assert.ok(Math.abs(norm(d) - norm(gu)) <= 1e-9 * norm(gu), `norm ${norm(d)} vs ${norm(gu)}`);
}

/** The public code's formula, d = c - A^T (A A^T)^-1 A c, by Gaussian elimination (full-rank A only). */
function pseudoInverseSolution(c: Float64Array, rows: Float64Array[]): Float64Array {
  const k = rows.length;
  const m = rows.map((a) => [...rows.map((b) => dot(a, b)), dot(a, c)]);
  for (let i = 0; i < k; i++) {
    for (let r = i + 1; r < k; r++) {
      const f = m[r][i] / m[i][i];
      for (let j = i; j <= k; j++) m[r][j] -= f * m[i][j];
    }
  }
  const y = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--)
    y[i] = (m[i][k] - m[i].slice(i + 1, k).reduce((a, x, j) => a + x * y[i + 1 + j], 0)) / m[i][i];
  return c.map((x, n) => x - rows.reduce((a, row, i) => a + row[n] * y[i], 0));
}

test('hand-made cases: one and two remaining gradients in 3-d', () => {
  // gu = (1,1,1) off (1,0,0) is (0,1,1), rescaled to |gu| = sqrt 3.
  const d1 = orthogonalUnlearningDirection(v(1, 1, 1), [v(1, 0, 0)]);
  close(d1, [0, Math.sqrt(1.5), Math.sqrt(1.5)]);
  // The orthogonal complement of span{(1,1,0), (0,1,1)} is the line of (1,-1,1); (1,0,0) projects to (1,-1,1)/3.
  const d2 = orthogonalUnlearningDirection(v(1, 0, 0), [v(1, 1, 0), v(0, 1, 1)]);
  close(d2, [1 / Math.sqrt(3), -1 / Math.sqrt(3), 1 / Math.sqrt(3)]);
  assertOrthogonalAndNormKept(d2, v(1, 0, 0), [v(1, 1, 0), v(0, 1, 1)]);
});

test('random gradients (seeded): orthogonal to every remaining gradient, original norm, equal to the pseudo-inverse solution', () => {
  const rng = createRng('fedosd-projection');
  for (const [n, k] of [
    [50, 3],
    [2000, 8],
    [10, 9],
  ]) {
    const gu = randomVector(rng, n);
    const remaining = Array.from({ length: k }, (_, i) => randomVector(rng, n, 10 ** ((i % 4) - 2)));
    const d = orthogonalUnlearningDirection(gu, remaining);
    assertOrthogonalAndNormKept(d, gu, remaining);
    assert.ok(maxAbsCosine(gu, remaining) > 1e-3, 'the unprojected gradient did conflict, so the test has teeth');
    // Same direction as the code's A^T (A A^T)^-1 solve, before rescaling.
    const ref = pseudoInverseSolution(gu, remaining);
    close(
      d.map((x) => x / norm(d)),
      ref.map((x) => x / norm(ref)),
      1e-8,
    );
  }
});

test('nearly parallel and linearly dependent remaining gradients stay handled', () => {
  const rng = createRng('fedosd-degenerate');
  const n = 300;
  const g1 = randomVector(rng, n);
  const g2 = g1.map((x) => x + 1e-7 * rng.normal()); // nearly parallel: A A^T is nearly singular
  const g3 = g1.map((x, i) => x - 2 * g2[i]); // exactly in the span of the first two
  const gu = randomVector(rng, n);
  const remaining = [g1, g2, g3];
  assert.ok(orthonormalBasis(remaining).length <= 2, 'a dependent vector adds no basis vector');
  const d = orthogonalUnlearningDirection(gu, remaining);
  assertOrthogonalAndNormKept(d, gu, remaining);
  // A target gradient inside the span has no conflict-free direction: the step is zero.
  const inSpan = g1.map((x, i) => 2 * x - 3 * g2[i]);
  assert.ok(norm(orthogonalUnlearningDirection(inSpan, [g1, g2])) < 1e-6 * norm(inSpan));
  close(orthogonalUnlearningDirection(gu, []), gu, 1e-12); // no remaining clients: gu itself
});

test('post-training projection: the component along the unlearning direction goes, the norm stays', () => {
  close(projectOffDirection(v(3, 4), v(2, 0)), [0, 5]);
  close(projectOffDirection(v(3, 4), v(-1, 0)), [0, 5], 1e-12);
  close(projectOffDirection(v(3, 4), v(0, 0)), [3, 4]);
  const rng = createRng('fedosd-post');
  const g = randomVector(rng, 1000);
  const drift = randomVector(rng, 1000, 0.01);
  const p = projectOffDirection(g, drift);
  assert.ok(Math.abs(dot(p, drift)) / (norm(p) * norm(drift)) < 1e-12);
  assert.ok(Math.abs(norm(p) - norm(g)) < 1e-9 * norm(g));
  assert.ok(dot(p, g) > 0, 'the rest of the update is kept');
});

test('flatten and unflatten are inverses on float32 tensors', () => {
  const w = [Float32Array.from([1.5, -2]), Float32Array.from([]), Float32Array.from([0.1, 0.2, 0.3])];
  const flat = flatten(w);
  assert.equal(flat.length, 5);
  assert.equal(flat[2], Math.fround(0.1));
  const back = unflatten(flat, w);
  back.forEach((t, i) => assert.deepEqual(t, w[i]));
});
