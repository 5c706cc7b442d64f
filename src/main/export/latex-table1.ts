/**
 * Table 1 as LaTeX, rendered from the shared Table 1 model (shared/table1-model.ts), so it bolds
 * exactly what the app bolds. Layout, chosen to fit `table*` in a two-column 10pt article (452 pt on
 * a4, 469 pt on letter) with six GME groups and eleven rows, unscaled:
 * - a two-level header: "Accuracy by memorization-score group (%)" spans the group columns over a
 *   \cmidrule; beneath it compact labels "(95,100]" and each group's size n;
 * - one column per measure, each number stacked in its cell's column: the mean, then ±std (only with
 *   two or more repeats), then (|Δ|) to the reference, the last two a size smaller. Written side by
 *   side ("86.60 ± 0.22 (70.71)") nine columns need ~570 pt; stacked they need ~400;
 * - right-aligned fixed decimals line the decimal points up (no siunitx); the ")" after |Δ| hangs
 *   into the column gap so |Δ| aligns with the mean;
 * - \footnotesize (an option), with rules between the original, the methods and the references.
 */
import { groupScoreRange, groupSize } from '../../shared/gme-notes';
import { fixed } from '../../shared/format';
import type { LatexOptions } from '../../shared/latex-options';
import type { UnlearningReport } from '../../shared/results';
import {
  blockOf,
  buildTable1,
  type Table1,
  type Table1Cell,
  type Table1Column,
  type Table1Row,
} from '../../shared/table1-model';
import { escapeLatex, LATEX_TEXT_NOTE } from './latex-escape';
import { requestLayout } from '../../shared/request-layouts';

/** The size of the ± and |Δ| lines and the group sizes: one step below the table's font. */
export const SMALLER: Record<LatexOptions['fontSize'], string> = {
  normalsize: 'footnotesize',
  small: 'scriptsize',
  footnotesize: 'scriptsize',
  scriptsize: 'tiny',
};

/** Label lines stay within about the width of "Retrained baseline", the longest built-in label. */
const LABEL_CHARS = 18;

/**
 * A row label in lines of at most `width` characters, broken at spaces (a longer word keeps its own
 * line). The lines go beside the row's mean, ± and |Δ| lines, so a long label costs no width and,
 * up to three lines, no height.
 */
export function wrapLabel(label: string, width = LABEL_CHARS): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [''];
}

/** The spanning header over the group columns, as long as the columns beneath leave room for (~30 pt each). */
export function groupHeader(groups: number): string {
  if (groups >= 6) return 'Accuracy by memorization-score group (\\%)';
  if (groups === 5) return 'Accuracy by memorization group (\\%)';
  if (groups >= 3) return 'Acc.\\ by mem.\\ group (\\%)';
  return 'Group acc.\\ (\\%)';
}

/** "(95,100]": the group's percentile range without the % signs the spanning header already says. */
export const compactGroupLabel = (c: Table1Column) => (c.info ? `(${c.info.lo},${c.info.hi}]` : c.short);

/** Two header lines of the non-group columns: the measure, then its unit and direction. */
export const OTHER_HEAD: Record<string, [string, string]> = {
  unlearn: ['$D_u$ acc.', '(\\%) $|\\Delta|\\downarrow$'],
  test: ['Test acc.', '(\\%) $\\uparrow$'],
  fairness: ['Fairness', '($10^{-3}$) $\\downarrow$'],
  asr: ['Attack', 'success (\\%) $\\downarrow$'],
  time: ['Time to', 'peak (s) $\\downarrow$'],
};

/** The third header line of the time column: the speed-up stacked beneath each time. */
const SPEEDUP_HEAD = '$\\times$speed-up $\\uparrow$';

/** The caption's sentence for the daggers of the study tables (Welch's test between runs). */
export const latexSignificance = (reference: string, alpha: number) =>
  ` $^\\dagger$: differs from ${reference} by Welch's $t$-test, $p < ${alpha}$.`;

