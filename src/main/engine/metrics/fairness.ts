/**
 * Local fairness (Shao et al. 2024), paper Appendix E.2 (and Section 7.1, item 3).
 *
 * For each remaining client k in K_r, on its own local data D_k:
 *   Delta L_k = L(Phi_Gu, D_k) - L(Phi_G, D_k)
 * i.e. the loss of the unlearned model minus the loss of the ORIGINAL model (for the "Retrained
 * Baseline" row of the tables, Phi_Gu is the retrained model). Then
 *   LocalFairness = sum_{k in K_r} | Delta L_k - mean_k Delta L_k |        ('sum', the paper's formula)
 * The formula is an absolute deviation, not a variance, although Section 7.2 calls it "variance";
 * we follow the formula. The authors' code (FairMeasurement) divides the same sum by K = |K_r|
 * ('mean'). Both are returned, with every client's Delta L_k, so a table can say which it shows.
 * The paper's tables report the value in units of 10^-3.
 * The same maths applies to any per-client utility (the code also offers accuracy); pass
 * accuracies instead of losses for that.
 */
import { MetricsError, requireFinite, requireSameLength } from './errors';

export interface LocalFairness {
  /** Delta L_k = after_k - before_k, in the given client order. */
  deltas: number[];
  /** mean_k Delta L_k. */
  meanDelta: number;
  /** |Delta L_k - meanDelta| per client. */
  deviations: number[];
  /** The paper's value: sum of the deviations. */
  sum: number;
  /** The authors' code: sum / K. */
  mean: number;
}

/**
 * @param before per remaining client, L(Phi_G, D_k): the original model's loss on the client's data
 * @param after  per remaining client, L(Phi_Gu, D_k): the unlearned (or retrained) model's loss
 */
export function localFairness(before: ArrayLike<number>, after: ArrayLike<number>): LocalFairness {
  const K = requireSameLength('local fairness: before/after', before, after);
  if (K === 0) throw new MetricsError('local fairness: at least one remaining client is required');
  requireFinite('local fairness: before', before);
  requireFinite('local fairness: after', after);
  const deltas: number[] = [];
  for (let k = 0; k < K; k++) deltas.push(after[k] - before[k]);
  const meanDelta = deltas.reduce((a, b) => a + b, 0) / K;
  const deviations = deltas.map((d) => Math.abs(d - meanDelta));
  const sum = deviations.reduce((a, b) => a + b, 0);
  return { deltas, meanDelta, deviations, sum, mean: sum / K };
}
