/**
 * Which of the paper's tables and efficiency figures a run's results take, by what its request
 * forgets (Appendix H.4): a client's data is Table 1 with Figure 2; a class is Table H9 (accuracy on
 * the forgotten class and on the test set only) with Figure H11; a set of examples is Table H10
 * (Table 1's columns) with Figure H12. Every rendering of Table 1 (screen, CLI, CSV, LaTeX, study
 * tables) starts from these column blocks unless the user names others.
 */
import type { Table1ColumnBlock } from './latex-options';

export type RequestKind = 'clients' | 'class' | 'examples';

export interface RequestLayout {
  /** "client-level", as the paper names its three tasks. */
  level: string;
  /** The paper's table this layout follows. */
  table: string;
  /** The paper's figure that compares the methods' time (accuracy against training time). */
  efficiencyFigure: string;
  /** The column blocks shown unless others are asked for (blocks a report lacks are skipped). */
  blocks: readonly Table1ColumnBlock[];
}

const ALL: readonly Table1ColumnBlock[] = ['groups', 'unlearn', 'test', 'asr', 'fairness', 'time'];

export const REQUEST_LAYOUTS: Record<RequestKind, RequestLayout> = {
  clients: { level: 'client-level', table: 'Table 1', efficiencyFigure: 'Figure 2', blocks: ALL },
  // No retrained model sees the forgotten class, so every example's memorization score is the
  // original model's confidence in it: the groups would rank confidence, not memorization. The
  // paper's Table H9 reports the two accuracies only (and the time in Figure H11).
  class: {
    level: 'class-level',
    table: 'Table H9',
    efficiencyFigure: 'Figure H11',
    blocks: ['unlearn', 'test', 'asr', 'time'],
  },
  examples: { level: 'example-level', table: 'Table H10', efficiencyFigure: 'Figure H12', blocks: ALL },
};

export const requestLayout = (kind: RequestKind): RequestLayout => REQUEST_LAYOUTS[kind];

/** The note a table prints when its layout leaves out blocks the report has (class requests: the groups). */
export function layoutNote(kind: RequestKind, omitted: readonly Table1ColumnBlock[]): string | null {
  if (kind !== 'class' || omitted.length === 0) return null;
  const what = omitted
    .map((b) => (b === 'groups' ? 'the memorization groups' : b === 'fairness' ? 'local fairness' : b))
    .join(' and ');
  const why = omitted.includes('groups')
    ? " (no retrained model learns the forgotten class, so the scores only rank the original model's confidence)"
    : '';
  return `Class-level request, Table H9 layout: ${what} left out${why}; name the column blocks to show them.`;
}
