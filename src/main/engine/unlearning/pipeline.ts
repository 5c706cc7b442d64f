/**
 * One repeat of the Table 1 comparison: train the original model (collecting CSL on the way), train
 * J retrained models on D_r (they define the memorization scores) and K held-out ones (the optional
 * unbiased reference), run every method, assess every model, then score memorization (Eq. 9) and
 * group D_u (Eq. 10). Every repeat emits its CSL, importance and loss-surface artifacts; the first
 * also the per-example table and the time curves. Each step below is one stage of that, in the order
 * runRepeat calls them (the order fixes every random draw, so it must not change).
 */
import { methodLabel } from '../../../shared/catalog';
import type { ExperimentConfig } from '../../../shared/config';
import { plannedRounds } from '../../../shared/method-rounds';
import { repeatName, stageDisplayName, stageId } from '../../../shared/stages';
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
import type { OriginalStage } from './original-stage';
import type { StageCache } from '../stage-cache';
import type { RunCheckpoint } from '../checkpoint/run-checkpoint';
import { resumedMethod } from './resumed-stages';
import { LAST_LOCAL_METHOD_IDS } from '../../../shared/method-schemas';
import type { ResolvedRequest } from './request';
import type { UnlearnContext } from './types';
import type { Weights } from '../types';
import { runAnalyses } from '../analyses/registry';

export interface RepeatOptions {
  ctx: ExperimentContext;
  request: ResolvedRequest;
  repeat: number;
  emit: Emit;
  progress: Progress;
  signal: AbortSignal;
  /** Where this repeat records the original training's history (none when absent); methods read it from there. */
  history?: { dir: string; rounds: readonly number[] };
  /**
   * A study's shared trainings (null outside a study) and the record of what this repeat reused; the
   * run's own checkpoint, when it keeps one (a run outside a study).
   */
  shared?: { cache: StageCache | null; sharing: RepeatSharing; runCheckpoint?: RunCheckpoint | null };
}

/** A repeat's options with its defaults filled in, and what every step derives from them. */
interface Repeat extends Required<Omit<RepeatOptions, 'history'>>, Pick<RepeatOptions, 'history'> {
  unlearning: NonNullable<ExperimentConfig['unlearning']>;
  seed: string;
  csl: Float64Array | undefined;
}

/** The assessments, round records and weights of one set of retrained models. */
interface RetrainedSet {
  assessments: ModelAssessment[];
  rounds: RoundRecord[][];
  weights: Weights[];
}

interface MethodsOutcome {
  methods: MethodResult[];
  weights: Weights[];
}

export async function runRepeat(options: RepeatOptions): Promise<RepeatResult> {
  const r = repeatOf(options);
  const { evaluation } = r.ctx.config;
  const original = await originalTraining(r);
  const uctx = unlearnContexts(r, original);
  const scoring = await retrainSet(r, uctx, 'retrain', evaluation.retrainModels, 'retraining');
  // Held-out models take no part in scoring, so the reference is not selected on its own noise.
  const reference = await retrainSet(r, uctx, 'reference', evaluation.referenceModels, 'retraining held-out reference');
  const methods = await runMethods(r, uctx);
  const result = await scoreAndGroup(r, original, scoring, reference, methods.methods);
  if (evaluation.analyses.length > 0) await repeatAnalyses(r, original, scoring, methods, result);
  await emitRepeatArtifacts(r.ctx, r.request, r.emit, {
    repeat: r.repeat,
    result,
    csl: r.csl,
    originalRounds: original.rounds,
    originalWeights: original.weights,
    retrainWeights: scoring.weights,
    methodWeights: methods.weights,
  });
  return result;
}

function repeatOf(o: RepeatOptions): Repeat {
  const { config } = o.ctx;
  if (!config.unlearning) throw new Error('a repeat of the unlearning comparison needs an unlearning config');
  return {
    ...o,
    shared: o.shared ?? { cache: null, sharing: noSharing() },
    unlearning: config.unlearning,
    // Repeat 0 uses the config's seed itself, so its original model equals a plain training run's.
    seed: o.repeat === 0 ? String(config.seed) : `${config.seed}#${o.repeat}`,
    csl: config.evaluation.csl ? new Float64Array(o.ctx.dataset.train.n) : undefined,
  };
}

/** The original model, trained (or reused) with what the configured methods need kept from its training. */
function originalTraining(r: Repeat): Promise<OriginalStage> {
  const { ctx, request, seed, repeat } = r;
  const { unlearning } = r;
  // FedAU must be switched on before the original training: its auxiliary head trains alongside.
  const fedau = unlearning.methods.find((m) => m.id === 'fedau');
  const aux = fedau ? auxHeadOptions(ctx, request, fedau, seed) : undefined;
  // Kept only for client requests: a class or example request removes no client's whole contribution.
  const keepsLastLocal = unlearning.methods.some((m) => (LAST_LOCAL_METHOD_IDS as readonly string[]).includes(m.id));
  const keepLastLocal = request.kind === 'clients' && keepsLastLocal ? request.unlearningClients : undefined;
  const stage = stageId({ role: 'original', repeat });
  return originalStage(ctx, r.emit, r.progress, r.signal, {
    stage,
    seed,
    csl: r.csl,
    aux,
    history: r.history,
    keepLastLocal,
    repeat,
    ...r.shared,
  });
}

/** The context a method (or a retraining) runs in, its round events counted against `stageRounds`. */
type UnlearnContexts = (stageRounds: number) => UnlearnContext;