/** Table 1's: a paired test over the repeats, Holm-adjusted over the table (shared/paired-tests.ts). */
const latexPairedSignificance = (reference: string, alpha: number, cells: number) =>
  ` $^\\dagger$: differs from ${reference} by a paired $t$-test over the repeats, Holm-adjusted over the ${cells}` +
  ` tested cells, $p < ${alpha}$.`;

/**
 * The caption's list of what the columns measure, as printed ("accuracy (\\%) on $D_u$, on the test set and local
 * fairness"); shared with the study tables.
 */
export function measuresText(columns: Table1Column[], time: boolean): string {
  const present = new Set(columns.map(blockOf));
  const on = [
    present.has('groups') && 'by memorization-score group of $D_u$',
    present.has('unlearn') && 'on $D_u$',
    present.has('test') && 'on the test set',
  ].filter((x): x is string => !!x);
  const measures = [
    on.length > 0 && `accuracy (\\%) ${on.join(', ')}`,
    present.has('asr') && 'the attack success rate (\\%)',
    present.has('fairness') && 'local fairness ($10^{-3}$)',
    time &&
      "time to peak test accuracy (s) with the speed-up over retraining beneath ($\\times$: retraining's time to peak over the row's, mean)",
  ].filter((x): x is string => !!x);
  return measures.length > 1
    ? `${measures.slice(0, -1).join(', ')} and ${measures[measures.length - 1]}`
    : measures.join('');
}

function describe(
  report: UnlearningReport,
  model: Table1,
  opts: LatexOptions,
  showStd: boolean,
  time: boolean,
): string {
  const r = report.request;
  const who =
    r.kind === 'clients'
      ? `client${r.clients!.length > 1 ? 's' : ''} ${r.clients!.join(', ')}`
      : r.kind === 'class'
        ? `class ${r.class}`
        : `${r.examples} examples`;
  const K = report.referenceModels ?? 0;
  const ref = K > 0 ? `$K = ${K}$ held-out retrained models` : `the retrained baseline ($J = ${report.retrainModels}$)`;
  const stats = showStd
    ? `mean over ${report.repeats} repeats with $\\pm$ std beneath`
    : report.repeats > 1
      ? `mean over ${report.repeats} repeats`
      : 'one repeat (no spread to show)';
  const delta = opts.delta ? `; $|\\Delta|$ to ${ref} in parentheses` : '';
  const bold = ` Bold: the best unlearning method in each column (the smallest $|\\Delta|$ for accuracy by group and on $D_u$, the highest test accuracy, the lowest fairness${time ? ', the shortest time to peak, the largest speed-up' : ''}); methods that tie at the printed precision are all bold.`;
  const sig = model.significance;
  const test =
    sig.reference === null
      ? ''
      : sig.tested
        ? latexPairedSignificance(escapeLatex(sig.reference), sig.alpha, sig.cells)
        : ' No significance marks: a paired $t$-test needs three or more repeats.';
  const list = measuresText(model.columns, time);
  const layout = requestLayout(r.kind);
  const title =
    r.kind === 'clients'
      ? `Unlearning ${who}`
      : `${layout.level[0].toUpperCase()}${layout.level.slice(1)} unlearning of ${who} (the layout of ${layout.table})`;
  return `${title}: ${list}; ${stats}${delta}.${bold}${test}`;
}

/**
 * The stacked lines of a cell: the mean (bold when best), "±std" and "(|Δ|)" a size smaller, the
 * ")" hung into the column gap so |Δ| aligns with the mean. Shared with the study tables.
 */
