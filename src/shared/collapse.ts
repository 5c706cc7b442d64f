/**
 * Rows Table 1 treats apart. Methods that collapsed: a row whose model no longer does the task cannot be "best" at
 * forgetting, since a model that predicts nothing forgets everything. Off the easy setting (non-IID, a harder
 * dataset, a short original training) several baselines ended near chance while retraining kept 73% test accuracy,
 * and the table bolded one as best on the top group. The rule: a method row whose mean test accuracy is more than
 * COLLAPSE_POINTS below the retrained reference's is collapsed; Table 1 marks it in its notes and the CSV, and never
 * bolds it. And methods that train nothing, which have no time to peak (trainsNothingNote).
 */
import type { ReportRow, UnlearningReport } from './results';

/** 20 points of test accuracy below retraining (fractions): far outside the 1-2 points methods differ by. */
export const COLLAPSE_POINTS = 0.2;

export interface Collapse {
  key: string;
  label: string;
  test: number;
  reference: number;
}

/** The method rows that collapsed against the report's retrained reference (none without one). */
export function collapsedRows(report: UnlearningReport): Collapse[] {
  const reference = report.rows.find((r) => r.kind === 'retrained')?.testAccuracy.mean;
  if (reference == null || !Number.isFinite(reference)) return [];
  const collapsed = (r: ReportRow) => {
    const test = r.testAccuracy.mean;
    return r.kind === 'method' && test != null && Number.isFinite(test) && test < reference - COLLAPSE_POINTS;
  };
  return report.rows
    .filter(collapsed)
    .map((r) => ({ key: r.key, label: r.label, test: r.testAccuracy.mean!, reference }));
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** The note under the table, or null when no method collapsed. */
export function collapseNote(collapsed: Collapse[]): string | null {
  if (collapsed.length === 0) return null;
  const which = collapsed.map((c) => `${c.label} (test ${pct(c.test)})`).join(', ');
  return (
    `Collapsed, so never bold: ${which}: test accuracy more than ${Math.round(100 * COLLAPSE_POINTS)} points below ` +
    `the retrained reference's ${pct(collapsed[0].reference)}; forgetting by a model that no longer does the task ` +
    `is not unlearning.`
  );
}

/** Where the table shows time to peak: the methods that train nothing, which have none (metrics/report.ts). */
export function trainsNothingNote(report: UnlearningReport, showsTime: boolean): string | null {
  if (!showsTime) return null;
  const none = report.rows.filter((r) => r.kind === 'method' && r.timeToPeakSeconds?.mean == null);
  if (none.length === 0) return null;
  return (
    `${none.map((r) => r.label).join(', ')}: no time to peak or speed-up (—): ` +
    `${none.length === 1 ? 'it trains' : 'they train'} nothing (a one-step correction, or a reset without fine-tuning).`
  );
}
