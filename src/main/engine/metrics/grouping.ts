/**
 * Grouped Memorization Evaluation (GME), paper Section 5 (Eqs. 10-11) and Appendix E.2.
 *
 * Groups are percentile ranges of the memorization score, e.g. (95%, 100%] = the top 5% of D_u.
 * Eq. 10 writes them as score thresholds (tau_p, tau_p+1]; the paper's tables use percentile ranges,
 * and this module defines those EXACTLY by rank, so group sizes never depend on ties:
 *   1. sort the n examples by score descending, ties broken by example id ascending;
 *   2. the example at descending rank r (0-based) gets percentile pct = 100 * (1 - r / n),
 *      so the top example has 100 and the last has 100 / n > 0;
 *   3. an example belongs to group (lo, hi] iff lo < pct <= hi.
 * With n = 5000 the default groups hold 250, 250, 250, 250 and 4000 examples. The comparison is done
 * cross-multiplied (lo * n < 100 * (n - r) <= hi * n) with a 1e-9 relative tolerance, so a bound
 * that falls exactly on a rank is not at the mercy of float rounding.
 * The authors' code used np.percentile thresholds on the scores, so with tied (e.g. clipped-to-0)
 * scores a group could be empty and was then reported with accuracy 1.0. Here an empty group has
 * count 0 and accuracy null.
 */
import { DEFAULT_GROUP_BOUNDS } from '../../../shared/unlearning-config';
import { MetricsError } from './errors';
import { descendingOrder } from './ranking';

/** A percentile range (lo, hi] with 0 <= lo < hi <= 100. */
export type GroupBound = readonly [lo: number, hi: number];

export interface MemorizationGroup {
  lo: number;
  hi: number;
  /** "(95%,100%]", as in the paper's tables. */
  label: string;
  /** Positions (into the score array) of the members, in descending-score order. */
  members: Int32Array;
}

export interface GroupAccuracy {
  lo: number;
  hi: number;
  label: string;
  count: number;
  correct: number;
  /** correct / count; null for an empty group (never 1.0). */
  accuracy: number | null;
}

export function groupLabel([lo, hi]: GroupBound): string {
  return `(${lo}%,${hi}%]`;
}

/**
 * Validates a group spec: a non-empty array of [lo, hi] pairs of finite numbers with
 * 0 <= lo < hi <= 100 and no two ranges overlapping. Ranges need not cover (0, 100]; the order
 * given is the order reported.
 */
export function parseGroupSpec(spec: unknown): GroupBound[] {
  if (!Array.isArray(spec) || spec.length === 0) {
    throw new MetricsError('group spec: expected a non-empty array of [lo, hi] percentile pairs');
  }
  const out: GroupBound[] = spec.map((g, i) => {
    if (!Array.isArray(g) || g.length !== 2 || typeof g[0] !== 'number' || typeof g[1] !== 'number') {
      throw new MetricsError(`group spec: entry ${i} must be a pair of numbers [lo, hi] (got ${JSON.stringify(g)})`);
    }
    const [lo, hi] = g as [number, number];
    if (!Number.isFinite(lo) || !Number.isFinite(hi))
      throw new MetricsError(`group spec: entry ${i} has a non-finite bound`);
    if (lo < 0 || hi > 100) throw new MetricsError(`group spec: entry ${i} (${lo}, ${hi}] must lie within [0, 100]`);
    if (!(lo < hi)) throw new MetricsError(`group spec: entry ${i} needs lo < hi (got (${lo}, ${hi}])`);
    return [lo, hi] as const;
  });
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < out.length; j++) {
      if (Math.max(out[i][0], out[j][0]) < Math.min(out[i][1], out[j][1])) {
        throw new MetricsError(`group spec: ${groupLabel(out[i])} and ${groupLabel(out[j])} overlap`);
      }
    }
  }
  return out;
}

/** Splits D_u (given by its memorization scores) into the spec's groups; see the file header. */
export function groupByPercentile(
  scores: ArrayLike<number>,
  spec: readonly GroupBound[] = DEFAULT_GROUP_BOUNDS,
  ids?: ArrayLike<number>,
): MemorizationGroup[] {
  const bounds = parseGroupSpec(spec);
  const order = descendingOrder(scores, ids);
  const n = order.length;
  const tol = 1e-9 * 100 * n;
  return bounds.map(([lo, hi]) => {
    const members: number[] = [];
    for (let r = 0; r < n; r++) {
      const x = 100 * (n - r); // pct * n
      if (x > lo * n + tol && x <= hi * n + tol) members.push(order[r]);
    }
    return { lo, hi, label: groupLabel([lo, hi]), members: Int32Array.from(members) };
  });
}

/** Accuracy of one model on each group; `correct[i]` is 1 if the model classifies example i correctly. */
export function groupAccuracy(groups: readonly MemorizationGroup[], correct: ArrayLike<number>): GroupAccuracy[] {
  return groups.map((g) => {
    let c = 0;
    for (let k = 0; k < g.members.length; k++) {
      const i = g.members[k];
      if (i >= correct.length)
        throw new MetricsError(`group accuracy: member ${i} is outside the correctness array (${correct.length})`);
      const v = correct[i];
      if (v !== 0 && v !== 1)
        throw new MetricsError(`group accuracy: correctness of example ${i} must be 0 or 1 (got ${v})`);
      c += v;
    }
    const count = g.members.length;
    return { lo: g.lo, hi: g.hi, label: g.label, count, correct: c, accuracy: count === 0 ? null : c / count };
  });
}

/** Eq. 11 for one metric value: |M(unlearned) - M(retrained)|, null when either is missing (an empty group). */
export function metricDelta(unlearned: number | null, retrained: number | null): number | null {
  return unlearned === null || retrained === null ? null : Math.abs(unlearned - retrained);
}

export interface GroupScoreSummary {
  /** Lowest and highest score among the members; null for an empty group. */
  min: number | null;
  max: number | null;
  /**
   * Members whose score is shared with an example in a different group, i.e. whose group was decided
   * by the example-id tie-break rather than by the score (a cut point fell inside a block of ties).
   */
  placedById: number;
}

/** Score range of each group and how many of its members the id tie-break placed (see GroupScoreSummary). */
export function groupScoreSummary(
  scores: ArrayLike<number>,
  groups: readonly MemorizationGroup[],
): GroupScoreSummary[] {
  const groupOf = new Map<number, number>();
  groups.forEach((g, p) => g.members.forEach((i) => groupOf.set(i, p)));
  // Every score value -> the set of groups (or -1 for "no group") its holders landed in.
  const groupsOfScore = new Map<number, Set<number>>();
  for (let i = 0; i < scores.length; i++) {
    const set = groupsOfScore.get(scores[i]) ?? new Set<number>();
    set.add(groupOf.get(i) ?? -1);
    groupsOfScore.set(scores[i], set);
  }
  return groups.map((g) => {
    let min: number | null = null;
    let max: number | null = null;
    let placedById = 0;
    for (const i of g.members) {
      const s = scores[i];
      if (min === null || s < min) min = s;
      if (max === null || s > max) max = s;
      if (groupsOfScore.get(s)!.size > 1) placedById++;
    }
    return { min, max, placedById };
  });
}
