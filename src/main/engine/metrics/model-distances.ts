/**
 * The distances Appendix G.1 (Figure G6) compares models by: the L2 distance and the cosine similarity
 * of all parameters flattened into one vector, and the KL divergence of two models' output
 * distributions averaged over examples. Sums run in float64 over the float32 weights.
 */
import type { Weights } from '../types';

function checkSameShape(a: Weights, b: Weights): void {
  if (a.length !== b.length || a.some((t, i) => t.length !== b[i].length))
    throw new Error('the two models have different parameter shapes');
}

/** ||a - b||_2 over every scalar of every tensor. */
export function l2Distance(a: Weights, b: Weights): number {
  checkSameShape(a, b);
  let s = 0;
  a.forEach((t, i) => {
    const u = b[i];
    for (let k = 0; k < t.length; k++) {
      const d = t[k] - u[k];
      s += d * d;
    }
  });
  return Math.sqrt(s);
}

/** a . b / (||a|| ||b||) over every scalar; NaN when either model is all zeros (no direction). */
export function cosineSimilarity(a: Weights, b: Weights): number {
  checkSameShape(a, b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((t, i) => {
    const u = b[i];
    for (let k = 0; k < t.length; k++) {
      dot += t[k] * u[k];
      na += t[k] * t[k];
      nb += u[k] * u[k];
    }
  });
  return na === 0 || nb === 0 ? NaN : dot / Math.sqrt(na * nb);
}

/** Probabilities below this count as this in log q, so a zero where p is not gives a large finite KL. */
const FLOOR = 1e-12;

/**
 * Mean over n examples of KL(p_i || q_i) = sum_c p_ic log(p_ic / q_ic), in nats; p and q hold n rows of
 * `classes` probabilities each (softmax outputs). Terms with p_ic = 0 contribute 0.
 */
export function meanKl(p: Float32Array, q: Float32Array, classes: number): number {
  if (p.length !== q.length || p.length % classes !== 0) throw new Error('the two output tables differ in size');
  const n = p.length / classes;
  if (n === 0) return NaN;
  let s = 0;
  for (let k = 0; k < p.length; k++) {
    const pk = p[k];
    // The same floor on both sides, so a model compared with itself gives exactly 0.
    if (pk > 0) s += pk * (Math.log(Math.max(pk, FLOOR)) - Math.log(Math.max(q[k], FLOOR)));
  }
  return s / n;
}

/** matrix[i][j] = f(items[i], items[j]); the diagonal is f(x, x) too (0 for distances, 1 for cosine). */
export function pairwise<T>(items: readonly T[], f: (a: T, b: T) => number): number[][] {
  return items.map((a) => items.map((b) => f(a, b)));
}
