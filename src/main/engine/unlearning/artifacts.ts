/**
 * A repeat's detailed artifacts. Every repeat: CSL agreement (Appendix H.2) and the loss surface
 * along the shortest unlearning path (Appendix H.5), named 'csl' / 'loss-surface' for repeat 0 and
 * with repeatName's '@k' after it, so charts can average them. The first repeat only: the per-example
 * table of D_u and the time curves (Figure 2; charts take later repeats' times from the round metrics).
 */
import type {
  CslArtifact,
  ExamplesArtifact,
  LossSurfaceArtifact,
  TimeArtifact,
  TimeCurve,
} from '../../../shared/results';
import { repeatName, stageDisplayName, stageId, type StageRef } from '../../../shared/stages';
import type { Emit } from '../stages';
import type { RoundRecord } from '../fl/fedavg';
import { cslAgreement } from '../metrics/csl';
import { interpolate, pathSteps } from '../metrics/loss-surface';
import type { RepeatResult } from '../metrics/report';
import { peakOf } from '../metrics/time-analysis';
import type { ExperimentContext } from '../prepare';
import type { Weights } from '../types';
import type { ResolvedRequest } from './request';

export interface RepeatArtifactsInput {
  repeat: number;
  result: RepeatResult;
  csl?: Float64Array;
  originalRounds: RoundRecord[];
  originalWeights: Weights;
  retrainWeights: Weights[];
  methodWeights: Weights[];
}

export async function emitRepeatArtifacts(
  ctx: ExperimentContext,
  request: ResolvedRequest,
  emit: Emit,
  f: RepeatArtifactsInput,
): Promise<void> {
  const { result, repeat } = f;
  const cslOfDu = f.csl ? Array.from(request.unlearn, (i) => f.csl![i]) : null;
  if (repeat === 0) emitExamples(ctx, request, emit, f, cslOfDu);

  if (cslOfDu) {
    const agreement = cslAgreement(cslOfDu, result.scores, { ids: request.unlearn });
    const csl: CslArtifact = {
      csl: cslOfDu,
      score: Array.from(result.scores),
      cosine: agreement.cosine,
      pearson: agreement.pearson,
      spearman: agreement.spearman,
      topFraction: agreement.topFraction,
      overlap: agreement.topOverlapRate ?? 0,
    };
    emit({ type: 'artifact', kind: 'csl', name: repeatName('csl', repeat), json: csl });
  }

  if (repeat === 0) emitTime(emit, f);

  const ls = ctx.config.evaluation.lossSurface;
  if (ls !== false) {
    emit({
      type: 'phase',
      phase: 'evaluating',
      stage: repeatName('loss-surface', repeat),
      label: 'loss surface along the shortest unlearning path',
    });
    emit({
      type: 'artifact',
      kind: 'loss-surface',
      name: repeatName('loss-surface', repeat),
      json: await lossSurface(ctx, request, f, ls),
    });
  }
}

function emitExamples(
  ctx: ExperimentContext,
  request: ResolvedRequest,
  emit: Emit,
  f: RepeatArtifactsInput,
  cslOfDu: number[] | null,
): void {
  const { result } = f;
  const group = new Array<number>(request.unlearn.length).fill(-1);
  result.groups.forEach((g, p) => g.members.forEach((i) => (group[i] = p)));
  const correct: Record<string, number[]> = { original: Array.from(result.original.unlearn.correct) };
  result.retrained.forEach((a) => (correct[a.key] = Array.from(a.unlearn.correct)));
  result.reference.forEach((a) => (correct[a.key] = Array.from(a.unlearn.correct)));
  result.methods.forEach((m) => (correct[m.stage] = Array.from(m.assessment.unlearn.correct)));
  const examples: ExamplesArtifact = {
    ids: Array.from(request.unlearn),
    clients: Array.from(request.unlearnClient),
    labels: Array.from(request.unlearn, (i) => ctx.trainLabels[i]),
    noisy: Array.from(request.unlearn, (i) => ctx.noisy[i]),
    score: Array.from(f.result.scores),
    group,
    csl: cslOfDu,
    correct,
  };
  emit({ type: 'artifact', kind: 'examples', name: 'examples', json: examples });
}

