/**
 * Builds the Table 1 report (UnlearningReport) from each repeat's assessments: GME group accuracy
 * per model, D_u and test accuracy, local fairness and time-to-peak, then mean ± std over repeats
 * and deltas to the retrained reference (Eq. 11 on the means, as the paper's tables print them).
 * The reference is the J scoring models (the paper's practice) or, with evaluation.referenceModels
 * = K > 0, K held-out retrained models; then the scoring models get a row of their own.
 */
import type { GroupInfo, ReportRow, Stat, UnlearningReport } from '../../../shared/results';
import type { RoundRecord } from '../fl/fedavg';
import type { ModelAssessment } from '../unlearning/assess';
import { localFairness } from './fairness';
import { groupAccuracy, groupScoreSummary, metricDelta, type MemorizationGroup } from './grouping';
import { aggregateRepeats } from './stats';
import { peakOf, speedupRatio } from './time-analysis';

export interface MethodResult {
  stage: string;
  label: string;
  methodId: string;
  assessment: ModelAssessment;
  rounds: RoundRecord[];
}

export interface RepeatResult {
  original: ModelAssessment;
  /** The J retrained models that defined the memorization scores. */
  retrained: ModelAssessment[];
  retrainRounds: RoundRecord[][];
  /** K held-out retrained models (evaluation.referenceModels); empty = the scoring models are the reference. */
  reference: ModelAssessment[];
  referenceRounds: RoundRecord[][];
  methods: MethodResult[];
  groups: MemorizationGroup[];
  /** Memorization score of each example of D_u (aligned with the request's D_u). */
  scores: Float64Array;
  /** 1 where label noise flipped the example of D_u; null when the run has no label noise. */
  noisy: Uint8Array | null;
}

interface RowValues {
  groups: (number | null)[];
  unlearn: number;
  test: number;
  asr: number | null;
  fairnessSum: number | null;
  fairnessMean: number | null;
  ttp: number | null;
  wall: number | null;
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const avgNullable = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? avg(v) : null;
};

/** The stage's whole training time in seconds (its last round's clock); null for a stage with no rounds. */
export function wallSeconds(rounds: RoundRecord[]): number | null {
  return rounds.length === 0 ? null : rounds[rounds.length - 1].elapsedMs / 1000;
}

/**
 * Seconds to the stage's peak test accuracy; null for a stage with no rounds (e.g. a reset without fine-tuning) and
 * for one that trains nothing: a one-step correction (FedAU, FedRecovery) records a single operation, with no
 * client (unlearning/types.ts' recordOperation), whose "time to peak" is the correction's own milliseconds and made
 * a speed-up of 35,253x over retraining's time to its peak, a figure that compares nothing.
 */
export function timeToPeakSeconds(rounds: RoundRecord[]): number | null {
  if (rounds.length === 0 || rounds.every((r) => r.clients.length === 0)) return null;
  return (
    peakOf(rounds.map((r) => ({ round: r.round, elapsedMs: r.elapsedMs, testAccuracy: r.testAccuracy }))).elapsedMs /
    1000
  );
}

function valuesOf(
  a: ModelAssessment,
  rep: RepeatResult,
  rounds: RoundRecord[] | null,
  withFairness: boolean,
): RowValues {
  const f = withFairness ? localFairness(rep.original.clientLoss, a.clientLoss) : null;
  return {
    groups: groupAccuracy(rep.groups, a.unlearn.correct).map((g) => g.accuracy),
    unlearn: a.unlearnAccuracy,
    test: a.testAccuracy,
    asr: a.backdoor?.asr ?? null,
    fairnessSum: f?.sum ?? null,
    fairnessMean: f?.mean ?? null,
    ttp: rounds ? timeToPeakSeconds(rounds) : null,
    wall: rounds ? wallSeconds(rounds) : null,
  };
}

/** A set of retrained models of one repeat (scoring or reference): the mean over the models of every value. */
function meanOfModels(models: ModelAssessment[], rounds: RoundRecord[][], rep: RepeatResult): RowValues {
  const each = models.map((a, j) => valuesOf(a, rep, rounds[j], true));
  return {
    groups: each[0].groups.map((_, p) => avgNullable(each.map((e) => e.groups[p]))),
    unlearn: avg(each.map((e) => e.unlearn)),
    test: avg(each.map((e) => e.test)),
    asr: avgNullable(each.map((e) => e.asr)),
    fairnessSum: avg(each.map((e) => e.fairnessSum!)),
    fairnessMean: avg(each.map((e) => e.fairnessMean!)),
    ttp: avgNullable(each.map((e) => e.ttp)),
    wall: avgNullable(each.map((e) => e.wall)),
  };
}

function stat(values: (number | null)[]): Stat {
  const [s] = aggregateRepeats(values.map((v) => [v]));
  return { mean: s.mean, std: s.std, values };
}

