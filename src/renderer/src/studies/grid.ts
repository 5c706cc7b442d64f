/**
 * How the detail page lays out a study's items as they fill in: one row per cell with a square per
 * seed, or, for two axes combined as a grid, a matrix of first-axis rows by second-axis columns with
 * the seeds' squares inside each. Cells come in the definition's order (studyCells, the rule that
 * expanded them), never in queue order, so a reordered queue does not shuffle the picture.
 */
import { axisLabel, axisValues, axisValueText, studyCells, type AxisValue, type Study } from '../../../shared/study';
import type { StudyItem } from '../../../shared/study-types';

export interface GridSlot {
  /** The item key ("rho=0.4#1"): the cell key and the seed index. */
  key: string;
  seedIndex: number;
  /** Null when the definition has the slot but the store has no item for it (yet). */
  item: StudyItem | null;
}

export interface GridCell {
  cellKey: string;
  /** "rho=0.4, alpha=0.5". */
  label: string;
  slots: GridSlot[];
}

export interface GridRow {
  /** The first axis's value as text (matrix) or the cell's label (list). */
  label: string;
  cells: GridCell[];
}

export interface StudyGridModel {
  layout: 'list' | 'matrix';
  /** The row header's title: the first axis (matrix) or every axis (list). */
  rowTitle: string;
  /** Column headers: seeds (list, "seed 42") or the second axis's values (matrix). */
  columns: string[];
  /** The matrix's column title (the second axis); null for the list. */
  columnTitle: string | null;
  rows: GridRow[];
  seeds: number;
}

const same = (a: AxisValue, b: AxisValue) =>
  axisValueText(a) === axisValueText(b) && Array.isArray(a) === Array.isArray(b);

export function studyGrid(study: Study, items: readonly StudyItem[]): StudyGridModel {
  const byKey = new Map(items.map((it) => [it.key, it]));
  // An extension may have added seeds the stored definition's count already includes; take the larger.
  const seeds = Math.max(study.seeds, ...items.map((it) => it.seedIndex + 1));
  const labels = study.axes.map(axisLabel);
  const seedOf = (i: number) => items.find((it) => it.seedIndex === i)?.seed;
  const cellOf = (values: AxisValue[], cellKey: string): GridCell => ({
    cellKey,
    label: values.map((v, i) => `${labels[i]}=${axisValueText(v)}`).join(', '),
    slots: Array.from({ length: seeds }, (_, s) => {
      const key = `${cellKey}#${s}`;
      return { key, seedIndex: s, item: byKey.get(key) ?? null };
    }),
  });
  const cells = studyCells(study);
  if (study.axes.length === 2 && study.combine === 'grid') {
    const [xs, ys] = study.axes.map(axisValues);
    return {
      layout: 'matrix',
      rowTitle: labels[0],
      columnTitle: labels[1],
      columns: ys.map(axisValueText),
      seeds,
      rows: xs.map((x) => ({
        label: axisValueText(x),
        cells: ys.flatMap((y) => {
          const cell = cells.find((c) => same(c.values[0], x) && same(c.values[1], y));
          return cell ? [cellOf(cell.values, cell.key)] : [];
        }),
      })),
    };
  }
  return {
    layout: 'list',
    rowTitle: labels.join(' · '),
    columnTitle: null,
    columns: Array.from({ length: seeds }, (_, s) => {
      const seed = seedOf(s);
      return seed === undefined ? `seed #${s + 1}` : `seed ${seed}`;
    }),
    seeds,
    rows: cells.map((c) => {
      const cell = cellOf(c.values, c.key);
      return { label: cell.label, cells: [cell] };
    }),
  };
}

/**
 * The queue order after moving the queued item `key` by `delta` places among the queued items (the
 * others keep their order); the full key list studies:reorder takes. Null when it cannot move.
 */
export function moveInQueue(items: readonly StudyItem[], key: string, delta: -1 | 1): string[] | null {
  const ordered = [...items].sort((a, b) => a.position - b.position || (a.key < b.key ? -1 : 1));
  const queued = ordered.filter((it) => it.status === 'queued');
  const i = queued.findIndex((it) => it.key === key);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= queued.length) return null;
  // Swap the two queued items' slots in the full order; finished and running items stay put.
  const a = ordered.indexOf(queued[i]);
  const b = ordered.indexOf(queued[j]);
  const keys = ordered.map((it) => it.key);
  [keys[a], keys[b]] = [keys[b], keys[a]];
  return keys;
}
