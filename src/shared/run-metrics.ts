/**
 * The metrics a runs-list row shows, read from a run's one-line summary, and conditions on them
 * ("FedMemEraser top-group |Δ| ≤ 10"). The list's cells, the list filter (main's runs:list) and
 * `fedmem list --where` all read rows through `summaryRows`, so a condition tests what the user sees.
 * Values are in percent (accuracy 94.5, |Δ| 3.2 points), as the list prints them.
 */
import { z } from 'zod';
import type { RunSummary } from './results';

/** The original model's row: a training-only run's final accuracy, an unlearning run's mean. */
export const ORIGINAL_ROW = 'Original';

/** One row of a run's summary, fractions as stored (null when the run did not measure it). */
export interface SummaryRow {
  label: string;
  testAccuracy: number | null;
  unlearnAccuracy: number | null;
  topGroupDelta: number | null;
}

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The Original row (when the summary has its accuracy), then every report row. Runs recorded before
 * summaries were typed kept their rows as objects keyed by label; those still read.
 */
export function summaryRows(summary: RunSummary | null | undefined): SummaryRow[] {
  if (!summary) return [];
  const out: SummaryRow[] = [];
  const original = numOrNull(summary.testAccuracy);
  if (original !== null)
    out.push({ label: ORIGINAL_ROW, testAccuracy: original, unlearnAccuracy: null, topGroupDelta: null });
  if (Array.isArray(summary.rows)) {
    for (const r of summary.rows) {
      out.push({
        label: r.label,
        testAccuracy: numOrNull(r.testAccuracy),
        unlearnAccuracy: numOrNull(r.unlearnAccuracy),
        topGroupDelta: numOrNull(r.topGroupDelta),
      });
    }
    return out;
  }
  for (const [label, v] of Object.entries(summary as unknown as Record<string, unknown>)) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    const m = v as Record<string, unknown>;
    if (typeof m.testAccuracy !== 'number') continue;
    out.push({
      label,
      testAccuracy: m.testAccuracy,
      unlearnAccuracy: numOrNull(m.unlearnAccuracy),
      topGroupDelta: numOrNull(m.topGroupDelta),
    });
  }
  return out;
}

/** The metrics a condition can test, with the words the UI and the CLI use for them. */
export const RUN_METRICS = {
  test: { name: 'test accuracy', field: 'testAccuracy' },
  du: { name: 'accuracy on D_u', field: 'unlearnAccuracy' },
  'top-delta': { name: 'top-group |Δ|', field: 'topGroupDelta' },
} as const satisfies Record<string, { name: string; field: keyof SummaryRow }>;
export type RunMetric = keyof typeof RUN_METRICS;
export const RUN_METRIC_IDS = Object.keys(RUN_METRICS) as RunMetric[];

export const metricConditionSchema = z.strictObject({
  /** A row label as the list shows it: Original, Retrained, or a method's label (case-insensitive). */
  row: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  metric: z.enum(RUN_METRIC_IDS as [RunMetric, ...RunMetric[]]),
  op: z.enum(['>=', '<=']),
  /** Percent: 94 is 94% accuracy, or 3 points of |Δ|. */
  value: z.number().finite('must be a number'),
});
export type MetricCondition = z.infer<typeof metricConditionSchema>;

/** The row's metric in percent, or null when the run has no such row or did not measure it. */
export function metricValue(summary: RunSummary | null | undefined, row: string, metric: RunMetric): number | null {
  const wanted = row.trim().toLowerCase();
  const r = summaryRows(summary).find((x) => x.label.toLowerCase() === wanted);
  const v = r ? r[RUN_METRICS[metric].field] : null;
  return typeof v === 'number' ? v * 100 : null;
}

/**
 * A run without the metric does not meet the condition: "≥ 90" cannot be confirmed for a run that never measured it.
 */
export function conditionHolds(summary: RunSummary | null | undefined, c: MetricCondition): boolean {
  const v = metricValue(summary, c.row, c.metric);
  if (v === null) return false;
  // Compared at the precision the list prints (0.01 points), so "≥ 94.5" keeps a run shown as 94.50%.
  const a = Math.round(v * 100);
  const b = Math.round(c.value * 100);
  return c.op === '>=' ? a >= b : a <= b;
}

/** "FedMemEraser top-group |Δ| ≤ 10 points": a condition in words, for a chip or a message. */
export function conditionText(c: MetricCondition): string {
  const unit = c.metric === 'top-delta' ? ' points' : '%';
  return `${c.row} ${RUN_METRICS[c.metric].name} ${c.op === '>=' ? '≥' : '≤'} ${c.value}${unit}`;
}

/**
 * A condition typed as text: "FedMemEraser top-delta <= 10", "Original test >= 95" (the row label may
 * have spaces; a trailing % is allowed). The CLI's `--where`; a plain message when it does not parse.
 */
export function parseCondition(
  text: string,
): { ok: true; condition: MetricCondition } | { ok: false; message: string } {
  const m = /^\s*(.+?)\s+([a-z-]+)\s*(>=|<=|≥|≤)\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/i.exec(text);
  if (!m)
    return {
      ok: false,
      message: `"${text}" is not a condition; write ROW METRIC >= VALUE, e.g. "FedMemEraser top-delta <= 10"`,
    };
  const metric = m[2].toLowerCase();
  if (!(RUN_METRIC_IDS as string[]).includes(metric))
    return { ok: false, message: `"${m[2]}" is not a metric; use one of ${RUN_METRIC_IDS.join(', ')}` };
  const op = m[3] === '≥' ? '>=' : m[3] === '≤' ? '<=' : (m[3] as '>=' | '<=');
  return { ok: true, condition: { row: m[1], metric: metric as RunMetric, op, value: Number(m[4]) } };
}