export function cellFormatters(digits: number, small: string) {
  const num = (v: number | null, scale: number) => fixed(v, scale, digits);
  return {
    // A significant cell's dagger hangs into the column gap (\\rlap), so decimal points stay aligned.
    mean: (cell: Table1Cell, col: Table1Column) => {
      if (cell.mean === null) return '--';
      const s = num(cell.mean, col.scale);
      return `${cell.best ? `\\textbf{${s}}` : s}${cell.significant ? '\\rlap{$^\\dagger$}' : ''}`;
    },
    std: (cell: Table1Cell, col: Table1Column) =>
      cell.mean === null || cell.std === null ? '' : `{\\${small}$\\pm$${num(cell.std, col.scale)}}`,
    delta: (cell: Table1Cell, col: Table1Column) => {
      if (cell.deltaValue === null) return '';
      const s = `(${num(cell.deltaValue, col.scale)}\\rlap{)}`;
      return `{\\${small}${cell.best && col.compares === 'delta' ? `\\bfseries` : ''} ${s}}`;
    },
    /** The speed-up beneath a time to peak: "×13.50", bold when best. */
    speedup: (cell: Table1Cell, col: Table1Column) =>
      cell.mean === null ? '' : `{\\${small}${cell.best ? '\\bfseries' : ''} $\\times$${num(cell.mean, col.scale)}}`,
  };
}

export function table1Latex(report: UnlearningReport, opts: LatexOptions, runName?: string): string {
  const model = buildTable1(report, { decimals: opts.decimals, blocks: opts.columns });
  // The speed-up is set beneath the time to peak, in its column: two columns side by side would
  // take ~450 of table*'s 452 pt on a4 (Table 1 of eleven rows and six groups), stacked ~410.
  const keep = model.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.key !== 'speedup');
  const cols = keep.map((k) => k.c);
  const speedAt = model.columns.findIndex((c) => c.key === 'speedup');
  const speedOf = (r: Table1Row, c: Table1Column) => (c.key === 'time' && speedAt >= 0 ? r.cells[speedAt] : null);
  const timed = cols.some((c) => c.key === 'time') && speedAt >= 0;
  const d = opts.decimals;
  const showStd = opts.std && model.rows.some((r) => keep.some(({ i }) => r.cells[i].std !== null));
  const groups = cols.filter((c) => c.group === 'gme');
  const n = cols.length;

  const small = SMALLER[opts.fontSize];
  const { mean, std, delta, speedup } = cellFormatters(d, small);
  const line = (f: (cell: Table1Cell, col: Table1Column) => string, r: Table1Row) =>
    keep.map(({ c, i }) => f(r.cells[i], c));
  /** The third line: |Δ| (when shown), and the speed-up in the time column. */
  const third = (r: Table1Row) =>
    keep.map(({ c, i }) => {
      const sp = speedOf(r, c);
      return sp ? speedup(sp, model.columns[speedAt]) : opts.delta ? delta(r.cells[i], c) : '';
    });
  const hasThird = (r: Table1Row) =>
    (opts.delta && keep.some(({ i }) => r.cells[i].deltaValue !== null)) ||
    keep.some(({ c }) => (speedOf(r, c)?.mean ?? null) !== null);

  const body: string[] = [];
  model.rows.forEach((r, k) => {
    const prev = model.rows[k - 1];
    // A rule where the kind changes: the original for reference | the methods | the reference rows.
    if (prev && (prev.kind === 'original' || (prev.kind === 'method' && r.kind !== 'method'))) body.push('\\midrule');
    else if (prev && (showStd || opts.delta || timed)) body.push('\\addlinespace[2pt]');
    const lines = [line(mean, r)];
    if (showStd && keep.some(({ i }) => r.cells[i].std !== null)) lines.push(line(std, r));
    if (hasThird(r)) lines.push(third(r));
    const label = wrapLabel(r.label);
    while (lines.length < label.length) lines.push(keep.map(() => ''));
    lines.forEach((cells, k) =>
      body.push([k < label.length ? escapeLatex(label[k]) : '', ...cells].join(' & ') + ' \\\\'),
    );
  });

  const first = groups.length ? 2 : 0;
  const top = [
    '',
    ...(groups.length ? [`\\multicolumn{${groups.length}}{c}{${groupHeader(groups.length)}}`] : []),
    ...cols.filter((c) => c.group !== 'gme').map((c) => OTHER_HEAD[c.key][0]),
  ];
  // Group labels and units a size smaller: at the table's size "(95,100]" is wider than "100.00" and would set the
  // column width.
  const second = [
    'Method',
    ...cols.map((c) => `{\\${small} ${c.group === 'gme' ? compactGroupLabel(c) : OTHER_HEAD[c.key][1]}}`),
  ];
  const sizes = [
    '',
    ...cols.map((c) =>
      c.info
        ? `{\\${small} $n{=}${groupSize(c.info)}$}`
        : c.key === 'time' && speedAt >= 0
          ? `{\\${small} ${SPEEDUP_HEAD}}`
          : '',
    ),
  ];
  const gmeArrow = opts.delta ? ' ($|\\Delta|\\downarrow$ beneath)' : '';
  const notes = [
    `Groups are percentile ranges of the memorization score within $D_u$${gmeArrow}, with n examples each: ${groups.map((c) => `${compactGroupLabel(c)} ${rangeText(c)}`).join('; ')}.`,
    `Local fairness: the ${report.fairness === 'sum' ? "sum over remaining clients (the paper's Appendix E.2)" : "mean over remaining clients (the authors' code)"}. The original model is shown for reference.`,
    // The test is named in the caption.
    ...model.notes.filter((x) => x !== model.significance.note).map(escapeLatex),
  ].filter((s) => groups.length > 0 || !s.startsWith('Groups'));

  const tabular = [
    `\\begin{tabular}{@{}l${'r'.repeat(n)}@{}}`,
    '\\toprule',
    top.join(' & ') + ' \\\\',
    ...(groups.length ? [`\\cmidrule(lr){${first}-${first + groups.length - 1}}`] : []),
    second.join(' & ') + ' \\\\',
    ...(groups.length || timed ? [sizes.join(' & ') + ' \\\\'] : []),
    '\\midrule',
    ...body,
    '\\bottomrule',
    '\\end{tabular}',
  ];
  return latexFloat({
    heading: `Table 1${runName ? ` of run "${runName.replace(/[\r\n]+/g, ' ')}"` : ''}`,
    packages: ['booktabs'],
    opts,
    caption: describe(
      report,
      model,
      opts,
      showStd,
      cols.some((c) => blockOf(c) === 'time'),
    ),
    label: 'tab:table1',
    tabular,
    notes,
  });
}

