/**
 * A table as data, rendered to CSV or LaTeX by pure functions. Cells keep numbers as numbers so CSV
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
