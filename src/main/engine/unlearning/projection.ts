/**
 * FedOSD's vector maths (Pan et al. 2025), on flat float64 vectors so that dot products over
 * millions of parameters keep their precision.
 *
 * The orthogonal steepest descent direction is the solution of min ||d - g_u||^2 subject to
 * g_i . d = 0 for every remaining client i: g_u minus its projection onto span{g_i}. The public code
 * solves it as d = g_u - A^T (A A^T)^+ A g_u with an SVD pseudo-inverse; here the span gets an
 * orthonormal basis by modified Gram-Schmidt, run twice ("twice is enough", Giraud et al. 2005),
 * which gives the same d without squaring A's condition number. Vectors already (numerically) in
 * the span of the earlier ones are dropped, as the pseudo-inverse drops tiny singular values.
 */
import type { Weights } from '../types';

/** A vector whose residual after projection is below this fraction of its norm is in the span already. */
const RANK_TOLERANCE = 1e-9;
/**
 * A target gradient whose orthogonal part is below this fraction of its norm lies in the remaining
 * clients' span: gradients arrive as float32 (relative precision ~6e-8), so a smaller residual is
 * rounding, and rescaling it to ||g_u|| would step along noise.
 */
const IN_SPAN_TOLERANCE = 1e-6;

export function flatten(w: Weights): Float64Array {
  const out = new Float64Array(w.reduce((a, t) => a + t.length, 0));
  let at = 0;
  for (const t of w) {
    out.set(t, at);
    at += t.length;
  }
  return out;
}

/** The inverse of `flatten`: float32 tensors shaped like `like`. */
export function unflatten(v: Float64Array, like: Weights): Weights {
  let at = 0;
  return like.map((t) => {
    const out = Float32Array.from(v.subarray(at, at + t.length));
    at += t.length;
    return out;
  });
}

export function dot(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length)
    throw new Error(`cannot take the dot product of vectors of lengths ${a.length} and ${b.length}`);
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** v - sum_j (q_j . v) q_j, in place, for orthonormal q_j. */
function subtractProjections(v: Float64Array, basis: readonly Float64Array[]): void {
  for (const q of basis) {
    const c = dot(q, v);
    for (let k = 0; k < v.length; k++) v[k] -= c * q[k];
  }
}

/** An orthonormal basis of span(vectors); dependent and zero vectors contribute nothing. */
export function orthonormalBasis(vectors: readonly Float64Array[]): Float64Array[] {
  const basis: Float64Array[] = [];
  for (const v of vectors) {
    const n0 = norm(v);
    if (n0 === 0) continue;
    const r = v.slice();
    subtractProjections(r, basis);
    subtractProjections(r, basis);
    const n = norm(r);
    if (n <= RANK_TOLERANCE * n0) continue;
    for (let k = 0; k < r.length; k++) r[k] /= n;
    basis.push(r);
  }
  return basis;
}

/** The component of `v` orthogonal to every one of `vectors` (a new array). */
export function projectOntoOrthogonalComplement(v: Float64Array, vectors: readonly Float64Array[]): Float64Array {
  const basis = orthonormalBasis(vectors);
  const out = v.slice();
  subtractProjections(out, basis);
  subtractProjections(out, basis);
  return out;
}

/** `v` scaled to length `length`; the zero vector stays zero (it has no direction to keep). */
export function rescaleTo(v: Float64Array, length: number): Float64Array {
  const n = norm(v);
  return n === 0 ? new Float64Array(v.length) : v.map((x) => (x * length) / n);
}

/**
 * FedOSD's unlearning direction: the target's gradient `gu` made orthogonal to every remaining
 * client's gradient, then rescaled to ||gu|| (so the orthogonality costs no step length). Zero when
 * gu lies in the remaining clients' span: then every direction that helps the target hurts someone.
 */
export function orthogonalUnlearningDirection(gu: Float64Array, remaining: readonly Float64Array[]): Float64Array {
  const d = projectOntoOrthogonalComplement(gu, remaining);
  const n = norm(gu);
  return norm(d) <= IN_SPAN_TOLERANCE * n ? new Float64Array(gu.length) : rescaleTo(d, n);
}

/**
 * FedOSD's post-training projection of one remaining client's gradient (or update) `g`: its
 * component along `direction` (the model's drift from the original, the unlearning direction)
 * removed, both signs, then rescaled to ||g||, as the public code does; so post-training neither
 * walks back towards the original model nor further along the unlearning direction. A zero
 * direction leaves `g` as it is.
 */
export function projectOffDirection(g: Float64Array, direction: Float64Array): Float64Array {
  if (norm(direction) === 0) return g.slice();
  return rescaleTo(projectOntoOrthogonalComplement(g, [direction]), norm(g));
}

/** Largest |cos| between `v` and any of `vectors` (0 for zero vectors): how far from orthogonal. */
export function maxAbsCosine(v: Float64Array, vectors: readonly Float64Array[]): number {
  const nv = norm(v);
  let worst = 0;
  for (const g of vectors) {
    const ng = norm(g);
    if (nv === 0 || ng === 0) continue;
    worst = Math.max(worst, Math.abs(dot(v, g)) / (nv * ng));
  }
  return worst;
}
