/**
 * The one Table 1 model of an UnlearningReport; the Vue table, the LaTeX and CSV exports and the CLI
 * only render it. Rows: the original model for reference, one row per unlearning method, then (with
 * held-out reference models) the scoring models, then the retrained reference; columns: the GME
 * groups, D_u accuracy (each with its delta to the reference, lower is better), test accuracy
 * (higher is better), local fairness x10^-3 (lower is better) and, when the report timed its
 * stages, time to peak accuracy (seconds, lower is better) and the speed-up over retraining
 * (higher is better). "Best" (bold) is chosen among the method rows only, as in the paper; ties
 * are all bold, judged at the printed precision so two cells that read the same are bold alike. A
 * std is shown only for two or more repeats: over one repeat it is not a spread, and "± 0.00" would
 * claim one. With three or more repeats every row but the reference is tested against it, cell by
 * cell, by a paired t-test over the repeats, Holm-adjusted over the table (paired-tests.ts).
 */
import { formatDelta, formatStat } from './format';
import { table1Notes } from './gme-notes';
import { ROW_KIND_ORDER, type GroupInfo, type ReportRow, type Stat, type UnlearningReport } from './results';
import { markSignificance, pairedP, spread, type Table1Significance } from './table1-stats';
import type { Table1ColumnBlock } from './latex-options';
import { layoutNote, requestLayout } from './request-layouts';
import { collapsedRows, collapseNote, trainsNothingNote } from './collapse';

export type Better = 'lower' | 'higher';

export interface Table1Column {
  key: string;
  label: string;
  /** A shorter header under a spanning one ("(95%,100%]" under "Accuracy by memorization group"). */
  short: string;
  /** Shown after the label: "Δ ↓", "↑", "↓". */
  arrow: string;
  better: Better;
  /** What "better" compares: the delta to retrained or the mean itself. */
  compares: 'delta' | 'mean';
  group: 'gme' | 'other';
  /** Multiplier from the stored value to the printed unit (100 for %, 1000 for fairness x10^-3, 1 for seconds). */
  scale: number;
  /** The GME group this column shows (gme columns only). */
  info?: GroupInfo;
}

export interface Table1Cell {
  text: string;
  delta: string;
  best: boolean;
  /** The raw numbers behind the text (fractions / raw fairness), for tests and tooltips. */
  mean: number | null;
  std: number | null;
  deltaValue: number | null;
  /** The paired t-test's two-sided p against the reference row (paired-tests.ts); null where untested. */
  p: number | null;
  /** p adjusted by Holm over every tested cell of the table; null where untested (absent in the study tables). */
  pAdjusted?: number | null;
  /** pAdjusted < alpha: rendered with a dagger. */
  significant: boolean;
}

export interface Table1Row {
  key: string;
  label: string;
  kind: ReportRow['kind'];
  cells: Table1Cell[];
  /** A method whose test accuracy fell far below retraining's (collapse.ts): never bold. */
  collapsed?: boolean;
}

export interface Table1 {
  columns: Table1Column[];
  rows: Table1Row[];
  fairnessVariant: 'sum' | 'mean';
  /**
   * What every rendering prints under the table: the reference used, the score estimator, label noise, ties, the test.
   */
  notes: string[];
  /**
   * The paired t-test against the reference row: its level, the reference's label (null when the report has
   * none), whether it ran (three or more repeats), its note (one of `notes`; LaTeX puts it in the caption) and the
   * number of cells tested (Holm's family).
   */
  significance: Table1Significance;
}

/** A column with where its numbers come from in a report row. */
export interface Table1Measure {
  column: Table1Column;
  stat: (r: ReportRow) => Stat | null;
  /** The report's stored delta to its reference (null where the column has none). */
  delta: (r: ReportRow) => number | null;
}

/** Whether the report timed any stage that Table 1 would show (old or training-free reports did not). */
const hasTimes = (report: UnlearningReport) =>
  report.rows.some(
    (r) => r.kind !== 'original' && r.timeToPeakSeconds?.mean != null && Number.isFinite(r.timeToPeakSeconds.mean),
  );

