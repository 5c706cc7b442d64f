/**
 * Table 1's significance test. Every row of one run is measured on the same repeats (seeds `seed`, `seed+1`, ...), so
 * a method and the retrained reference are paired by repeat: the paired t-test on the per-repeat differences, which
 * removes what the seeds share (the partition, the scoring models, the groups). It runs only where both sides have
 * MIN_TEST_VALUES values: at two repeats the t distribution has one degree of freedom and a dagger said little. A table
 * tests many cells at once, so each p is adjusted by Holm's step-down method over every tested cell of the table
 * (family-wise error at alpha), and the dagger follows the adjusted p. Pure and small, like significance.ts, whose
 * Student t distribution it uses.
 */
import { studentTwoSidedP } from './significance';

/** Values each side needs before a cell is tested. */
export const MIN_TEST_VALUES = 3;

export interface PairedResult {
  /** Pairs used: repeats where both sides have a finite value. */
  n: number;
  t: number;
  df: number;
  /** Two-sided p; null below MIN_TEST_VALUES pairs. */
  p: number | null;
}

/**
 * The paired t-test of a[k] against b[k] (k = repeat). Where the differences do not vary at all, t is infinite: p is
 * 0 when they are not all 0 (every repeat moved the same way by the same amount) and 1 when the two sides are equal.
 */
export function pairedTTest(a: readonly (number | null)[], b: readonly (number | null)[]): PairedResult {
  const d: number[] = [];
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const x = a[k];
    const y = b[k];
    if (x !== null && y !== null && Number.isFinite(x) && Number.isFinite(y)) d.push(x - y);
  }
  const n = d.length;
  if (n < MIN_TEST_VALUES) return { n, t: NaN, df: NaN, p: null };
  const mean = d.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const df = n - 1;
  // Differences equal to float rounding count as not varying.
  if (sd <= 1e-12 * Math.max(1, Math.abs(mean))) {
    return { n, t: mean === 0 ? 0 : Math.sign(mean) * Infinity, df, p: Math.abs(mean) <= 1e-12 ? 1 : 0 };
  }
  const t = mean / (sd / Math.sqrt(n));
  return { n, t, df, p: studentTwoSidedP(t, df) };
}

/**
 * Holm's step-down adjustment of the p-values of one family (nulls are untested and stay null): sorted ascending,
 * the i-th (from 0) of m becomes max over j <= i of min(1, (m - j) p_(j)). Rejecting where the adjusted p < alpha
 * keeps the chance of any false dagger in the table at most alpha.
 */
export function holmAdjust(ps: readonly (number | null)[]): (number | null)[] {
  const tested = ps.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null);
  tested.sort((x, y) => x.p - y.p || x.i - y.i);
  const out: (number | null)[] = ps.map(() => null);
  let running = 0;
  tested.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (tested.length - rank) * p));
    out[i] = running;
  });
  return out;
}

/** What a dagger means in Table 1 (app, terminal, notes). */
export function pairedSignificanceNote(reference: string, alpha: number, cells: number): string {
  return (
    `† differs from ${reference} by a paired t-test over the repeats (rows share their seeds), ` +
    `Holm-adjusted over the ${cells} tested cell${cells === 1 ? '' : 's'} of this table, p < ${alpha}.`
  );
}

/** Why a table has no daggers. */
export function untestedNote(repeats: number): string {
  return (
    `No † marks: a significance test needs ${MIN_TEST_VALUES} or more repeats on each side, ` +
    `and this run has ${repeats}.`
  );
}
