/**
 * The one model of a study's ablation table (issue 11; the paper's Tables F2-F6). The Vue table, the
 * LaTeX (main/export/latex-study-table.ts) and the data files (main/export/study-data.ts) only render
 * it. Its columns are Table 1's (table1Columns). A row's value in a column pools every run (seed) of
 * its cell and every repeat of each run: mean ± sample std over n values, |Δ| between its pooled mean
 * and the reference row's on the GME groups and D_u, and Welch's t-test against the reference's pool
 * (p, and † when p < alpha). Best (bold) is judged among the non-reference method rows, as printed.
 *
 * Two layouts, as the paper's appendix lays out its ablations:
 * - flat (F2, F4): one axis on a method parameter. One row per axis value for the swept method, then
 *   the rows the axis cannot change (other methods, the references) once;
 * - blocked (F3, F5, F6): anything else. A block per cell with its method rows and references (the
 *   original model omitted, as the paper does), each compared within its block.
 */
import { formatDelta, formatStat } from './format';
import { ROW_KIND_ORDER, type ReportRow, type RowKind, type UnlearningReport } from './results';
import { meanVar, welchTest } from './significance';
import {
  axisLabel,
  axisValueText,
  methodParamOf,
  rowLabel,
  setPath,
  studyCells,
  StudyError,
  type AxisValue,
  type Study,
  type StudyAxis,
  type StudyCell,
} from './study';
import { studyNotes, type StudyNote } from './study-table-notes';
import type { StudyRunResult } from './study-types';
import { stageId } from './stages';
import { markBest, table1Columns, type Table1Column } from './table1-model';
import type { StudyTableBlock, StudyTableCell, StudyTableRow } from './study-table-types';
import type { Table1ColumnBlock } from './latex-options';

export type { StudyTableBlock, StudyTableCell, StudyTableRow };

export interface StudyTableOptions {
  /** The report row key Δ and the t-test compare against (default 'retrained'). */
  reference?: string;
  /** Significance level of the t-test (default 0.05). */
  alpha?: number;
  /** Printed decimals (also the precision at which ties for best are judged; default 2). */
  decimals?: number;
  /** Table 1's column blocks (default: the layout of the runs' request, request-layouts.ts). */
  blocks?: readonly Table1ColumnBlock[];
}

export interface StudyTable {
  layout: 'flat' | 'blocked';
  /** The first column's header: the axis title (flat) or the axes' titles (blocked). */
  stubLabel: string;
  axes: { path: string; label: string; title: string }[];
  /** The swept method of a flat table (its report label in the base config) and the parameter's title. */
  swept: { label: string; parameter: string } | null;
  columns: Table1Column[];
  blocks: StudyTableBlock[];
  reference: { key: string; label: string | null };
  alpha: number;
  decimals: number;
  fairnessVariant: 'sum' | 'mean';
  /** Mean examples per GME group over every run and repeat. */
  groupSizes: number[];
  /** What every rendering says under (or, for the legend kinds, in the caption of) the table. */
  notes: StudyNote[];
}

/** Symbols and names the paper uses for parameters; other axes are titled by their label. */
export const PARAMETER_TITLES: Record<string, string> = {
  rho: 'ρ',
  alpha: 'α',
  gamma: 'γ',
  selection: 'Parameter selection',
  clients: 'Clients',
};

export const axisTitle = (a: StudyAxis) => a.label ?? PARAMETER_TITLES[axisLabel(a)] ?? axisLabel(a);

export const cellTitle = (study: Study, values: AxisValue[]) =>
  values.map((v, i) => `${axisTitle(study.axes[i])} = ${axisValueText(v)}`).join(', ');

interface Pool {
  key: string;
  label: string;
  kind: RowKind;
  /** Per column, the pooled values. */
  values: number[][];
  runs: number;
  n: number;
}

const mean = (xs: number[]) => (xs.length ? meanVar(xs).mean : null);

/**
 * One report row's values over `runs`: per column, every repeat of every run that has the row. With
 * `perSeed`, runs with the same seed index count once, their values averaged per seed and repeat:
 * in a flat table the rows the axis does not change are copies of one run in every cell (the same
 * config and seed, often the very same reused models), and counting each copy would inflate n and
 * make the t-test overconfident.
 */
