/**
 * A table as data, rendered to CSV here or LaTeX (latex-table.ts) by pure functions. Cells keep numbers as numbers so CSV
 * holds full precision while LaTeX formats them; `display` overrides the LaTeX text of a cell.
 */
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
  columns: { key: string; label: string; align?: 'l' | 'r' | 'c' }[];
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

function csvField(v: CellValue): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV: a header of column keys, then one line per row; empty field for null. */
export function toCsv(t: Table): string {
  const lines = [t.columns.map((c) => csvField(c.key)).join(',')];
  for (const row of t.rows) lines.push(t.columns.map((c) => csvField(cellOf(row[c.key]).value)).join(','));
  return lines.join('\n') + '\n';
}

export { escapeLatex } from './latex-escape';
