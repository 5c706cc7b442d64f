/**
 * A table as data, rendered to CSV and JSON (data-files.ts) or LaTeX (latex-table.ts) by pure functions.
 * Cells keep numbers as numbers so data files hold full precision while LaTeX formats them; `latex`
 * overrides the LaTeX text of a cell.
 */
import type { ColumnType } from '../../shared/data-table';

export type CellValue = string | number | null;

export interface Cell {
  value: CellValue;
  /** LaTeX-ready text (already escaped) for cells that need formatting, e.g. mean ± std with a delta. */
  latex?: string;
  bold?: boolean;
}

export interface Table {
  name: string;
  caption: string;
  /** LaTeX-ready caption (already escaped); `caption` is escaped when this is absent. */
  captionLatex?: string;
  /**
   * `type` is what every non-null cell of the column holds, so data files keep one type per column
   * (checked when they are written). `text` is a plain-text label for data files where `label` is LaTeX.
   */
  columns: { key: string; label: string; type: ColumnType; text?: string; align?: 'l' | 'r' | 'c' }[];
  rows: Record<string, CellValue | Cell>[];
  /** Text under the table (e.g. which fairness variant is shown). */
  note?: string;
  /** Leading columns that identify a row; LaTeX repeats them when it splits a wide table. Default 1. */
  keyColumns?: number;
}

export function cellOf(v: CellValue | Cell | undefined): Cell {
  if (v !== null && typeof v === 'object') return v;
  return { value: v ?? null };
}

/** A column: its key is the data files' header; `label` is its LaTeX header; `type` what its cells hold. */
export const dataColumn = (key: string, o: { type?: ColumnType; align?: 'l' | 'r'; label?: string } = {}) => ({
  key,
  label: o.label ?? key.replace(/_/g, '\\_'),
  text: key,
  type: o.type ?? 'number',
  align: o.align ?? 'r',
});
export const textColumn = (key: string, align: 'l' | 'r' = 'r') => dataColumn(key, { type: 'string', align });
