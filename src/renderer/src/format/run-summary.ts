/**
 * The key metrics a runs-list row shows, read from the run's `done` summary: the original model's
 * test accuracy, then each row of the report ({ testAccuracy, unlearnAccuracy }) by its label.
 */
import { percent } from '../charts/common';

export interface KeyMetric {
  label: string;
  value: string;
  title: string;
}

export function keyMetrics(summary: Record<string, unknown> | null): KeyMetric[] {
  if (!summary) return [];
  const out: KeyMetric[] = [];
  if (typeof summary.testAccuracy === 'number') {
    out.push({ label: 'Original', value: percent(summary.testAccuracy, 1), title: 'Test accuracy of the original model' });
  }
  for (const [key, v] of Object.entries(summary)) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    const m = v as { testAccuracy?: unknown; unlearnAccuracy?: unknown };
    if (typeof m.testAccuracy !== 'number') continue;
    const du = typeof m.unlearnAccuracy === 'number' ? `, D_u ${percent(m.unlearnAccuracy, 1)}` : '';
    out.push({ label: key, value: percent(m.testAccuracy, 1), title: `${key}: test accuracy ${percent(m.testAccuracy, 2)}${du}` });
  }
  return out;
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
