/**
 * A data table (table.ts) as LaTeX that fits a portrait page: short tables are a float (`table` or
 * `table*`, as the options say), long ones a `longtable` that breaks across pages and repeats its
 * header. Tables wider than the one-column text width (345 pt in a 10pt `article`) are split into
 * column blocks that each repeat the table's key columns, so nothing runs off the page and no font is
 * shrunk below \footnotesize. Numbers are right-aligned with fixed decimals, which lines up their
 * decimal points without siunitx.
 */
import type { LatexOptions } from '../../shared/latex-options';
import { escapeLatex, LATEX_TEXT_NOTE } from './latex-escape';
import { cellOf, type Cell, type Table } from './table';

/** More rows than this and a float would not fit one page (about 45 \footnotesize lines fit). */
export const LONG_TABLE_ROWS = 40;
/** The width every table is fitted to: \textwidth of a one-column 10pt article (the narrowest portrait page). */
export const PAGE_WIDTH_PT = 345;
/**
 * Rough \footnotesize advance per character (digits are 4.25 pt, lower-case letters ~3.8) plus the space between
 * columns.
 */
const CHAR_PT = 4.2;
const COLUMN_GAP_PT = 12;

export function formatNumber(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '--';
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

export function cellLatex(c: Cell): string {
  const body =
    c.latex ?? (c.value === null ? '--' : typeof c.value === 'number' ? formatNumber(c.value) : escapeLatex(c.value));
  return c.bold ? `\\textbf{${body}}` : body;
}

/** Visible characters of a LaTeX snippet, roughly: commands and braces do not print. */
function visibleLength(tex: string): number {
  return tex.replace(/\\[a-zA-Z]+\s*/g, 'x').replace(/[{}$^_\\]/g, '').length;
}

/** Column blocks that each fit `width` pt with the first `keys` columns repeated in every block. */
export function splitColumns(widths: number[], keys: number, width = PAGE_WIDTH_PT): number[][] {
  const keyCols = widths.slice(0, keys).map((_, i) => i);
  const keyWidth = keyCols.reduce((a, i) => a + widths[i], 0);
  const blocks: number[][] = [];
  let current: number[] = [];
  let used = keyWidth;
  for (let i = keys; i < widths.length; i++) {
    if (current.length > 0 && used + widths[i] > width) {
      blocks.push([...keyCols, ...current]);
      current = [];
      used = keyWidth;
    }
    current.push(i);
    used += widths[i];
  }
  if (current.length > 0 || blocks.length === 0) blocks.push([...keyCols, ...current]);
  return blocks;
}

function estimateWidths(t: Table, cells: string[][]): number[] {
  return t.columns.map((c, j) => {
    const longest = Math.max(visibleLength(c.label), ...cells.map((r) => visibleLength(r[j])));
    return longest * CHAR_PT + COLUMN_GAP_PT;
  });
}

export function isLongTable(t: Table): boolean {
  return t.rows.length > LONG_TABLE_ROWS;
}

const labelOf = (name: string) => `tab:${name.replace(/[^a-zA-Z0-9:-]/g, '-')}`;

export function toLatex(t: Table, opts: Pick<LatexOptions, 'float'>): string {
  const cells = t.rows.map((row) => t.columns.map((c) => cellLatex(cellOf(row[c.key]))));
  const blocks = splitColumns(estimateWidths(t, cells), Math.min(t.keyColumns ?? 1, t.columns.length));
  const long = isLongTable(t);
  const caption = t.captionLatex ?? escapeLatex(t.caption);
  const out = [
    `% needs \\usepackage{booktabs${long ? ',longtable' : ''}}`,
    LATEX_TEXT_NOTE,
    ...(long
      ? [
          '% a longtable breaks across pages; it cannot float or sit in a two-column page: in a two-column paper put it after \\onecolumn (e.g. in an appendix)',
        ]
      : []),
    ...(blocks.length > 1
      ? [
          `% too wide for a portrait page in one piece: split into ${blocks.length} column blocks, each repeating the first column(s)`,
        ]
      : []),
  ];
  blocks.forEach((cols, b) => {
    const part = blocks.length > 1 ? ` (part ${b + 1} of ${blocks.length})` : '';
    const label = labelOf(t.name) + (b > 0 ? `-${b + 1}` : '');
    const align = '@{}' + cols.map((j) => t.columns[j].align ?? 'r').join('') + '@{}';
    const head = cols.map((j) => t.columns[j].label).join(' & ') + ' \\\\';
    const body = cells.map((r) => cols.map((j) => r[j]).join(' & ') + ' \\\\');
    const note = t.note && b === blocks.length - 1 ? [`{\\footnotesize ${escapeLatex(t.note)}\\par}`] : [];
    if (long) {
      const n = cols.length;
      out.push(
        '{\\footnotesize',
        `\\begin{longtable}{${align}}`,
        `\\caption{${caption}${part}}\\label{${label}}\\\\`,
        '\\toprule',
        head,
        '\\midrule',
        '\\endfirsthead',
        `\\multicolumn{${n}}{@{}l}{\\emph{Table \\thetable{} continued}}\\\\`,
        '\\toprule',
        head,
        '\\midrule',
        '\\endhead',
        `\\midrule\\multicolumn{${n}}{r@{}}{\\emph{continued on the next page}}\\\\`,
        '\\endfoot',
        '\\bottomrule',
        '\\endlastfoot',
        ...body,
        '\\end{longtable}}',
        ...note,
      );
    } else {
      out.push(
        `\\begin{${opts.float}}[t]`,
        '\\centering',
        '\\footnotesize',
        '\\setlength{\\belowcaptionskip}{4pt}',
        `\\caption{${caption}${part}}`,
        `\\label{${label}}`,
        `\\begin{tabular}{${align}}`,
        '\\toprule',
        head,
        '\\midrule',
        ...body,
        '\\bottomrule',
        '\\end{tabular}',
        ...(note.length ? ['\\par\\smallskip', ...note] : []),
        `\\end{${opts.float}}`,
      );
    }
  });
  return out.join('\n') + '\n';
}