/**
 * A tabular as a float the way every paper table here is set: the packages it needs in a comment,
 * the caption above, the notes below in \scriptsize, optionally scaled to the line width.
 */
export function latexFloat(t: {
  heading: string;
  packages: string[];
  opts: LatexOptions;
  caption: string;
  label: string;
  tabular: string[];
  notes: string[];
}): string {
  const { opts } = t;
  const packages = [...t.packages, ...(opts.scaleToWidth ? ['graphicx'] : [])];
  return (
    [
      `% ${t.heading}, exported by FedMem Workbench`,
      `% needs \\usepackage{${packages.join(',')}}`,
      LATEX_TEXT_NOTE,
      `\\begin{${opts.float}}[t]`,
      '\\centering',
      `\\${opts.fontSize}`,
      '\\setlength{\\tabcolsep}{3pt}',
      // article puts no space between a caption and what follows it; captions go above tables here.
      '\\setlength{\\belowcaptionskip}{4pt}',
      `\\caption{${t.caption}}`,
      `\\label{${t.label}}`,
      ...(opts.scaleToWidth ? ['\\resizebox{\\linewidth}{!}{%', ...t.tabular, '}'] : t.tabular),
      ...(t.notes.length ? ['\\par\\smallskip', `{\\scriptsize\\raggedright ${t.notes.join(' ')}\\par}`] : []),
      `\\end{${opts.float}}`,
    ].join('\n') + '\n'
  );
}

function rangeText(c: Table1Column): string {
  const r = c.info ? groupScoreRange(c.info) : null;
  return `(n = ${c.info ? groupSize(c.info) : '?'}${r ? `, scores ${r[0].toFixed(2)} to ${r[1].toFixed(2)}` : ''})`;
}