function toRow(
  key: string,
  label: string,
  kind: ReportRow['kind'],
  perRepeat: RowValues[],
  baseline: RowValues[] | null,
  methodId?: string,
): ReportRow {
  const groupAccuracy = perRepeat[0].groups.map((_, p) => stat(perRepeat.map((v) => v.groups[p])));
  const unlearnAccuracy = stat(perRepeat.map((v) => v.unlearn));
  const base = baseline && {
    groups: perRepeat[0].groups.map((_, p) => stat(baseline.map((v) => v.groups[p])).mean),
    unlearn: stat(baseline.map((v) => v.unlearn)).mean,
    ttp: baseline.map((v) => v.ttp),
    wall: baseline.map((v) => v.wall),
  };
  const hasFairness = perRepeat[0].fairnessSum !== null;
  const hasTime = perRepeat.some((v) => v.ttp !== null);
  const hasWall = perRepeat.some((v) => v.wall !== null);
  return {
    key,
    label,
    kind,
    ...(methodId ? { methodId } : {}),
    groupAccuracy,
    groupDelta: groupAccuracy.map((g, p) =>
      kind === 'retrained' || !base ? null : metricDelta(g.mean, base.groups[p]),
    ),
    unlearnAccuracy,
    unlearnDelta: kind === 'retrained' || !base ? null : metricDelta(unlearnAccuracy.mean, base.unlearn),
    testAccuracy: stat(perRepeat.map((v) => v.test)),
    ...(perRepeat.some((v) => v.asr !== null) && { attackSuccessRate: stat(perRepeat.map((v) => v.asr)) }),
    fairnessSum: hasFairness ? stat(perRepeat.map((v) => v.fairnessSum)) : null,
    fairnessMean: hasFairness ? stat(perRepeat.map((v) => v.fairnessMean)) : null,
    timeToPeakSeconds: hasTime ? stat(perRepeat.map((v) => v.ttp)) : null,
    speedup:
      hasTime && base && kind === 'method' ? stat(perRepeat.map((v, r) => speedupRatio(base.ttp[r], v.ttp))) : null,
    wallSeconds: hasWall ? stat(perRepeat.map((v) => v.wall)) : null,
    wallSpeedup:
      hasWall && base && kind === 'method' ? stat(perRepeat.map((v, r) => speedupRatio(base.wall[r], v.wall))) : null,
  };
}

function groupInfo(repeats: RepeatResult[]): GroupInfo[] {
  const summaries = repeats.map((r) => groupScoreSummary(r.scores, r.groups));
  const noisyIn = (rep: RepeatResult, g: MemorizationGroup) => g.members.reduce((a, i) => a + rep.noisy![i], 0);
  const fitIn = (rep: RepeatResult, g: MemorizationGroup) => g.members.reduce((a, i) => a + fitsNoisy(rep, i), 0);
  return repeats[0].groups.map((g, p) => ({
    lo: g.lo,
    hi: g.hi,
    label: g.label,
    counts: repeats.map((r) => r.groups[p].members.length),
    scoreMin: summaries.map((s) => s[p].min),
    scoreMax: summaries.map((s) => s[p].max),
    placedById: summaries.map((s) => s[p].placedById),
    ...(repeats[0].noisy
      ? { noisy: repeats.map((r) => noisyIn(r, r.groups[p])), noisyFit: repeats.map((r) => fitIn(r, r.groups[p])) }
      : {}),
  }));
}

/** 1 where example i of D_u is flipped and the original model predicts its flipped (training) label: memorized. */
function fitsNoisy(rep: RepeatResult, i: number): number {
  return rep.noisy![i] === 1 && rep.original.unlearn.correct[i] === 1 ? 1 : 0;
}

export function buildReport(
  repeats: RepeatResult[],
  meta: Omit<
    UnlearningReport,
    'groups' | 'rows' | 'repeats' | 'retrainModels' | 'referenceModels' | 'noisyInUnlearn' | 'noisyFitInUnlearn'
  >,
): UnlearningReport {
  const first = repeats[0];
  const scoring = repeats.map((r) => meanOfModels(r.retrained, r.retrainRounds, r));
  const heldOut =
    first.reference.length > 0 ? repeats.map((r) => meanOfModels(r.reference, r.referenceRounds, r)) : null;
  const baseline = heldOut ?? scoring;
  const J = first.retrained.length;
  const K = first.reference.length;
  const rows: ReportRow[] = [
    toRow(
      'original',
      'Original',
      'original',
      repeats.map((r) => valuesOf(r.original, r, null, false)),
      baseline,
    ),
    ...first.methods.map((m, i) =>
      toRow(
        m.stage,
        m.label,
        'method',
        repeats.map((r) => valuesOf(r.methods[i].assessment, r, r.methods[i].rounds, true)),
        baseline,
        m.methodId,
      ),
    ),
    ...(heldOut
      ? [
          toRow('retrained-scoring', `Retrained, J = ${J} scoring models`, 'scoring', scoring, baseline),
          toRow('retrained', `Retrained baseline, K = ${K} held-out`, 'retrained', heldOut, baseline),
        ]
      : [toRow('retrained', 'Retrained baseline', 'retrained', scoring, baseline)]),
  ];
  return {
    ...meta,
    repeats: repeats.length,
    retrainModels: J,
    referenceModels: K,
    ...(first.noisy
      ? {
          noisyInUnlearn: repeats.map((r) => r.noisy!.reduce((a, b) => a + b, 0)),
          noisyFitInUnlearn: repeats.map((r) => r.noisy!.reduce((a, _, i) => a + fitsNoisy(r, i), 0)),
        }
      : {}),
    groups: groupInfo(repeats),
    rows,
  };
}
