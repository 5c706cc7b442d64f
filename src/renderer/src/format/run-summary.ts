/**
 * The key metrics a runs-list row shows, read from the run's `done` summary through the one reader
 * the list filter uses too (shared/run-metrics.ts): the original model's test accuracy, then each
 * report row (its test and D_u accuracy).
 */
import { percent } from '../../../shared/figures/common';
import type { RunSummary } from '../../../shared/results';
import { ORIGINAL_ROW, summaryRows } from '../../../shared/run-metrics';

export interface KeyMetric {
  label: string;
  value: string;
  title: string;
}

export function keyMetrics(summary: RunSummary | null): KeyMetric[] {
  return summaryRows(summary).flatMap((r) => {
    if (r.testAccuracy === null) return [];
    if (r.label === ORIGINAL_ROW)
      return [{ label: r.label, value: percent(r.testAccuracy, 1), title: 'Test accuracy of the original model' }];
    const du = r.unlearnAccuracy !== null ? `, D_u ${percent(r.unlearnAccuracy, 1)}` : '';
    const delta = r.topGroupDelta !== null ? `, top-group |Δ| ${(r.topGroupDelta * 100).toFixed(1)} points` : '';
    return [
      {
        label: r.label,
        value: percent(r.testAccuracy, 1),
        title: `${r.label}: test accuracy ${percent(r.testAccuracy, 2)}${du}${delta}`,
      },
    ];
  });
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
