/**
 * Unlearning memorization score of each example of D_u (paper Section 5, Eq. 9; Feldman 2020):
 *
 *   mem(x_i, y_i) = Pr[Phi_G(x_i) = y_i] - (1/J) * sum_j Pr[Phi_Gr^j(x_i) = y_i]
 *
 * Phi_G is the original model (trained on D_r u D_u), Phi_Gr^j the J models retrained on D_r alone.
 * "Pr[...]" has two estimators, both offered:
 *   - 'correct' (the paper's text): the indicator 1[argmax = y] of each model, i.e.
 *       1[orig correct] - mean_j 1[retrained_j correct]; scores lie in [-1, 1] in steps of 1/J.
 *   - 'probability' (the authors' code, measure_memorization_scores): the softmax probability of
 *       the true label, p_orig - mean_j p_j. It is continuous, so ties (and empty GME groups) are rare.
 * `clipNegative` replaces negative scores by 0, as the authors' notebook did after computing them
 * (`memorization_scores[memorization_scores < 0.] = 0`). It defaults to false for both variants: a
 * negative score is information (the example is fitted better without D_u), and clipping creates many
 * tied zeros at the bottom of the ranking.
 * Every one of the J retrained models is used (the authors' loop appended only the last one).
 * Inputs are aligned by example: original[i] and retrained[j][i] describe the same example i.
 */
import { MetricsError, requireFinite, requireSameLength } from './errors';

export type MemorizationVariant = 'probability' | 'correct';

export interface MemorizationOptions {
  /** Replace negative scores by 0 (the authors' code). Default false. */
  clipNegative?: boolean;
}

export interface MemorizationInput extends MemorizationOptions {
  variant: MemorizationVariant;
  /** Per example of D_u: p(true label) ('probability') or 1/0 correctness ('correct') under Phi_G. */
  original: ArrayLike<number>;
  /** One array per retrained model Phi_Gr^j, aligned with `original`; J >= 1. */
  retrained: readonly ArrayLike<number>[];
}

/** Score = original - mean over retrained models, per example (float64). */
function differenceFromMean(
  original: ArrayLike<number>,
  retrained: readonly ArrayLike<number>[],
  options: MemorizationOptions,
): Float64Array {
  if (retrained.length === 0) throw new MetricsError('memorization: at least one retrained model (J >= 1) is required');
  const n = requireSameLength('memorization', original, ...retrained);
  const J = retrained.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < J; j++) s += retrained[j][i];
    const score = original[i] - s / J;
    out[i] = options.clipNegative && score < 0 ? 0 : score;
  }
  return out;
}

function requireProbabilities(what: string, p: ArrayLike<number>): void {
  requireFinite(what, p);
  for (let i = 0; i < p.length; i++) {
    if (p[i] < 0 || p[i] > 1) throw new MetricsError(`${what}: probability at index ${i} is outside [0, 1] (${p[i]})`);
  }
}

function requireIndicators(what: string, c: ArrayLike<number>): void {
  for (let i = 0; i < c.length; i++) {
    if (c[i] !== 0 && c[i] !== 1)
      throw new MetricsError(`${what}: correctness at index ${i} must be 0 or 1 (got ${c[i]})`);
  }
}

/** The authors' estimator: p_true(orig) - mean_j p_true(retrained_j). */
export function probabilityMemorization(
  pOriginal: ArrayLike<number>,
  pRetrained: readonly ArrayLike<number>[],
  options: MemorizationOptions = {},
): Float64Array {
  requireProbabilities('memorization: original', pOriginal);
  pRetrained.forEach((p, j) => requireProbabilities(`memorization: retrained model ${j}`, p));
  return differenceFromMean(pOriginal, pRetrained, options);
}

/** Eq. 9 with indicator estimates: 1[orig correct] - mean_j 1[retrained_j correct]. */
export function correctnessMemorization(
  correctOriginal: ArrayLike<number>,
  correctRetrained: readonly ArrayLike<number>[],
  options: MemorizationOptions = {},
): Float64Array {
  requireIndicators('memorization: original', correctOriginal);
  correctRetrained.forEach((c, j) => requireIndicators(`memorization: retrained model ${j}`, c));
  return differenceFromMean(correctOriginal, correctRetrained, options);
}

export function memorizationScores(input: MemorizationInput): Float64Array {
  const { variant, original, retrained, clipNegative } = input;
  switch (variant) {
    case 'probability':
      return probabilityMemorization(original, retrained, { clipNegative });
    case 'correct':
      return correctnessMemorization(original, retrained, { clipNegative });
    default: {
      const never: never = variant;
      throw new MetricsError(`memorization: unknown variant ${String(never)}`);
    }
  }
}
