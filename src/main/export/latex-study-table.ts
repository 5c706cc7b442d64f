/**
 * A study's ablation table (shared/study-table.ts) as LaTeX, so it bolds and daggers exactly what the
 * app does. The cells are set as Table 1's export sets them (latex-table1.ts): a two-level header over
 * the GME groups, each number stacked in its column (mean, ±std, (|Δ|)) so nine measures fit `table*`.
 * - flat (Tables F2, F4): the first column is the swept parameter's value, then the rows the axis
 *   does not change, each group under a \midrule;
 * - blocked (F3, F5, F6): the first column holds each cell's title, set by \multirow over all the
 *   lines of its block (so it sits centred beside them, as a block header row would not), the second
 *   the method; \cmidrule between a block's methods and its references, \midrule between blocks.
 * The model is printed at its own precision: build it with `decimals: options.decimals`, since bold
 * is judged at that precision.
 */
import type { LatexOptions } from '../../shared/latex-options';
import type { StudyTable, StudyTableBlock, StudyTableRow } from '../../shared/study-table';
import { groupSizeText, LEGEND_NOTES, samplesText } from '../../shared/study-table-notes';
import type { Table1Column } from '../../shared/table1-model';
import { escapeLatex } from './latex-escape';
import { blockOf } from '../../shared/table1-model';
import {
  cellFormatters,
  compactGroupLabel,
  groupHeader,
  latexFloat,
  latexSignificance,
  measuresText,
  OTHER_HEAD,
  SMALLER,
  wrapLabel,
} from './latex-table1';

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Characters per line of a block title in the first column: "α = 0.5" fits; "Parameter selection = redundant" breaks.
 */
const TITLE_CHARS = 14;

type Line = string[];