function pool(
  runs: StudyRunResult[],
  find: (report: UnlearningReport) => ReportRow | undefined,
  perSeed: boolean,
  blocks?: readonly Table1ColumnBlock[],
): Pool | null {
  const samples = new Map<string, number[][]>();
  const seeds = new Set<number>();
  let first: ReportRow | undefined;
  let found = 0;
  let width = 0;
  for (const run of runs) {
    const row = find(run.report);
    if (!row) continue;
    first ??= row;
    found++;
    seeds.add(run.seedIndex);
    const stats = table1Columns(run.report, { blocks }).map((m) => m.stat(row));
    width = stats.length;
    for (let rep = 0; rep < run.report.repeats; rep++) {
      const key = perSeed ? `${run.seedIndex}#${rep}` : `${run.runId}#${rep}`;
      const slot = samples.get(key) ?? stats.map(() => []);
      samples.set(key, slot);
      stats.forEach((s, c) => {
        const v = s?.values[rep];
        if (typeof v === 'number' && Number.isFinite(v)) slot[c].push(v);
      });
    }
  }
  if (!first) return null;
  const slots = [...samples.values()];
  const values = Array.from({ length: width }, (_, c) =>
    slots.flatMap((slot) => (slot[c].length ? [mean(slot[c])!] : [])),
  );
  return {
    key: first.key,
    label: first.label,
    kind: first.kind,
    values,
    runs: perSeed ? seeds.size : found,
    n: samples.size,
  };
}

function rowOf(
  p: Pool,
  ref: Pool | null,
  columns: Table1Column[],
  o: { key: string; label: string; values: AxisValue[] | null; digits: number; alpha: number },
): StudyTableRow {
  const isRef = ref === p;
  const cells = columns.map((col, c): StudyTableCell => {
    const xs = p.values[c];
    const m = mean(xs);
    const std = xs.length >= 2 ? Math.sqrt(meanVar(xs).variance) : null;
    const refMean = ref ? mean(ref.values[c]) : null;
    const delta = !isRef && col.compares === 'delta' && m !== null && refMean !== null ? Math.abs(m - refMean) : null;
    const pValue = isRef || !ref ? null : welchTest(xs, ref.values[c]).p;
    return {
      text: formatStat({ mean: m, std, values: xs }, col.scale, o.digits),
      delta: formatDelta(delta, col.scale, o.digits),
      best: false,
      mean: m,
      std,
      deltaValue: delta,
      n: xs.length,
      p: pValue,
      significant: pValue !== null && pValue < o.alpha,
    };
  });
  return {
    key: o.key,
    rowKey: p.key,
    label: o.label,
    kind: p.kind,
    reference: isRef,
    values: o.values,
    runs: p.runs,
    n: p.n,
    cells,
  };
}

/** Report row keys of `runs` but the original (and `skip`), in Table 1's kind order, first seen first. */
function rowKeys(runs: StudyRunResult[], skip: Set<string>): string[] {
  const kinds = ROW_KIND_ORDER.filter((k) => k !== 'original');
  const keys = kinds.flatMap((kind) =>
    runs.flatMap((r) => r.report.rows.filter((x) => x.kind === kind).map((x) => x.key)),
  );
  return [...new Set(keys)].filter((k) => !skip.has(k));
}

function groupSizes(runs: StudyRunResult[], groups: number): number[] {
  return Array.from({ length: groups }, (_, g) => mean(runs.flatMap((r) => r.report.groups[g]?.counts ?? [])) ?? 0);
}

/** Pooling across runs needs one set of GME groups; a run with others cannot share a column. */
function checkGroups(runs: StudyRunResult[]): void {
  const sig = (r: UnlearningReport) => r.groups.map((g) => `(${g.lo},${g.hi}]`).join(' ');
  const want = sig(runs[0].report);
  const odd = runs.find((r) => sig(r.report) !== want);
  if (odd)
    throw new StudyError(
      `run ${odd.runId} (cell ${odd.cellKey}) has GME groups ${sig(odd.report)}, the study's first run ${want}; a study table needs the same groups in every run`,
    );
}

/** The swept method entry of a flat table: one axis on a method parameter (not the retrain entry, which has no row). */
function sweptMethod(study: Study): { index: number; param: string; entry: Record<string, unknown> } | null {
  if (study.axes.length !== 1) return null;
  const at = methodParamOf(study.base, study.axes[0].path);
  if (!at) return null;
  const entry = methodsOf(study.base)[at.index];
  return entry.id === 'retrain' ? null : { ...at, entry };
}

const methodsOf = (config: Record<string, unknown>) =>
  (config.unlearning as { methods: Record<string, unknown>[] }).methods;