/** The column block (LatexOptions.columns, request-layouts.ts) a column belongs to. */
export const blockOf = (c: Table1Column): Table1ColumnBlock =>
  c.group === 'gme' ? 'groups' : c.key === 'speedup' ? 'time' : (c.key as Table1ColumnBlock);

/**
 * Table 1's columns for a report, each with its source: written once for Table 1 and the study
 * tables (shared/study-table.ts), so both show the same measures in the same units. `time` adds
 * time to peak and speed-up (Table 1 only; the original model's training is not an unlearning
 * time, so its row has none) when the report has times. `blocks` picks the column blocks; by
 * default the layout of the report's request (Table 1, H9 or H10: request-layouts.ts).
 */
export function table1Columns(
  report: UnlearningReport,
  opts: { time?: boolean; blocks?: readonly Table1ColumnBlock[] } = {},
): Table1Measure[] {
  const blocks = opts.blocks ?? requestLayout(report.request.kind).blocks;
  return allTable1Columns(report, opts).filter((m) => blocks.includes(blockOf(m.column)));
}

/** The blocks of the report's columns that `blocks` leaves out (for the table's note). */
export function omittedBlocks(
  report: UnlearningReport,
  blocks: readonly Table1ColumnBlock[],
  opts: { time?: boolean } = {},
): Table1ColumnBlock[] {
  return [...new Set(allTable1Columns(report, opts).map((m) => blockOf(m.column)))].filter((b) => !blocks.includes(b));
}

function allTable1Columns(report: UnlearningReport, opts: { time?: boolean }): Table1Measure[] {
  const fairness = (r: ReportRow) => (report.fairness === 'mean' ? r.fairnessMean : r.fairnessSum);
  const out: Table1Measure[] = report.groups.map((g, i) => ({
    column: {
      key: `group${i}`,
      label: `Group ${g.label}`,
      short: g.label,
      arrow: 'Δ ↓',
      better: 'lower',
      compares: 'delta',
      group: 'gme',
      scale: 100,
      info: g,
    },
    stat: (r) => r.groupAccuracy[i] ?? null,
    delta: (r) => r.groupDelta[i] ?? null,
  }));
  out.push({
    column: {
      key: 'unlearn',
      label: 'D_u acc. (%)',
      short: 'D_u acc. (%)',
      arrow: 'Δ ↓',
      better: 'lower',
      compares: 'delta',
      group: 'other',
      scale: 100,
    },
    stat: (r) => r.unlearnAccuracy,
    delta: (r) => r.unlearnDelta,
  });
  out.push({
    column: {
      key: 'test',
      label: 'Test acc. (%)',
      short: 'Test acc. (%)',
      arrow: '↑',
      better: 'higher',
      compares: 'mean',
      group: 'other',
      scale: 100,
    },
    stat: (r) => r.testAccuracy,
    delta: () => null,
  });
  if (report.rows.some((r) => r.attackSuccessRate)) {
    out.push({
      column: {
        key: 'asr',
        label: 'Attack success (%)',
        short: 'Attack success (%)',
        arrow: '↓',
        better: 'lower',
        compares: 'mean',
        group: 'other',
        scale: 100,
      },
      stat: (r) => r.attackSuccessRate ?? null,
      delta: () => null,
    });
  }
  out.push({
    column: {
      key: 'fairness',
      label: `Local fairness (10⁻³, ${report.fairness})`,
      short: 'Local fairness (10⁻³)',
      arrow: '↓',
      better: 'lower',
      compares: 'mean',
      group: 'other',
      scale: 1000,
    },
    stat: fairness,
    delta: () => null,
  });
  if (opts.time && hasTimes(report)) {
    out.push({
      column: {
        key: 'time',
        label: 'Time to peak (s)',
        short: 'Time to peak (s)',
        arrow: '↓',
        better: 'lower',
        compares: 'mean',
        group: 'other',
        scale: 1,
      },
      stat: (r) => (r.kind === 'original' ? null : r.timeToPeakSeconds),
      delta: () => null,
    });
    out.push({
      column: {
        key: 'speedup',
        label: 'Speed-up over retraining (×)',
        short: 'Speed-up (×)',
        arrow: '↑',
        better: 'higher',
        compares: 'mean',
        group: 'other',
        scale: 1,
      },
      stat: (r) => (r.kind === 'original' ? null : r.speedup),
      delta: () => null,
    });
  }
  return out;
}

