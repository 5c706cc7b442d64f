/**
 * One repeat of the Table 1 comparison: train the original model (collecting CSL on the way), train
 * J retrained models on D_r, run every method, assess every model, then score memorization (Eq. 9)
 * and group D_u (Eq. 10). The first repeat also emits the per-example, CSL, time, importance and
 * loss-surface artifacts.
 */
import { methodLabel, methodStage } from '../../../shared/unlearning-config';
import type { RoundRecord } from '../fl/fedavg';
import { groupByPercentile } from '../metrics/grouping';
import { memorizationScores } from '../metrics/memorization';
import type { MethodResult, RepeatResult } from '../metrics/report';
import type { ExperimentContext } from '../prepare';
import { roundEmitter, trainOriginal, weightsEvent, type Emit, type Progress } from '../stages';
import { assessModel, type ModelAssessment } from './assess';
import { emitFirstRepeatArtifacts } from './artifacts';
import { METHODS, methodFor } from './registry';
import type { ResolvedRequest } from './request';
import type { UnlearnContext } from './types';

export async function runRepeat(
  ctx: ExperimentContext,
  request: ResolvedRequest,
  repeat: number,
  emit: Emit,
  progress: Progress,
  signal: AbortSignal,
): Promise<RepeatResult> {
  const { config } = ctx;
  const unlearning = config.unlearning!;
  const evaluation = config.evaluation;
  const suffix = repeat === 0 ? '' : `@${repeat}`;
  // Repeat 0 uses the config's seed itself, so its original model equals a plain training run's.
  const seed = repeat === 0 ? String(config.seed) : `${config.seed}#${repeat}`;
  const csl = evaluation.csl ? new Float64Array(ctx.dataset.train.n) : undefined;

  const original = await trainOriginal(ctx, emit, progress, signal, { stage: `original${suffix}`, seed, csl });
  const uctx = (stageRounds: number): UnlearnContext => ({
    exp: ctx,
    request,
    original: original.weights,
    seed,
    signal,
    log: (level, message) => emit({ type: 'log', level, message }),
    onRound: roundEmitter(emit, progress, stageRounds),
  });

  const retrained: ModelAssessment[] = [];
  const retrainRounds: RoundRecord[][] = [];
  const retrainWeights = [];
  for (let j = 0; j < evaluation.retrainModels; j++) {
    const stage = `retrain:${j}${suffix}`;
    emit({ type: 'phase', phase: 'retraining', stage, label: `retraining ${j + 1} of ${evaluation.retrainModels}` });
    const r = await METHODS.retrain.run(uctx(config.training.rounds), { id: 'retrain' }, stage);
    emit(weightsEvent(ctx, stage, r.weights));
    retrained.push(assessModel(ctx, request, stage, r.weights));
    retrainRounds.push(r.rounds);
    retrainWeights.push(r.weights);
  }

  const methods: MethodResult[] = [];
  const methodWeights = [];
  for (const m of unlearning.methods.filter((x) => x.id !== 'retrain')) {
    const stage = methodStage(m) + suffix;
    const impl = methodFor(m);
    emit({ type: 'phase', phase: 'unlearning', stage, label: `unlearning with ${methodLabel(m)}` });
    const out = await impl.run(uctx(impl.plannedRounds(m, config.training.rounds)), m, stage);
    emit(weightsEvent(ctx, stage, out.weights));
    if (out.importance) emit({ type: 'artifact', kind: 'importance', name: stage, json: out.importance });
    methods.push({ stage, label: methodLabel(m), methodId: m.id, assessment: assessModel(ctx, request, stage, out.weights), rounds: out.rounds });
    methodWeights.push(out.weights);
  }

  emit({ type: 'phase', phase: 'evaluating', stage: `gme${suffix}`, label: 'scoring memorization and grouping D_u' });
  const orig = assessModel(ctx, request, `original${suffix}`, original.weights);
  const variant = evaluation.memorization;
  const pick = (a: ModelAssessment) => (variant === 'correct' ? a.unlearn.correct : a.unlearn.probTrue);
  const scores = memorizationScores({ variant, original: pick(orig), retrained: retrained.map(pick) });
  const groups = groupByPercentile(scores, evaluation.groups, request.unlearn);
  const result: RepeatResult = { original: orig, retrained, retrainRounds, methods, groups };

  if (repeat === 0) {
    emitFirstRepeatArtifacts(ctx, request, emit, {
      result,
      scores,
      csl,
      originalRounds: original.rounds,
      originalWeights: original.weights,
      retrainWeights,
      methodWeights,
    });
  }
  return result;
}