function caption(
  t: StudyTable,
  cols: Table1Column[],
  showStd: boolean,
  opts: LatexOptions,
  studyName?: string,
): string {
  const ref = escapeLatex(t.reference.label ?? t.reference.key);
  const params = t.axes.map((a) => escapeLatex(a.title)).join(' and ');
  const rows = t.blocks.flatMap((b) => b.rows);
  const beside = rows.some((r) => r.values === null) ? `, then the rows ${params} does not change` : '';
  const what = t.swept
    ? `${escapeLatex(t.swept.label)} for each value of ${params} (one row each)${beside}`
    : `one block per setting of ${params}, each with its methods and ${ref}`;
  const sameN = new Set(rows.map((r) => `${r.runs}/${r.n}`)).size === 1 && rows.length > 0;
  const n = sameN
    ? escapeLatex(`n = ${samplesText(rows[0].runs, rows[0].n)}`)
    : '$n$ = seeds $\\times$ repeats, given under each label';
  const inBlock = t.layout === 'blocked' ? ' of each block' : '';
  return [
    `${studyName ? `Study \`\`${escapeLatex(studyName)}'': ` : ''}${what}. ${upperFirst(measuresText(cols, false))}.`,
    ` Each value pools every run (seed) of its cell and every repeat of each run: mean${showStd ? ' with $\\pm$ std beneath' : ''} over ${n}`,
    `${opts.delta ? `; $|\\Delta|$ to the pooled mean of ${ref} in parentheses${t.layout === 'blocked' ? ' (within the block)' : ''}` : ''}.`,
    ` Bold: the best method other than ${ref} in each column${inBlock} (the smallest $|\\Delta|$ on the groups and $D_u$, the highest test accuracy, the lowest fairness); ties at the printed precision are all bold.`,
    latexSignificance(ref, t.alpha),
  ].join('');
}

/** A block title's lines: one per axis, each wrapped to the first column's width. */
function titleLines(t: StudyTable, b: StudyTableBlock): string[] {
  return t.axes.flatMap((a, i) => wrapLabel(`${a.title} = ${String(b.values![i])}`, TITLE_CHARS)).map(escapeLatex);
}

export function studyLatex(t: StudyTable, opts: LatexOptions, studyName?: string): string {
  // The model holds the request layout's columns unless built with opts.columns (study-export.ts).
  const keep = t.columns
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => !opts.columns || opts.columns.includes(blockOf(c)));
  const cols = keep.map((k) => k.c);
  const rows = t.blocks.flatMap((b) => b.rows);
  const showStd = opts.std && rows.some((r) => keep.some(({ i }) => r.cells[i].std !== null));
  // n under each label only when rows pool different numbers of values; otherwise the caption says it once.
  const showN = new Set(rows.map((r) => `${r.runs}/${r.n}`)).size > 1;
  const groups = cols.filter((c) => c.group === 'gme');
  const blocked = t.layout === 'blocked';
  const stub = blocked ? 2 : 1;
  const small = SMALLER[opts.fontSize];
  const f = cellFormatters(t.decimals, small);
  type Cell = StudyTableRow['cells'][number];
  const line = (fmt: (cell: Cell, col: Table1Column) => string, r: StudyTableRow): Line =>
    keep.map(({ c, i }) => fmt(r.cells[i], c));

  /** A row's lines: label (wrapped, with n beneath when it varies) beside the mean, ± and Δ lines. */
  const rowLines = (r: StudyTableRow): Line[] => {
    const lines = [line(f.mean, r)];
    if (showStd && keep.some(({ i }) => r.cells[i].std !== null)) lines.push(line(f.std, r));
    if (opts.delta && keep.some(({ i }) => r.cells[i].deltaValue !== null)) lines.push(line(f.delta, r));
    const label = [...wrapLabel(r.label).map(escapeLatex), ...(showN ? [`{\\${small} $n{=}${r.n}$}`] : [])];
    while (lines.length < label.length) lines.push(keep.map(() => ''));
    return lines.map((cells, k) => [label[k] ?? '', ...cells]);
  };
  const end = (cells: Line) => cells.join(' & ') + ' \\\\';
  const spacer = showStd || opts.delta ? '\\addlinespace[2pt]' : null;
  const last = stub + cols.length;

  const body: string[] = [];
  if (!blocked) {
    rows.forEach((r, k) => {
      const prev = rows[k - 1];
      // Rules between the swept rows, the other methods and the references.
      if (
        prev &&
        ((prev.values !== null) !== (r.values !== null) || (prev.kind === 'method') !== (r.kind === 'method'))
      )
        body.push('\\midrule');
      else if (prev && spacer) body.push(spacer);
      body.push(...rowLines(r).map(end));
    });
  } else {
    t.blocks.forEach((b, bi) => {
      if (bi > 0) body.push('\\midrule');
      const parts = b.rows.map((r) => ({ r, lines: rowLines(r) }));
      const title = titleLines(t, b);
      let count = parts.reduce((a, p) => a + p.lines.length, 0);
      // The title must not run into the next block: pad the block to the title's height.
      if (parts.length)
        for (; count < title.length; count++) parts[parts.length - 1].lines.push(['', ...keep.map(() => '')]);
      const text = title.length > 1 ? `\\begin{tabular}{@{}l@{}}${title.join('\\\\')}\\end{tabular}` : title[0];
      parts.forEach(({ r, lines }, k) => {
        const prev = parts[k - 1]?.r;
        if (prev && prev.kind === 'method' && r.kind !== 'method') body.push(`\\cmidrule(l){2-${last}}`);
        else if (prev && spacer) body.push(spacer);
        lines.forEach((cells, li) =>
          body.push(end([k === 0 && li === 0 ? `\\multirow{${count}}{*}{${text}}` : '', ...cells])),
        );
      });
    });
  }

  const pad: string[] = Array<string>(stub - 1).fill('');
  const first = stub + 1;
  const top = [
    ...pad,
    '',
    ...(groups.length ? [`\\multicolumn{${groups.length}}{c}{${groupHeader(groups.length)}}`] : []),
    ...cols.filter((c) => c.group !== 'gme').map((c) => OTHER_HEAD[c.key][0]),
  ];
  const second = [
    escapeLatex(t.stubLabel),
    ...(blocked ? ['Method'] : []),
    ...cols.map((c) => `{\\${small} ${c.group === 'gme' ? compactGroupLabel(c) : OTHER_HEAD[c.key][1]}}`),
  ];
  // Group sizes in the header only when every block has the same; the notes list them otherwise.
  const sizes = new Set(t.blocks.map((b) => b.groupSizes.map(groupSizeText).join())).size <= 1;
  const gi = (c: Table1Column) => t.columns.indexOf(c);
  const third = [
    ...pad,
    '',
    ...cols.map((c) => (c.info ? `{\\${small} $n{=}${groupSizeText(t.groupSizes[gi(c)])}$}` : '')),
  ];
  const notes = t.notes
    .filter((x) => !LEGEND_NOTES.includes(x.kind) && (x.kind !== 'groups' || !sizes))
    .map((x) => escapeLatex(x.text));

  const tabular = [
    `\\begin{tabular}{@{}${'l'.repeat(stub)}${'r'.repeat(cols.length)}@{}}`,
    '\\toprule',
    end(top),
    ...(groups.length ? [`\\cmidrule(lr){${first}-${first + groups.length - 1}}`] : []),
    end(second),
    ...(groups.length && sizes ? [end(third)] : []),
    '\\midrule',
    ...body,
    '\\bottomrule',
    '\\end{tabular}',
  ];
  return latexFloat({
    heading: `Study table${studyName ? ` of "${studyName.replace(/[\r\n]+/g, ' ')}"` : ''} (${t.layout} layout)`,
    packages: ['booktabs', 'multirow'],
    opts,
    caption: caption(t, cols, showStd, opts, studyName),
    label: `tab:study${
      studyName
        ? '-' +
          studyName
            .replace(/[^a-zA-Z0-9]+/g, '-')
            .replace(/^-|-$/g, '')
            .toLowerCase()
        : ''
    }`,
    tabular,
    notes,
  });
}