export interface Table1Options {
  /** Printed decimals (also the precision at which ties for best are judged; default 2). */
  decimals?: number;
  /** Significance level of the t-test against the reference (default 0.05). */
  alpha?: number;
  /** Time to peak and speed-up columns (default true; left out when the report has no times). */
  time?: boolean;
  /** The column blocks (default: the layout of the report's request). */
  blocks?: readonly Table1ColumnBlock[];
}

export function buildTable1(report: UnlearningReport, opts: Table1Options = {}): Table1 {
  const digits = opts.decimals ?? 2;
  const alpha = opts.alpha ?? 0.05;
  const time = opts.time ?? true;
  const blocks = opts.blocks ?? requestLayout(report.request.kind).blocks;
  const measures = table1Columns(report, { time, blocks });
  // Only the layout's own omissions get a note; blocks a user left out need no explanation.
  const layout = opts.blocks ? null : layoutNote(report.request.kind, omittedBlocks(report, blocks, { time }));
  const columns = measures.map((m) => m.column);
  const ordered = ROW_KIND_ORDER.flatMap((k) => report.rows.filter((r) => r.kind === k));
  const reference = report.rows.find((r) => r.kind === 'retrained') ?? null;
  const collapsed = collapsedRows(report);
  const rows: Table1Row[] = ordered.map((r) => ({
    key: r.key,
    label: r.label,
    kind: r.kind,
    ...(collapsed.some((c) => c.key === r.key) && { collapsed: true }),
    cells: measures.map((s, c) => {
      const raw = s.stat(r);
      const stat = raw && { ...raw, std: spread(raw) };
      const delta = r.kind === 'retrained' ? null : s.delta(r);
      const p = !reference || r === reference ? null : pairedP(raw, s.stat(reference));
      return {
        text: formatStat(stat, columns[c].scale, digits),
        delta: formatDelta(delta, columns[c].scale, digits),
        best: false,
        mean: stat?.mean ?? null,
        std: stat?.std ?? null,
        deltaValue: delta,
        p,
        pAdjusted: null,
        significant: false,
      };
    }),
  }));
  const cells = rows.flatMap((r) => r.cells);
  const significance = markSignificance(cells, reference?.label ?? null, alpha, report.repeats);
  const note = significance.note;
  columns.forEach((col, c) => markBest(rows, c, col, digits));
  return {
    columns,
    rows,
    fairnessVariant: report.fairness,
    notes: [
      ...(layout ? [layout] : []),
      ...table1Notes(report),
      ...[
        collapseNote(collapsed),
        trainsNothingNote(
          report,
          columns.some((c) => c.key === 'speedup'),
        ),
      ].filter((n): n is string => n !== null),
      ...(note ? [note] : []),
    ],
    significance,
  };
}

/**
 * Bold every method row whose value is the best in the column (collapsed rows never); none when no row has a
 * value. Values are compared as printed (scaled, rounded to `digits`), so a tie a reader sees is bolded alike;
 * without `digits`, only float noise (e.g. 0.1 + 0.2 vs 0.3) counts as a tie.
 */
export function markBest(
  rows: Table1Row[],
  c: number,
  col: Pick<Table1Column, 'better' | 'compares'> & { scale?: number },
  digits?: number,
): void {
  const candidates = rows.filter((r) => r.kind === 'method' && !r.collapsed);
  const raw = (r: Table1Row) => (col.compares === 'delta' ? r.cells[c].deltaValue : r.cells[c].mean);
  const value = (r: Table1Row): number | null => {
    const v = raw(r);
    if (v === null || !Number.isFinite(v)) return null;
    return digits === undefined ? v : Math.round(v * (col.scale ?? 1) * 10 ** digits);
  };
  const values = candidates.map(value).filter((v): v is number => v !== null);
  if (values.length === 0) return;
  const best = col.better === 'lower' ? Math.min(...values) : Math.max(...values);
  for (const r of candidates) {
    const v = value(r);
    if (v !== null && Math.abs(v - best) <= 1e-12 * Math.max(1, Math.abs(best))) r.cells[c].best = true;
  }
}
