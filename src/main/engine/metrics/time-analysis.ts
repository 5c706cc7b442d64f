/**
 * Time analysis, paper Section 7.2 ("Time Analysis", Figure 2) and Appendix E.2:
 * "we compare the time taken by the unlearned model and the retrained model to reach their
 * respective peak generalization performance. We then report how many times faster our unlearning
 * approach is compared to the retrained baseline."
 *
 *   speed-up = T_peak(retrain) / T_peak(method)
 *
 * where T_peak is the elapsed time at which a run FIRST reaches its own peak test accuracy. The
 * paper's "around 50% time improvement" is the saving 1 - T_peak(method) / T_peak(retrain) = 1 - 1/speed-up. Each
 * curve's elapsedMs is cumulative wall time since that run started (the method's
 * clock includes its locate/reset step; retraining starts from scratch), non-decreasing.
 * `tolerance` (default 0) lets "reaching the peak" mean reaching peak - tolerance, since test
 * accuracy is noisy; the default is the literal rule.
 */
import { MetricsError } from './errors';

export interface CurvePoint {
  round: number;
  elapsedMs: number;
  testAccuracy: number;
}

export interface CurveMark {
  /** Index into the curve. */
  index: number;
  round: number;
  elapsedMs: number;
  testAccuracy: number;
}

export interface PeakInfo extends CurveMark {
  /** The highest test accuracy on the curve. */
  peakAccuracy: number;
}

function checkCurve(curve: readonly CurvePoint[], what: string): void {
  if (curve.length === 0) throw new MetricsError(`${what}: the curve is empty`);
  curve.forEach((p, i) => {
    if (!Number.isFinite(p.round) || !Number.isFinite(p.elapsedMs) || !Number.isFinite(p.testAccuracy)) {
      throw new MetricsError(`${what}: point ${i} has a non-finite field`);
    }
    if (p.elapsedMs < 0) throw new MetricsError(`${what}: point ${i} has negative elapsedMs`);
    if (i > 0 && p.elapsedMs < curve[i - 1].elapsedMs) {
      throw new MetricsError(
        `${what}: elapsedMs must be non-decreasing (point ${i}: ${p.elapsedMs} < ${curve[i - 1].elapsedMs})`,
      );
    }
  });
}

const mark = (curve: readonly CurvePoint[], i: number): CurveMark => ({
  index: i,
  round: curve[i].round,
  elapsedMs: curve[i].elapsedMs,
  testAccuracy: curve[i].testAccuracy,
});

/** Peak accuracy and the first point reaching it (within `tolerance`). */
export function peakOf(curve: readonly CurvePoint[], tolerance = 0): PeakInfo {
  checkCurve(curve, 'peak');
  if (!(tolerance >= 0)) throw new MetricsError(`peak: tolerance must be >= 0 (got ${tolerance})`);
  let peak = -Infinity;
  for (const p of curve) peak = Math.max(peak, p.testAccuracy);
  const first = curve.findIndex((p) => p.testAccuracy >= peak - tolerance);
  return { ...mark(curve, first), peakAccuracy: peak };
}

/** T_peak(retrain) / T_peak(method); null when the method's time-to-peak is 0 or either is unknown. */
export function speedupRatio(retrainTimeToPeak: number | null, methodTimeToPeak: number | null): number | null {
  if (retrainTimeToPeak === null || methodTimeToPeak === null || methodTimeToPeak === 0) return null;
  return retrainTimeToPeak / methodTimeToPeak;
}
