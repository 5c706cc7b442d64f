/**
 * What every rendering of a study table (shared/study-table.ts) says about it, written once: how many
 * values each row pools, what Δ, † and bold mean, why rows pooled over every cell count once, the
 * group sizes, the fairness variant, the reference and the cells still missing. Each note has a kind,
 * so LaTeX can set the legend (delta, significance, best, pooling) in its caption in math and print
 * the rest beneath, while the app lists them all.
 */
import { referenceNote, scoresNote } from './gme-notes';
import { significanceNote } from './significance';
import type { Study, StudyCell } from './study';
import type { StudyTableBlock } from './study-table-types';
import type { StudyRunResult } from './study-types';
import type { Table1Column } from './table1-model';

export type StudyNoteKind =
  'pooling' | 'delta' | 'significance' | 'best' | 'reuse' | 'groups' | 'fairness' | 'reference' | 'scores' | 'missing';

export interface StudyNote {
  kind: StudyNoteKind;
  text: string;
}

/** The kinds a caption explains (LaTeX writes its own, in math, from the table's fields). */
export const LEGEND_NOTES: readonly StudyNoteKind[] = ['pooling', 'delta', 'significance', 'best'];

export interface NotesInput {
  study: Study;
  cells: StudyCell[];
  present: StudyCell[];
  results: StudyRunResult[];
  used: StudyRunResult[];
  reference: { key: string; label: string | null };
  blocks: StudyTableBlock[];
  columns: Table1Column[];
  alpha: number;
  flat: { label: string; parameter: string } | null;
  /** Mean examples per group over every run. */
  groupSizes: number[];
}

/** "25", or "24.5" when runs or repeats differ. */
export const groupSizeText = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** "3 seeds × 2 repeats = 6", or just "6" when a row's runs had different repeat counts. */
export function samplesText(runs: number, n: number): string {
  const per = n / runs;
  return Number.isInteger(per)
    ? `${runs} seed${runs === 1 ? '' : 's'} × ${per} repeat${per === 1 ? '' : 's'} = ${n}`
    : String(n);
}

function poolingNote(blocks: StudyTableBlock[]): string {
  const rows = blocks.flatMap((b) => b.rows.map((r) => ({ r, where: b.title ? `${b.title}, ` : '' })));
  const kinds = new Set(rows.map(({ r }) => `${r.runs}/${r.n}`));
  const head =
    'Each value pools every run (seed) of its cell and every repeat of each run: mean ± sample std over n values';
  if (kinds.size === 1) return `${head}, n = ${samplesText(rows[0].r.runs, rows[0].r.n)} per row.`;
  return `${head}; n per row: ${rows.map(({ r, where }) => `${where}${r.label}: ${samplesText(r.runs, r.n)}`).join('; ')}.`;
}

function groupsNote(blocks: StudyTableBlock[], columns: Table1Column[], all: number[]): string {
  const labels = columns.filter((c) => c.group === 'gme').map((c) => c.info!.label);
  const list = (sizes: number[]) => labels.map((l, g) => `${l} ${groupSizeText(sizes[g])}`).join(', ');
  const differ = new Set(blocks.map((b) => list(b.groupSizes))).size > 1;
  const head = 'Examples per GME group (mean over runs and repeats)';
  return differ
    ? `${head}: ${blocks.map((b) => `${b.title}: ${list(b.groupSizes)}`).join('; ')}.`
    : `${head}: ${list(all)}.`;
}

export function studyNotes(x: NotesInput): StudyNote[] {
  const notes: StudyNote[] = [];
  const add = (kind: StudyNoteKind, text: string) => notes.push({ kind, text });
  const blocked = !x.flat;
  const ref = x.reference.label ?? x.reference.key;
  if (x.used.length === 0) add('missing', 'No finished runs yet: the table fills in as the study runs.');
  if (x.blocks.some((b) => b.rows.length > 0)) {
    add('pooling', poolingNote(x.blocks));
    add(
      'delta',
      `Δ = |mean − mean of ${ref}| on the GME groups and on D_u${blocked ? ', within each block' : ''}; test accuracy and fairness have none.`,
    );
    add('significance', significanceNote(ref, x.alpha, blocked ? ' (within each block)' : ''));
    add(
      'best',
      `Bold: the best method other than ${ref} in each column${blocked ? ' of each block' : ''} (the smallest Δ on the groups and D_u, the highest test accuracy, the lowest fairness), judged at the printed precision; ties are all bold.`,
    );
  }
  const others = x.blocks.flatMap((b) => b.rows.filter((r) => r.values === null));
  if (x.flat && others.length > 0 && x.present.length > 1) {
    add(
      'reuse',
      `${others.map((r) => r.label).join(', ')} ${others.length === 1 ? 'does' : 'do'} not depend on ${x.flat.parameter}: the ${x.present.length} cells ran ${others.length === 1 ? 'it' : 'them'} with the same config and seeds, so each is pooled once over its seeds and repeats (the cells' copies averaged), not counted ${x.present.length} times.`,
    );
  }
  if (x.used.length > 0) {
    const first = x.used[0].report;
    if (x.groupSizes.length > 0) add('groups', groupsNote(x.blocks, x.columns, x.groupSizes));
    const variants = new Set(x.used.map((r) => r.report.fairness));
    const variant = (v: string) =>
      v === 'sum'
        ? "the sum over remaining clients (the paper's Appendix E.2)"
        : "the mean over remaining clients (the authors' code)";
    add(
      'fairness',
      variants.size === 1
        ? `Local fairness ×10⁻³: ${variant(first.fairness)}.`
        : 'Local fairness ×10⁻³: runs of this study use different variants (sum and mean); each run contributes its own.',
    );
    if (x.reference.label === null)
      add('reference', `No row "${x.reference.key}" to compare with: no Δ and no t-test.`);
    else if (x.reference.key === 'retrained') add('reference', referenceNote(first));
    add('scores', scoresNote(first));
  }
  const missing = x.cells.filter((c) => !x.present.includes(c));
  if (x.used.length > 0 && missing.length > 0)
    add('missing', `No finished runs yet for ${missing.map((c) => c.key).join(', ')}.`);
  const stray = x.results.length - x.used.length;
  if (stray > 0)
    add(
      'missing',
      `${stray} finished run${stray === 1 ? '' : 's'} belong${stray === 1 ? 's' : ''} to no cell of this study and ${stray === 1 ? 'is' : 'are'} left out.`,
    );
  return notes;
}
