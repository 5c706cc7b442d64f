/**
 * Pruning-ratio selection, paper Appendix H.3 (Figure H10).
 *
 * The importance distribution: every scalar's importance (here |g_r|, the remaining clients' mean
 * update magnitude), sorted ascending, plotted as log10(importance) against percentile. The paper
 * observes a long tail: most values are tiny (1e-8 .. 1e-6), "rise gradually and then sharply
 * increase within the top few percent", the sharp rise beginning around 1e-5. Its rule: values "around
 * or above the order of 10^-5" (where the sharp rise starts) are important; "the next lower order of
 * magnitude, i.e. importance below the order of 10^-6", is redundant; rho = that fraction.
 *
 * Made deterministic here:
 *   1. distribution: log10(max(v, floor)) of the sorted values (floor 1e-12 so exact zeros, e.g. of
 *      never-updated parameters, have a finite log and count as the least important), sampled at
 *      `points` evenly spaced percentiles 0..100 with numpy's 'linear' rule (position p/100*(n-1),
 *      interpolating between neighbours);
 *   2. knee = where the sharp rise begins, by Kneedle (Satopaa et al. 2011) for a convex increasing
 *      curve: over the samples with percentile >= fromPercentile (default 50, so a steep start of the
 *      curve from floored zeros cannot take the knee), normalise both axes to [0, 1] and take the first
 *      point of maximum (chord - curve); none if that maximum is <= 0 (no convex rise);
 *   3. knee order = round(log10 importance at the knee) ("around the order of");
 *   4. threshold = 10^(knee order - orderGap), orderGap = 1 ("the next lower order of magnitude");
 *   5. rho = (number of scalars with importance < threshold) / n, counted on the data, not the samples
 *      (for Float32Array input the threshold is rounded to float32 first).
 * The paper's phrase "below the order of 10^-6" could also be read as "< 10^-5"; that is orderGap = 0.
 */
import { SelectionError } from './errors';

export interface ImportanceDistribution {
  percentiles: Float64Array;
  log10Magnitude: Float64Array;
  floor: number;
  /** Number of scalars. */
  n: number;
  /** How many were below the floor (exact zeros, typically) and were lifted to it. */
  belowFloor: number;
}

export interface PruningRatioOptions {
  points?: number;
  floor?: number;
  fromPercentile?: number;
  orderGap?: number;
}

export interface PruningRatioRecommendation {
  distribution: ImportanceDistribution;
  /** Index into the distribution's samples; null when the curve has no convex knee. */
  kneeIndex: number | null;
  kneePercentile: number | null;
  kneeLog10: number | null;
  kneeOrder: number | null;
  threshold: number | null;
  rho: number | null;
}

export function importanceDistribution(
  magnitudes: ArrayLike<number>,
  points = 101,
  floor = 1e-12,
): ImportanceDistribution {
  const n = magnitudes.length;
  if (n === 0) throw new SelectionError('importance distribution: no values');
  if (!Number.isInteger(points) || points < 2)
    throw new SelectionError(`importance distribution: points must be an integer >= 2 (got ${points})`);
  if (!(floor > 0)) throw new SelectionError(`importance distribution: floor must be > 0 (got ${floor})`);
  let belowFloor = 0;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.abs(magnitudes[i]);
    if (!Number.isFinite(v)) throw new SelectionError(`importance distribution: value ${i} is not finite`);
    if (v < floor) belowFloor++;
    sorted[i] = Math.log10(Math.max(v, floor));
  }
  sorted.sort();
  const percentiles = new Float64Array(points);
  const log10Magnitude = new Float64Array(points);
  for (let j = 0; j < points; j++) {
    const p = (100 * j) / (points - 1);
    const x = (p / 100) * (n - 1);
    const lo = Math.floor(x);
    const hi = Math.min(lo + 1, n - 1);
    percentiles[j] = p;
    log10Magnitude[j] = sorted[lo] + (x - lo) * (sorted[hi] - sorted[lo]);
  }
  return { percentiles, log10Magnitude, floor, n, belowFloor };
}

/** Kneedle on (x, y) for a convex increasing curve: first index of max (xn - yn) if > 0, else null. */
export function convexKnee(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const m = x.length;
  if (m < 3) return null;
  const dx = x[m - 1] - x[0];
  const dy = y[m - 1] - y[0];
  if (!(dx > 0) || !(dy > 0)) return null;
  let best = -1;
  let bestD = 0;
  for (let i = 0; i < m; i++) {
    const d = (x[i] - x[0]) / dx - (y[i] - y[0]) / dy;
    if (d > bestD + 1e-12) {
      bestD = d;
      best = i;
    }
  }
  return best < 0 ? null : best;
}

export function recommendPruningRatio(
  magnitudes: ArrayLike<number>,
  options: PruningRatioOptions = {},
): PruningRatioRecommendation {
  const { points = 101, floor = 1e-12, fromPercentile = 50, orderGap = 1 } = options;
  if (!(fromPercentile >= 0 && fromPercentile < 100))
    throw new SelectionError(`fromPercentile must be in [0, 100) (got ${fromPercentile})`);
  if (!Number.isInteger(orderGap) || orderGap < 0)
    throw new SelectionError(`orderGap must be an integer >= 0 (got ${orderGap})`);
  const distribution = importanceDistribution(magnitudes, points, floor);
  const start = distribution.percentiles.findIndex((p) => p >= fromPercentile);
  const knee = convexKnee(distribution.percentiles.subarray(start), distribution.log10Magnitude.subarray(start));
  if (knee === null) {
    return {
      distribution,
      kneeIndex: null,
      kneePercentile: null,
      kneeLog10: null,
      kneeOrder: null,
      threshold: null,
      rho: null,
    };
  }
  const kneeIndex = start + knee;
  const kneeLog10 = distribution.log10Magnitude[kneeIndex];
  const kneeOrder = Math.round(kneeLog10);
  const threshold = 10 ** (kneeOrder - orderGap);
  // Compare in the storage precision: a float32 1e-5 is 9.99999975e-6, which is "1e-5", not below it.
  const cut = magnitudes instanceof Float32Array ? Math.fround(threshold) : threshold;
  let below = 0;
  for (let i = 0; i < magnitudes.length; i++) if (Math.abs(magnitudes[i]) < cut) below++;
  return {
    distribution,
    kneeIndex,
    kneePercentile: distribution.percentiles[kneeIndex],
    kneeLog10,
    kneeOrder,
    threshold,
    rho: below / magnitudes.length,
  };
}
