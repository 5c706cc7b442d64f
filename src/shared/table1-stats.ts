/**
 * What Table 1 computes from a stat's per-repeat values: the std it shows (only where there is a spread), how many
 * values stand behind a mean, the paired test's p against the reference, and the table's significance: Holm over
 * every tested cell, the dagger on the adjusted p (paired-tests.ts says why this test and this family).
 */
import { holmAdjust, pairedSignificanceNote, pairedTTest, untestedNote } from './paired-tests';
import type { Stat } from './results';

/** What a table says about its test: the level, the reference, whether any cell was tested, its note, the family. */
export interface Table1Significance {
  alpha: number;
  reference: string | null;
  tested: boolean;
  note: string | null;
  cells: number;
}

/** A cell as the test sees it: its raw p in, the adjusted p and the dagger out. */
interface TestedCell {
  p: number | null;
  pAdjusted?: number | null;
  significant: boolean;
}

/** A std only where there is a spread to report: two or more repeats with a value. */
export function spread(stat: Stat | null): number | null {
  if (!stat || stat.std === null || !Number.isFinite(stat.std)) return null;
  return stat.values.filter((v) => v !== null && Number.isFinite(v)).length >= 2 ? stat.std : null;
}

/** The values behind a mean (repeats with a finite value). */
export const valueCount = (s: Stat | null | undefined): number => finite(s ?? null).length;

const finite = (s: Stat | null): number[] =>
  (s?.values ?? []).filter((v): v is number => v !== null && Number.isFinite(v));

/**
 * The paired t-test's p of two stats over their repeats (values aligned by repeat, paired-tests.ts); null with fewer
 * than three pairs.
 */
export function pairedP(a: Stat | null, b: Stat | null): number | null {
  return a && b ? pairedTTest(a.values, b.values).p : null;
}

/**
 * Holm over every tested cell of a table (one family per table): sets each cell's adjusted p and dagger, and says
 * what the table's notes and caption say about it.
 */
export function markSignificance(
  cells: TestedCell[],
  reference: string | null,
  alpha: number,
  repeats: number,
): Table1Significance {
  const adjusted = holmAdjust(cells.map((c) => c.p));
  cells.forEach((c, i) => {
    c.pAdjusted = adjusted[i];
    c.significant = c.pAdjusted != null && c.pAdjusted < alpha;
  });
  const testedCells = adjusted.filter((p) => p !== null).length;
  const tested = reference !== null && testedCells > 0;
  const note =
    reference === null ? null : tested ? pairedSignificanceNote(reference, alpha, testedCells) : untestedNote(repeats);
  return { alpha, reference, tested, note, cells: testedCells };
}