export function buildStudyTable(study: Study, results: StudyRunResult[], opts: StudyTableOptions = {}): StudyTable {
  const digits = opts.decimals ?? 2;
  const alpha = opts.alpha ?? 0.05;
  const reference = opts.reference ?? 'retrained';
  const cells = studyCells(study);
  const runsOf = (c: StudyCell) => results.filter((r) => r.cellKey === c.key);
  const present = cells.filter((c) => runsOf(c).length > 0);
  const used = present.flatMap(runsOf);
  const swept = sweptMethod(study);
  const axes = study.axes.map((a) => ({ path: a.path, label: axisLabel(a), title: axisTitle(a) }));
  const base = {
    layout: swept ? ('flat' as const) : ('blocked' as const),
    stubLabel: axes.map((a) => a.title).join(', '),
    axes,
    swept: swept ? { label: String(rowLabel(swept.entry) ?? swept.entry.id), parameter: axes[0].title } : null,
    alpha,
    decimals: digits,
  };
  if (used.length === 0) {
    const notes = studyNotes({
      study,
      cells,
      present,
      results,
      used,
      reference: { key: reference, label: null },
      blocks: [],
      columns: [],
      alpha,
      flat: base.swept,
      groupSizes: [],
    });
    return {
      ...base,
      columns: [],
      blocks: [],
      reference: { key: reference, label: null },
      fairnessVariant: 'sum',
      groupSizes: [],
      notes,
    };
  }
  checkGroups(used);
  const columns = table1Columns(used[0].report, { blocks: opts.blocks }).map((m) => m.column);
  const groupCount = used[0].report.groups.length;
  const byKey = (key: string) => (r: UnlearningReport) => r.rows.find((x) => x.key === key);
  const finish = (rows: StudyTableRow[]) => {
    const candidates = rows.filter((r) => !r.reference);
    columns.forEach((col, c) => markBest(candidates, c, col, digits));
    return rows;
  };

  let blocks: StudyTableBlock[];
  if (swept) {
    const axis = study.axes[0];
    const sweptPools = present.map((cell) => {
      // The entry as this cell configures it, so a sweep of the label itself still finds its row.
      const entry = methodsOf(setPath(study.base, axis.path, cell.values[0]))[swept.index];
      const key = stageId({ role: 'unlearn', label: String(entry.label ?? entry.id), repeat: 0 });
      const label = rowLabel(entry);
      const find = (r: UnlearningReport) =>
        r.rows.find((x) => x.kind === 'method' && x.key === key) ??
        r.rows.find((x) => x.kind === 'method' && x.label === label);
      return { cell, pool: pool(runsOf(cell), find, false, opts.blocks) };
    });
    const sweptKeys = new Set(sweptPools.flatMap((s) => (s.pool ? [s.pool.key] : [])));
    if (sweptKeys.has(reference))
      throw new StudyError(
        `the reference row "${reference}" is the swept method's, which differs in every cell; pick a row the axis does not change`,
      );
    const others = rowKeys(used, sweptKeys).map((key) => pool(used, byKey(key), true, opts.blocks)!);
    const ref = others.find((p) => p.key === reference) ?? null;
    const rows = [
      ...sweptPools.flatMap(({ cell, pool: p }) =>
        p
          ? [
              rowOf(p, ref, columns, {
                key: `${p.key}@${cell.key}`,
                label: axisValueText(cell.values[0]),
                values: cell.values,
                digits,
                alpha,
              }),
            ]
          : [],
      ),
      ...others.map((p) => rowOf(p, ref, columns, { key: p.key, label: p.label, values: null, digits, alpha })),
    ];
    blocks = [
      { cellKey: null, title: null, values: null, rows: finish(rows), groupSizes: groupSizes(used, groupCount) },
    ];
  } else {
    blocks = present.map((cell) => {
      const runs = runsOf(cell);
      const pools = rowKeys(runs, new Set()).map((key) => pool(runs, byKey(key), false, opts.blocks)!);
      const ref = pools.find((p) => p.key === reference) ?? null;
      const rows = pools.map((p) =>
        rowOf(p, ref, columns, { key: p.key, label: p.label, values: cell.values, digits, alpha }),
      );
      return {
        cellKey: cell.key,
        title: cellTitle(study, cell.values),
        values: cell.values,
        rows: finish(rows),
        groupSizes: groupSizes(runs, groupCount),
      };
    });
  }
  const refRow = blocks.flatMap((b) => b.rows).find((r) => r.reference);
  const ref = { key: reference, label: refRow?.label ?? null };
  const sizes = groupSizes(used, groupCount);
  const notes = studyNotes({
    study,
    cells,
    present,
    results,
    used,
    reference: ref,
    blocks,
    columns,
    alpha,
    flat: base.swept,
    groupSizes: sizes,
  });
  return {
    ...base,
    columns,
    blocks,
    reference: ref,
    fairnessVariant: used[0].report.fairness,
    groupSizes: sizes,
    notes,
  };
}
