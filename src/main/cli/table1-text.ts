/**
 * Table 1 as the terminal prints it under `fedmem show` and after `fedmem run`: the shared Table 1
 * model (shared/table1-model.ts) in fixed-width text, with the same best cells (*) and daggers (†).
 */
import { requestLayout } from '../../shared/request-layouts';
import { fixed } from '../../shared/format';
import { groupNoisyShare, groupScoreRange, groupSize } from '../../shared/gme-notes';
import type { GroupInfo, UnlearningReport } from '../../shared/results';
import { buildTable1, type Table1Cell, type Table1Column } from '../../shared/table1-model';

/** Table 1 in plain text (accuracies in %, |delta| to retrained in parentheses) for unlearning runs. */
export function table1Text(report: UnlearningReport): string[] {
  const table = buildTable1(report);
  // Mean, with the delta to the reference in parentheses; '*' marks the model's best cells, '†' the
  // ones the paired test (Holm-adjusted) separates from the reference (the note says so).
  // The '*' has a column of its own, so marked and unmarked cells line up.
  const cell = (c: Table1Cell, scale: number) =>
    `${(c.mean === null ? '-' : `${fixed(c.mean, scale)}${c.significant ? '†' : ''}${c.deltaValue === null ? '' : ` (${fixed(c.deltaValue, scale)})`}`).padStart(16)}${c.best ? '*' : ' '}`;
  const col = (text: string) => `${text.padStart(16)} `;
  // The label column fits the longest row label (labels are the user's; never cut them).
  const width = Math.max(20, ...table.rows.map((r) => r.label.length + 2));
  const groupCols = table.columns.filter((c) => c.info);
  const facts = (label: string, f: (g: GroupInfo) => string) =>
    `${label.padEnd(width)}${groupCols.map((c) => col(f(c.info!))).join('')}`.trimEnd();
  const range = (g: GroupInfo) => {
    const r = groupScoreRange(g);
    return r ? `${r[0].toFixed(3)}..${r[1].toFixed(3)}` : '-';
  };
  const noisy = (g: GroupInfo) => {
    const share = groupNoisyShare(g);
    return share === null ? '-' : `${(100 * share).toFixed(0)}%`;
  };
  const HEADERS: Record<string, string> = {
    fairness: `fairness ${report.fairness} e-3`,
    unlearn: 'D_u',
    asr: 'attack success',
    time: 'time to peak s',
    speedup: 'speed-up x',
  };
  const header = (c: Table1Column) => (c.info ? c.short : (HEADERS[c.key] ?? c.key));
  return [
    '',
    `unlearning ${report.request.kind} (${report.request.examples} examples${report.request.kind === 'clients' ? '' : `, ${requestLayout(report.request.kind).table} layout`}), ${report.repeats} repeat(s), J = ${report.retrainModels}; accuracy %, (|delta| to the reference), * best method${table.significance.tested ? `, † adjusted p < ${table.significance.alpha}` : ''}`,
    `${'method'.padEnd(width)}${table.columns.map((c) => col(header(c))).join('')}`.trimEnd(),
    facts('  examples', groupSize),
    facts('  score range', range),
    ...(report.noisyInUnlearn ? [facts('  label noise', noisy)] : []),
    ...table.rows.map(
      (r) => `${r.label.padEnd(width)}${r.cells.map((c, i) => cell(c, table.columns[i].scale)).join('')}`,
    ),
    ...table.notes.map((n) => `note: ${n}`),
  ];
}