function emitTime(emit: Emit, f: RepeatArtifactsInput): void {
  const { result } = f;
  const curve = (stage: string, label: string, rounds: RoundRecord[]): TimeCurve => {
    const peak = peakOf(rounds.map((r) => ({ round: r.round, elapsedMs: r.elapsedMs, testAccuracy: r.testAccuracy })));
    return {
      stage,
      label,
      points: rounds.map((r) => ({ round: r.round, seconds: r.elapsedMs / 1000, testAccuracy: r.testAccuracy })),
      peakAccuracy: peak.peakAccuracy,
      peakRound: peak.round,
      peakSeconds: peak.elapsedMs / 1000,
    };
  };
  const modelCurve = (ref: StageRef, rounds: RoundRecord[]) => curve(stageId(ref), stageDisplayName(ref), rounds);
  const time: TimeArtifact = {
    curves: [
      modelCurve({ role: 'original', repeat: 0 }, f.originalRounds),
      ...result.retrainRounds.map((r, j) => modelCurve({ role: 'retrain', index: j, repeat: 0 }, r)),
      ...result.referenceRounds.map((r, j) => modelCurve({ role: 'reference', index: j, repeat: 0 }, r)),
      // A reset without fine-tuning (rounds: 0) has no curve.
      ...result.methods.filter((m) => m.rounds.length > 0).map((m) => curve(m.stage, m.label, m.rounds)),
    ],
  };
  emit({ type: 'artifact', kind: 'time', name: 'time', json: time });
}

async function lossSurface(
  ctx: ExperimentContext,
  request: ResolvedRequest,
  f: RepeatArtifactsInput,
  opts: { steps: number; overshoot: number; maxRemaining: number },
): Promise<LossSurfaceArtifact> {
  const train = { x: ctx.dataset.train.x, y: ctx.trainLabels };
  // A seeded subsample of D_r keeps every step affordable; D_u and the test set are used whole. Every
  // repeat evaluates the same subsample (D_r is the same), so its curves average over models only.
  const remainingAll = Int32Array.from(request.remainingByClient.flatMap((idx) => Array.from(idx)));
  const remaining = ctx.rng.fork('loss-surface').shuffle(remainingAll.slice()).subarray(0, opts.maxRemaining).sort();
  // The first scoring retrained model of this repeat; labelled as repeat 0's so repeats group by label.
  const retrained: StageRef = { role: 'retrain', index: 0, repeat: f.repeat };
  const targets = [
    { target: stageId(retrained), label: stageDisplayName({ ...retrained, repeat: 0 }), weights: f.retrainWeights[0] },
    ...f.result.methods.map((m, i) => ({ target: m.stage, label: m.label, weights: f.methodWeights[i] })),
  ];
  const ts = pathSteps(opts.steps, opts.overshoot);
  const evalAt = async (w: Weights) => {
    const r = await ctx.evaluator.run(w, train, remaining, remaining.length);
    const u = await ctx.evaluator.run(w, train, request.unlearn, request.unlearn.length);
    const t = await ctx.evaluateTest(w);
    return {
      remaining: { loss: r.loss, accuracy: r.accuracy },
      unlearning: { loss: u.loss, accuracy: u.accuracy },
      test: { loss: t.loss, accuracy: t.accuracy },
    };
  };
  const paths: LossSurfaceArtifact['paths'] = [];
  for (const tg of targets) {
    const points: LossSurfaceArtifact['paths'][number]['points'] = [];
    for (const t of ts) points.push({ t, ...(await evalAt(interpolate(f.originalWeights, tg.weights, t))) });
    paths.push({ target: tg.target, label: tg.label, points });
  }
  return { remainingSample: remaining.length, paths };
}
