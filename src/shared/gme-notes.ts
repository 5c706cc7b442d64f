/**
 * What every Table 1 rendering (the Vue table, LaTeX, CSV, the CLI) says about the GME groups and the
 * reference, written once: each group's size and score range, the examples the id tie-break placed,
 * the label-noise examples per group when the run injects noise, and which retrained models Δ is
 * measured against. Pure functions of the stored report.
 */
import type { GroupInfo, UnlearningReport } from './results';

const minOf = (xs: (number | null)[] | undefined) => {
  const v = (xs ?? []).filter((x): x is number => x !== null);
  return v.length ? Math.min(...v) : null;
};
const maxOf = (xs: (number | null)[] | undefined) => {
  const v = (xs ?? []).filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
};
const sum = (xs: number[] | undefined) => (xs ?? []).reduce((a, b) => a + b, 0);

/** Score range over all repeats, or null for an always-empty group or an old report. */
export function groupScoreRange(g: GroupInfo): [number, number] | null {
  const lo = minOf(g.scoreMin);
  const hi = maxOf(g.scoreMax);
  return lo === null || hi === null ? null : [lo, hi];
}

/** Group size as printed: "25", or "25-26" when repeats differ. */
export function groupSize(g: GroupInfo): string {
  const lo = Math.min(...g.counts);
  const hi = Math.max(...g.counts);
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

/** Share of label-noise examples in the group over all repeats, or null without label noise. */
export function groupNoisyShare(g: GroupInfo): number | null {
  if (!g.noisy) return null;
  const n = sum(g.counts);
  return n === 0 ? null : sum(g.noisy) / n;
}

/** Share of label-noise examples in the whole of D_u (the base rate), or null without label noise. */
export function noisyBaseRate(report: UnlearningReport): number | null {
  if (!report.noisyInUnlearn) return null;
  return sum(report.noisyInUnlearn) / (report.request.examples * report.noisyInUnlearn.length);
}

/** "n = 25, scores 0.412 to 0.981" (ASCII, so every renderer can use it). */
export function describeGroup(g: GroupInfo, digits = 3): string {
  const range = groupScoreRange(g);
  return `n = ${groupSize(g)}${range ? `, scores ${range[0].toFixed(digits)} to ${range[1].toFixed(digits)}` : ''}`;
}

/** Which retrained models every Δ is measured against, in one sentence. */
export function referenceNote(report: UnlearningReport): string {
  const K = report.referenceModels ?? 0;
  const J = report.retrainModels;
  return K > 0
    ? `Delta is measured against K = ${K} held-out retrained model(s) that took no part in scoring; the J = ${J} scoring models have their own row.`
    : `Delta is measured against the J = ${J} retrained models that also defined the memorization scores (the paper's practice; their accuracy on the top groups is biased low, see evaluation.referenceModels).`;
}

export function scoresNote(report: UnlearningReport): string {
  const variant =
    report.memorization === 'probability' ? 'probability of the true label' : '0/1 correctness (Eq. 9 read literally)';
  return `Memorization scores: ${variant}${report.clipNegative ? ', negatives clipped to 0 (the authors\u2019 code)' : ''}.`;
}

/** One sentence per group whose boundary fell inside a block of tied scores; empty when none did. */
export function tieNotes(report: UnlearningReport): string[] {
  const many = report.repeats > 1;
  return report.groups
    .filter((g) => sum(g.placedById) > 0)
    .map((g) => {
      const n = sum(g.placedById);
      return `${g.label}: ${n} example${n === 1 ? '' : 's'}${many ? ` (over ${report.repeats} repeats)` : ''} share a score with examples across a group boundary and ${n === 1 ? 'was' : 'were'} placed by example id.`;
    });
}

/** Label noise as the known truth: the flipped examples' share in each group against the base rate. */
export function noiseNote(report: UnlearningReport): string | null {
  const base = noisyBaseRate(report);
  if (base === null) return null;
  const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(0)}%`);
  const parts = report.groups.map((g) => `${g.label} ${pct(groupNoisyShare(g))}`);
  const shares = `Label-noise examples per group: ${parts.join(', ')} (base rate in D_u ${pct(base)}).`;
  const all = noiseConcentration(report);
  const fit = noiseConcentration(report, 20, 'fit');
  if (!report.noisyFitInUnlearn || !report.noisyInUnlearn || !all || !fit) return shares;
  const lift = (xs: number[]) => xs.map((x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-')).join(' / ');
  const fits = report.noisyFitInUnlearn.map((f, r) => `${f} of ${report.noisyInUnlearn![r]}`).join(', ');
  return (
    `${shares} The original model fits ${fits} flipped labels (per repeat); in the top 20% the flipped labels are ` +
    `${lift(all)} their base rate, the fitted ones ${lift(fit)} theirs (a flipped label the model never learned ` +
    `has nothing to forget).`
  );
}

/** Every note, in the order the tables print them. */
export function table1Notes(report: UnlearningReport): string[] {
  return [
    referenceNote(report),
    scoresNote(report),
    ...[noiseNote(report)].filter((n): n is string => n !== null),
    ...tieNotes(report),
  ];
}

/**
 * The known-truth check of a label-noise run: per repeat, the flipped examples' share of the top
 * `topPercent` groups (those with lo >= 100 - topPercent) divided by their share of D_u. 1 = no
 * concentration; 5 is the most the top 20% can show. Null without label noise or without such groups.
 */
export function noiseConcentration(
  report: UnlearningReport,
  topPercent = 20,
  which: 'all' | 'fit' = 'all',
): number[] | null {
  // 'fit': only the flipped labels the original model fits. A flipped label the model never learned carries nothing
  // to forget, yet lands in a top group whenever the scores tie near 0; counting only fitted ones is the honest lift.
  const totals = which === 'all' ? report.noisyInUnlearn : report.noisyFitInUnlearn;
  const inGroup = (g: GroupInfo) => (which === 'all' ? g.noisy : g.noisyFit);
  if (!totals) return null;
  const top = report.groups.filter((g) => g.lo >= 100 - topPercent && inGroup(g));
  if (top.length === 0) return null;
  return totals.map((noisyTotal, r) => {
    const count = sum(top.map((g) => g.counts[r]));
    const noisy = sum(top.map((g) => inGroup(g)![r]));
    return count === 0 || noisyTotal === 0 ? NaN : noisy / count / (noisyTotal / report.request.examples);
  });
}
