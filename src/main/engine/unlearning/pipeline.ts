/**
 * One repeat of the Table 1 comparison: train the original model (collecting CSL on the way), train
 * J retrained models on D_r (they define the memorization scores) and K held-out ones (the optional
 * unbiased reference), run every method, assess every model, then score memorization (Eq. 9) and
 * group D_u (Eq. 10). Every repeat emits its CSL, importance and loss-surface artifacts; the first
 * also the per-example table and the time curves.
 */
import { methodLabel } from '../../../shared/catalog';
import { plannedRounds } from '../../../shared/method-rounds';
import { stageId } from '../../../shared/stages';
import type { RoundRecord } from '../fl/fedavg';
import { groupByPercentile } from '../metrics/grouping';
import { memorizationScores } from '../metrics/memorization';
import type { MethodResult, RepeatResult } from '../metrics/report';
import type { ExperimentContext } from '../prepare';
import { roundEmitter, weightsEvent, type Emit, type Progress } from '../stages';
import { assessModel, setAccuracy, type ModelAssessment } from './assess';
import { emitRepeatArtifacts } from './artifacts';
import { auxHeadOptions } from './fedau';
import { METHODS, methodFor } from './registry';
import { noSharing, originalStage, retrainedStage, type RepeatSharing } from './shared-stages';
import type { StageCache } from '../stage-cache';
import type { RunCheckpoint } from '../checkpoint/run-checkpoint';
import { resumedMethod } from './resumed-stages';
import { LAST_LOCAL_METHOD_IDS } from '../../../shared/method-schemas';
import type { ResolvedRequest } from './request';
import type { UnlearnContext } from './types';
import type { Weights } from '../types';
import { runAnalyses } from '../analyses/registry';
import { stageDisplayName } from '../../../shared/stages';