function unlearnContexts(r: Repeat, original: OriginalStage): UnlearnContexts {
  return (stageRounds) => ({
    exp: r.ctx,
    request: r.request,
    original: original.weights,
    auxHead: original.aux,
    lastRound: original.lastRound,
    seed: r.seed,
    historyDir: original.historyDir,
    signal: r.signal,
    log: (level, message) => r.emit({ type: 'log', level, message }),
    onRound: roundEmitter(r.emit, r.progress, stageRounds),
  });
}

/** `count` models retrained on D_r (or reused), each assessed. */
async function retrainSet(
  r: Repeat,
  uctx: UnlearnContexts,
  role: 'retrain' | 'reference',
  count: number,
  what: string,
): Promise<RetrainedSet> {
  const { ctx, emit, repeat } = r;
  const set: RetrainedSet = { assessments: [], rounds: [], weights: [] };
  for (let j = 0; j < count; j++) {
    const stage = stageId({ role, index: j, repeat });
    emit({ type: 'phase', phase: 'retraining', stage, label: `${what} ${j + 1} of ${count}` });
    const trained = await retrainedStage(
      ctx,
      emit,
      r.progress,
      { role, index: j, repeat, stage, ...r.shared },
      (rounds) =>
        METHODS.retrain.run(
          { ...uctx(ctx.config.training.rounds), ...(rounds && { roundCheckpoint: rounds }) },
          { id: 'retrain' },
          stage,
        ),
    );
    set.assessments.push(await assessModel(ctx, r.request, stage, trained.weights));
    set.rounds.push(trained.rounds);
    set.weights.push(trained.weights);
  }
  return set;
}

/** Every configured method but retraining (the retrained models stand for it), each run and assessed. */
async function runMethods(r: Repeat, uctx: UnlearnContexts): Promise<MethodsOutcome> {
  const { ctx, emit } = r;
  const outcome: MethodsOutcome = { methods: [], weights: [] };
  for (const m of r.unlearning.methods.filter((x) => x.id !== 'retrain')) {
    const stage = stageId({ role: 'unlearn', label: m.label ?? m.id, repeat: r.repeat });
    const impl = methodFor(m);
    emit({ type: 'phase', phase: 'unlearning', stage, label: `unlearning with ${methodLabel(m)}` });
    const mctx = uctx(plannedRounds(m, ctx.config.training.rounds));
    const run = () => impl.run(mctx, m, stage);
    const checkpoint = r.shared.runCheckpoint;
    const out = await (checkpoint ? resumedMethod(emit, mctx.onRound, stage, checkpoint, run) : run());
    emit(weightsEvent(ctx, stage, out.weights));
    const assessment = await assessModel(ctx, r.request, stage, out.weights);
    if (out.importance)
      emit({
        type: 'artifact',
        kind: 'importance',
        name: stage,
        json: { ...out.importance, afterFineTune: setAccuracy(assessment) },
      });
    if (out.trace) emit({ type: 'artifact', kind: 'method-trace', name: stage, json: out.trace });
    outcome.methods.push({ stage, label: methodLabel(m), methodId: m.id, assessment, rounds: out.rounds });
    outcome.weights.push(out.weights);
  }
  return outcome;
}

/** GME: the memorization scores of D_u (Eq. 9) from the original and scoring models, and its groups (Eq. 10). */
async function scoreAndGroup(
  r: Repeat,
  original: OriginalStage,
  scoring: RetrainedSet,
  reference: RetrainedSet,
  methods: MethodResult[],
): Promise<RepeatResult> {
  const { ctx, request, repeat } = r;
  const { config } = ctx;
  const evaluation = config.evaluation;
  r.emit({
    type: 'phase',
    phase: 'evaluating',
    stage: repeatName('gme', repeat),
    label: 'scoring memorization and grouping D_u',
  });
  const orig = await assessModel(ctx, request, stageId({ role: 'original', repeat }), original.weights);
  const variant = evaluation.memorization;
  const pick = (a: ModelAssessment) => (variant === 'correct' ? a.unlearn.correct : a.unlearn.probTrue);
  const scores = memorizationScores({
    variant,
    original: pick(orig),
    retrained: scoring.assessments.map(pick),
    clipNegative: evaluation.clipNegative,
  });
  const groups = groupByPercentile(scores, evaluation.groups, request.unlearn);
  return {
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
}

/** The configured analyses, over the original, scoring and method models of this repeat. */
async function repeatAnalyses(
  r: Repeat,
  original: OriginalStage,
  scoring: RetrainedSet,
  methods: MethodsOutcome,
  result: RepeatResult,
): Promise<void> {
  const { ctx, request, repeat, emit } = r;
  const models = [
    {
      stage: stageId({ role: 'original', repeat }),
      label: 'Original',
      role: 'original' as const,
      weights: original.weights,
    },
    // Labelled as repeat 0's, so every repeat's copy of an analysis reads the same.
    ...scoring.weights.map((weights, j) => ({
      stage: stageId({ role: 'retrain', index: j, repeat }),
      label: stageDisplayName({ role: 'retrain', index: j, repeat: 0 }),
      role: 'retrained' as const,
      weights,
    })),
    ...methods.methods.map((m, i) => ({
      stage: m.stage,
      label: m.label,
      role: 'method' as const,
      weights: methods.weights[i],
    })),
  ];
  const log = (level: 'info' | 'warn', message: string) => emit({ type: 'log', level, message });
  await runAnalyses(
    { exp: ctx, request, repeat, seed: r.seed, models, result, originalRounds: original.rounds, log },
    ctx.config.evaluation.analyses,
    emit,
  );
}
