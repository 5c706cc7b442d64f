/**
 * The rows, cells and blocks of a study's ablation table (study-table.ts builds them); apart so the
 * table's notes (study-table-notes.ts) can read blocks without importing the builder that imports them.
 */
import type { RowKind } from './results';
import type { AxisValue } from './study';
import type { Table1Cell } from './table1-model';

export interface StudyTableCell extends Table1Cell {
  /** Values pooled: repeats with a value, over the runs of the row. */
  n: number;
  /** Welch's two-sided p against the reference's pool; null for the reference itself or when undefined. */
  p: number | null;
  /** p < alpha: rendered with a dagger. */
  significant: boolean;
}

export interface StudyTableRow {
  /** Unique in the table: the report row key, plus "@<cell key>" for the swept rows of a flat table. */
  key: string;
  /** The report row this pools. */
  rowKey: string;
  /** The report's label; in a flat table a swept row is labelled by its axis value ("0.4"). */
  label: string;
  kind: RowKind;
  reference: boolean;
  /** The cell's axis values (blocked), the swept value (flat), or null for a row pooled over every cell. */
  values: AxisValue[] | null;
  /** Runs (seeds) pooled, and (run, repeat) samples: n = seeds × repeats. */
  runs: number;
  n: number;
  cells: StudyTableCell[];
}

export interface StudyTableBlock {
  /** The cell (blocked layout); null for the flat table's one block. */
  cellKey: string | null;
  /** "α = 0.5" or "α = 0.5, ρ = 0.4"; null in the flat layout. */
  title: string | null;
  values: AxisValue[] | null;
  rows: StudyTableRow[];
  /** Mean examples per GME group over the block's runs and repeats. */
  groupSizes: number[];
}
