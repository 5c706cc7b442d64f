/**
 * Appendix G.2 (Figure G7): how much an example's probability of its true label varies between
 * retrained models trained on the same data. The paper shows the spread but names no measure; we
 * offer the range (max - min) and the population standard deviation.
 */

export type SpreadMeasure = 'range' | 'std';

/** Spread of one example's values under the J models. */
export function spreadOf(values: readonly number[], measure: SpreadMeasure): number {
  if (values.length === 0) return NaN;
  if (measure === 'range') return Math.max(...values) - Math.min(...values);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

export interface StabilitySummary {
  /** Example positions sorted by mean ascending (ties by position). */
  order: number[];
  mean: number[];
  spread: number[];
  unstable: number;
  unstableShare: number;
}

/**
 * probabilities[j][i] = model j's probability of example i's label. Unstable = spread strictly above
 * the threshold. `mean` and `spread` are per example in the original order.
 */
export function exampleStability(
  probabilities: readonly ArrayLike<number>[],
  measure: SpreadMeasure,
  threshold: number,
): StabilitySummary {
  const n = probabilities[0]?.length ?? 0;
  const mean: number[] = [];
  const spread: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = probabilities.map((p) => p[i]);
    mean.push(v.reduce((a, b) => a + b, 0) / v.length);
    spread.push(spreadOf(v, measure));
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => mean[a] - mean[b] || a - b);
  const unstable = spread.filter((s) => s > threshold).length;
  return { order, mean, spread, unstable, unstableShare: n ? unstable / n : 0 };
}
