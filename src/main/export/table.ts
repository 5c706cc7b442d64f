/**
 * A table as data, rendered to CSV, JSON (data-files.ts) or LaTeX by pure functions. Cells keep numbers
 * as numbers so data files hold full precision while LaTeX formats them; `latex` overrides the LaTeX
 * text of a cell.
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
}

export function cellOf(v: CellValue | Cell | undefined): Cell {
  if (v !== null && typeof v === 'object') return v;
  return { value: v ?? null };
}

// The data-file renderers live beside the checks they share; re-exported so every renderer of a
// Table is importable from here.
export { toCsv, toJson } from './data-files';

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

export function escapeLatex(s: string): string {
  return s.replace(/[\\&%$#_{}~^]/g, (ch) => LATEX_SPECIALS[ch]);
}

export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '--';
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

/** A booktabs table (needs \usepackage{booktabs}); null cells print as --. */
export function toLatex(t: Table): string {
  const align = t.columns.map((c) => c.align ?? 'r').join('');
  const text = (c: Cell) => {
    const body = c.latex ?? (c.value === null ? '--' : typeof c.value === 'number' ? formatNumber(c.value) : escapeLatex(c.value));
    return c.bold ? `\\textbf{${body}}` : body;
  };
  const out = [
    '\\begin{table}[t]',
    '\\centering',
    `\\caption{${t.captionLatex ?? escapeLatex(t.caption)}}`,
    `\\label{tab:${t.name.replace(/[^a-zA-Z0-9:-]/g, '-')}}`,
    `\\begin{tabular}{${align}}`,
    '\\toprule',
    t.columns.map((c) => c.label).join(' & ') + ' \\\\',
    '\\midrule',
    ...t.rows.map((row) => t.columns.map((c) => text(cellOf(row[c.key]))).join(' & ') + ' \\\\'),
    '\\bottomrule',
    '\\end{tabular}',
  ];
  if (t.note) out.push(`\\par\\smallskip{\\footnotesize ${escapeLatex(t.note)}}`);
  out.push('\\end{table}');
  return out.join('\n') + '\n';
}