export async function runRepeat(
  ctx: ExperimentContext,
  request: ResolvedRequest,
  repeat: number,
  emit: Emit,
  progress: Progress,
  signal: AbortSignal,
  /** Where this repeat records the original training's history (none when absent); methods read it from there. */
  history: { dir: string; rounds: readonly number[] } | undefined = undefined,
  /**
   * A study's shared trainings (null outside a study) and the record of what this repeat reused; the
   * run's own checkpoint, when it keeps one (a run outside a study).
   */
  shared: { cache: StageCache | null; sharing: RepeatSharing; runCheckpoint?: RunCheckpoint | null } = { cache: null, sharing: noSharing() },
): Promise<RepeatResult> {
  const { config } = ctx;
  const unlearning = config.unlearning!;
  const evaluation = config.evaluation;
  // Repeat 0 uses the config's seed itself, so its original model equals a plain training run's.
  const seed = repeat === 0 ? String(config.seed) : `${config.seed}#${repeat}`;
  const csl = evaluation.csl ? new Float64Array(ctx.dataset.train.n) : undefined;

  const originalId = stageId({ role: 'original', repeat });
  // FedAU must be switched on before the original training: its auxiliary head trains alongside.
  const fedau = unlearning.methods.find((m) => m.id === 'fedau');
  const aux = fedau ? auxHeadOptions(ctx, request, fedau, seed) : undefined;
  // Kept only for client requests: a class or example request removes no client's whole contribution.
  const keepsLastLocal = unlearning.methods.some((m) => (LAST_LOCAL_METHOD_IDS as readonly string[]).includes(m.id));
  const keepLastLocal = request.kind === 'clients' && keepsLastLocal ? request.unlearningClients : undefined;
  const original = await originalStage(ctx, emit, progress, signal, { stage: originalId, seed, csl, aux, history, keepLastLocal, repeat, ...shared });
  const uctx = (stageRounds: number): UnlearnContext => ({
    exp: ctx,
    request,
    original: original.weights,
    auxHead: original.aux,
    lastRound: original.lastRound,
    seed,
    historyDir: original.historyDir,
    signal,
    log: (level, message) => emit({ type: 'log', level, message }),
    onRound: roundEmitter(emit, progress, stageRounds),
  });

  const retrainSet = async (role: 'retrain' | 'reference', count: number, what: string) => {
    const set = { assessments: [] as ModelAssessment[], rounds: [] as RoundRecord[][], weights: [] as Weights[] };
    for (let j = 0; j < count; j++) {
      const stage = stageId({ role, index: j, repeat });
      emit({ type: 'phase', phase: 'retraining', stage, label: `${what} ${j + 1} of ${count}` });
      const r = await retrainedStage(ctx, emit, progress, { role, index: j, repeat, stage, ...shared }, (rounds) =>
        METHODS.retrain.run({ ...uctx(config.training.rounds), ...(rounds && { roundCheckpoint: rounds }) }, { id: 'retrain' }, stage),
      );
      set.assessments.push(assessModel(ctx, request, stage, r.weights));
      set.rounds.push(r.rounds);
      set.weights.push(r.weights);
    }
    return set;
  };
  const scoring = await retrainSet('retrain', evaluation.retrainModels, 'retraining');
  // Held-out models take no part in scoring, so the reference is not selected on its own noise.
  const reference = await retrainSet('reference', evaluation.referenceModels, 'retraining held-out reference');

  const methods: MethodResult[] = [];
  const methodWeights: Weights[] = [];
  for (const m of unlearning.methods.filter((x) => x.id !== 'retrain')) {
    const stage = stageId({ role: 'unlearn', label: m.label ?? m.id, repeat });
    const impl = methodFor(m);
    emit({ type: 'phase', phase: 'unlearning', stage, label: `unlearning with ${methodLabel(m)}` });
    const mctx = uctx(plannedRounds(m, config.training.rounds));
    const run = () => impl.run(mctx, m, stage);
    const out = await (shared.runCheckpoint ? resumedMethod(emit, mctx.onRound, stage, shared.runCheckpoint, run) : run());
    emit(weightsEvent(ctx, stage, out.weights));
    const assessment = assessModel(ctx, request, stage, out.weights);
    if (out.importance) emit({ type: 'artifact', kind: 'importance', name: stage, json: { ...out.importance, afterFineTune: setAccuracy(assessment) } });
    if (out.trace) emit({ type: 'artifact', kind: 'method-trace', name: stage, json: out.trace });
    methods.push({ stage, label: methodLabel(m), methodId: m.id, assessment, rounds: out.rounds });
    methodWeights.push(out.weights);
  }

  emit({ type: 'phase', phase: 'evaluating', stage: repeat > 0 ? `gme@${repeat}` : 'gme', label: 'scoring memorization and grouping D_u' });
  const orig = assessModel(ctx, request, originalId, original.weights);
  const variant = evaluation.memorization;
  const pick = (a: ModelAssessment) => (variant === 'correct' ? a.unlearn.correct : a.unlearn.probTrue);
  const scores = memorizationScores({ variant, original: pick(orig), retrained: scoring.assessments.map(pick), clipNegative: evaluation.clipNegative });
  const groups = groupByPercentile(scores, evaluation.groups, request.unlearn);
  const result: RepeatResult = {
    original: orig,
    retrained: scoring.assessments,
    retrainRounds: scoring.rounds,
    reference: reference.assessments,
    referenceRounds: reference.rounds,
    methods,
    groups,
    scores,
    noisy: config.dataset.labelNoise ? Uint8Array.from(request.unlearn, (i) => ctx.noisy[i]) : null,
  };

  if (evaluation.analyses.length > 0) {
    const models = [
      { stage: originalId, label: 'Original', role: 'original' as const, weights: original.weights },
      // Labelled as repeat 0's, so every repeat's copy of an analysis reads the same.
      ...scoring.weights.map((weights, j) => ({ stage: stageId({ role: 'retrain', index: j, repeat }), label: stageDisplayName({ role: 'retrain', index: j, repeat: 0 }), role: 'retrained' as const, weights })),
      ...methods.map((m, i) => ({ stage: m.stage, label: m.label, role: 'method' as const, weights: methodWeights[i] })),
    ];
    const log = (level: 'info' | 'warn', message: string) => emit({ type: 'log', level, message });
    await runAnalyses({ exp: ctx, request, repeat, seed, models, result, originalRounds: original.rounds, log }, evaluation.analyses, emit);
  }

  emitRepeatArtifacts(ctx, request, emit, {
    repeat,
    result,
    csl,
    originalRounds: original.rounds,
    originalWeights: original.weights,
    retrainWeights: scoring.weights,
    methodWeights,
  });
  return result;
}
