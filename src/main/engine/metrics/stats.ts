/**
 * Summary statistics for repeated runs (the "mean ± std" cells of Tables 1, F2-F6, H10).
 *
 * The std is the SAMPLE standard deviation (divisor n - 1). The std of a single value is defined
 * as 0 here (not NaN): one repeat has no measured spread, and tables show "± 0.00" for it, so a
 * reader must look at the repeat count to tell "no spread" from "one run". The authors' notebook
 * used numpy's population std (ddof = 0), partly along the wrong axis; we do not copy that.
 * Formatting for export lives elsewhere.
 */
import { MetricsError, requireFinite } from './errors';

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new MetricsError('mean of an empty list');
  requireFinite('mean', values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/** Sample standard deviation (n - 1). One value -> 0 by definition (see the file header). */
export function sampleStd(values: ArrayLike<number>): number {
  const m = mean(values);
  const n = values.length;
  if (n === 1) return 0;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - m) * (values[i] - m);
  return Math.sqrt(ss / (n - 1));
}

export interface RepeatSummary {
  /** Mean over the repeats that had a value; null when none had. */
  mean: number | null;
  /** Sample std over those repeats (0 for one value); null when none had a value. */
  std: number | null;
  /** How many repeats contributed. */
  count: number;
  /** How many repeats had null here (e.g. an empty memorization group) and were skipped. */
  skipped: number;
}

/**
 * Elementwise mean/std over repeats. `values[r][e]` is element e (e.g. one GME group, or the test
 * accuracy) of repeat r; every repeat must have the same number of elements. Nulls (an empty group
 * in that repeat) are skipped and counted, never treated as 0 or 1.
 */
export function aggregateRepeats(values: readonly (readonly (number | null)[])[]): RepeatSummary[] {
  if (values.length === 0) throw new MetricsError('aggregateRepeats: no repeats given');
  const width = values[0].length;
  values.forEach((row, r) => {
    if (row.length !== width) {
      throw new MetricsError(`aggregateRepeats: repeat ${r} has ${row.length} values, repeat 0 has ${width}`);
    }
  });
  const out: RepeatSummary[] = [];
  for (let e = 0; e < width; e++) {
    const present: number[] = [];
    for (const row of values) if (row[e] !== null) present.push(row[e] as number);
    if (present.length === 0) {
      out.push({ mean: null, std: null, count: 0, skipped: values.length });
    } else {
      out.push({
        mean: mean(present),
        std: sampleStd(present),
        count: present.length,
        skipped: values.length - present.length,
      });
    }
  }
  return out;
}
