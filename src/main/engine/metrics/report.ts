/**
 * Builds the Table 1 report (UnlearningReport) from each repeat's assessments: GME group accuracy
 * per model, D_u and test accuracy, local fairness and time-to-peak, then mean ± std over repeats
 * and deltas to the retrained models (Eq. 11 on the means, as the paper's tables print them).
 */
import type { GroupInfo, ReportRow, Stat, UnlearningReport } from '../../../shared/results';
import type { RoundRecord } from '../fl/fedavg';
import type { ModelAssessment } from '../unlearning/assess';
import { localFairness } from './fairness';
import { groupAccuracy, type MemorizationGroup } from './grouping';
import { aggregateRepeats } from './stats';
import { peakOf } from './time-analysis';

export interface MethodResult {
  stage: string;
  label: string;
  methodId: string;
  assessment: ModelAssessment;
  rounds: RoundRecord[];
}

export interface RepeatResult {
  original: ModelAssessment;
  retrained: ModelAssessment[];
  retrainRounds: RoundRecord[][];
  methods: MethodResult[];
  groups: MemorizationGroup[];
}

interface RowValues {
  groups: (number | null)[];
  unlearn: number;
  test: number;
  fairnessSum: number | null;
  fairnessMean: number | null;
  ttp: number | null;
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const avgNullable = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? avg(v) : null;
};

export function timeToPeakSeconds(rounds: RoundRecord[]): number {
  return peakOf(rounds.map((r) => ({ round: r.round, elapsedMs: r.elapsedMs, testAccuracy: r.testAccuracy }))).elapsedMs / 1000;
}

function valuesOf(a: ModelAssessment, rep: RepeatResult, rounds: RoundRecord[] | null, withFairness: boolean): RowValues {
  const f = withFairness ? localFairness(rep.original.clientLoss, a.clientLoss) : null;
  return {
    groups: groupAccuracy(rep.groups, a.unlearn.correct).map((g) => g.accuracy),
    unlearn: a.unlearnAccuracy,
    test: a.testAccuracy,
    fairnessSum: f?.sum ?? null,
    fairnessMean: f?.mean ?? null,
    ttp: rounds ? timeToPeakSeconds(rounds) : null,
  };
}

/** The retrained baseline of one repeat: the mean over its J models of every value. */
function retrainedValues(rep: RepeatResult): RowValues {
  const each = rep.retrained.map((a, j) => valuesOf(a, rep, rep.retrainRounds[j], true));
  return {
    groups: each[0].groups.map((_, p) => avgNullable(each.map((e) => e.groups[p]))),
    unlearn: avg(each.map((e) => e.unlearn)),
    test: avg(each.map((e) => e.test)),
    fairnessSum: avg(each.map((e) => e.fairnessSum!)),
    fairnessMean: avg(each.map((e) => e.fairnessMean!)),
    ttp: avg(each.map((e) => e.ttp!)),
  };
}

function stat(values: (number | null)[]): Stat {
  const [s] = aggregateRepeats(values.map((v) => [v]));
  return { mean: s.mean, std: s.std, values };
}

function toRow(key: string, label: string, kind: ReportRow['kind'], perRepeat: RowValues[], baseline: RowValues[] | null, methodId?: string): ReportRow {
  const groupAccuracy = perRepeat[0].groups.map((_, p) => stat(perRepeat.map((v) => v.groups[p])));
  const unlearnAccuracy = stat(perRepeat.map((v) => v.unlearn));
  const base = baseline && {
    groups: perRepeat[0].groups.map((_, p) => stat(baseline.map((v) => v.groups[p])).mean),
    unlearn: stat(baseline.map((v) => v.unlearn)).mean,
    ttp: baseline.map((v) => v.ttp),
  };
  const diff = (a: number | null, b: number | null | undefined) => (a === null || b === null || b === undefined ? null : Math.abs(a - b));
  const hasFairness = perRepeat[0].fairnessSum !== null;
  const hasTime = perRepeat[0].ttp !== null;
  return {
    key,
    label,
    kind,
    ...(methodId ? { methodId } : {}),
    groupAccuracy,
    groupDelta: groupAccuracy.map((g, p) => (kind === 'retrained' || !base ? null : diff(g.mean, base.groups[p]))),
    unlearnAccuracy,
    unlearnDelta: kind === 'retrained' || !base ? null : diff(unlearnAccuracy.mean, base.unlearn),
    testAccuracy: stat(perRepeat.map((v) => v.test)),
    fairnessSum: hasFairness ? stat(perRepeat.map((v) => v.fairnessSum)) : null,
    fairnessMean: hasFairness ? stat(perRepeat.map((v) => v.fairnessMean)) : null,
    timeToPeakSeconds: hasTime ? stat(perRepeat.map((v) => v.ttp)) : null,
    speedup:
      hasTime && base && kind === 'method'
        ? stat(perRepeat.map((v, r) => (v.ttp && base.ttp[r] ? base.ttp[r]! / v.ttp : null)))
        : null,
  };
}

export function buildReport(
  repeats: RepeatResult[],
  meta: Omit<UnlearningReport, 'groups' | 'rows' | 'repeats' | 'retrainModels'>,
): UnlearningReport {
  const first = repeats[0];
  const groups: GroupInfo[] = first.groups.map((g, p) => ({
    lo: g.lo,
    hi: g.hi,
    label: g.label,
    counts: repeats.map((r) => r.groups[p].members.length),
  }));
  const retrained = repeats.map(retrainedValues);
  const rows: ReportRow[] = [
    toRow('original', 'Original', 'original', repeats.map((r) => valuesOf(r.original, r, null, false)), retrained),
    ...first.methods.map((m, i) =>
      toRow(m.stage, m.label, 'method', repeats.map((r) => valuesOf(r.methods[i].assessment, r, r.methods[i].rounds, true)), retrained, m.methodId),
    ),
    toRow('retrained', 'Retrained baseline', 'retrained', retrained, retrained),
  ];
  return { ...meta, repeats: repeats.length, retrainModels: first.retrained.length, groups, rows };
}
