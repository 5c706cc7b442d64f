/**
 * Deterministic orderings shared by GME grouping and the CSL comparison: a score ranking whose ties
 * are broken by example id, so that the same scores always produce the same groups and top sets.
 */
import { MetricsError, requireFinite, requireSameLength } from './errors';

/**
 * Positions 0..n-1 sorted by score descending; equal scores by id ascending (ids default to the
 * positions themselves), then by position if ids repeat. Scores must be finite.
 */
export function descendingOrder(scores: ArrayLike<number>, ids?: ArrayLike<number>): Int32Array {
  requireFinite('ranking: scores', scores);
  if (ids) {
    requireSameLength('ranking: scores and ids', scores, ids);
    requireFinite('ranking: ids', ids);
  }
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const d = scores[b] - scores[a];
    if (d !== 0) return d;
    if (ids && ids[a] !== ids[b]) return ids[a] - ids[b];
    return a - b;
  });
  return Int32Array.from(order);
}

/**
 * Count of the top `fraction` under the rank-percentile rule used by GME: the example at
 * descending rank r (0-based) of n is in the top fraction f iff r < f * n, so k = ceil(f * n).
 * A tolerance of 1e-9 * n absorbs binary rounding (0.3 * 10 is 3.0000000000000004 in floats, and
 * the user meant 3).
 */
export function topCount(n: number, fraction: number): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new MetricsError(`fraction must be in [0, 1] (got ${fraction})`);
  return Math.min(n, Math.max(0, Math.ceil(fraction * n - 1e-9 * n)));
}

/** 1-based ranks ascending by value, ties given their average rank (for Spearman's rho). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  requireFinite('ranking: values', values);
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = avg;
    i = j + 1;
  }
  return ranks;
}
