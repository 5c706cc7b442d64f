/**
 * The key metrics a runs-list row shows, read from the run's `done` summary: the original model's
 * test accuracy, then each report row (its test and D_u accuracy). Runs recorded before summaries
 * were typed kept their rows as objects keyed by label; those still show.
 */
import { percent } from '../charts/common';
import type { RunSummary } from '../../../shared/results';

export interface KeyMetric {
  label: string;
  value: string;
  title: string;
}

function metric(label: string, test: number, du: number | null | undefined): KeyMetric {
  const duText = typeof du === 'number' ? `, D_u ${percent(du, 1)}` : '';
  return { label, value: percent(test, 1), title: `${label}: test accuracy ${percent(test, 2)}${duText}` };
}

export function keyMetrics(summary: RunSummary | null): KeyMetric[] {
  if (!summary) return [];
  const out: KeyMetric[] = [];
  if (typeof summary.testAccuracy === 'number') {
    out.push({ label: 'Original', value: percent(summary.testAccuracy, 1), title: 'Test accuracy of the original model' });
  }
  if (Array.isArray(summary.rows)) {
    for (const r of summary.rows) if (typeof r.testAccuracy === 'number') out.push(metric(r.label, r.testAccuracy, r.unlearnAccuracy));
    return out;
  }
  for (const [key, v] of Object.entries(summary as unknown as Record<string, unknown>)) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    const m = v as { testAccuracy?: unknown; unlearnAccuracy?: unknown };
    if (typeof m.testAccuracy === 'number') out.push(metric(key, m.testAccuracy, typeof m.unlearnAccuracy === 'number' ? m.unlearnAccuracy : null));
  }
  return out;
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
