/**
 * The original training and the retrained models of a repeat, taken from the study's stage cache
 * when an earlier run trained them with the same key (shared/study-sharing.ts), else trained and
 * stored for the next run. A reused stage replays its round records and weights, so the run's curves,
 * time analysis and files read as if it had trained them; the `shared` artifact says it did not.
 * Without a cache (a run outside a study) this is the plain training, kept in the run's own
 * checkpoint when it has one (resumed-stages.ts).
 */
import path from 'node:path';
import { historyRounds } from '../../../shared/history';
import { parseStageId } from '../../../shared/stages';
import { originalTrainingKey, retrainedModelKey } from '../../../shared/study-sharing';
import type { RoundRecord } from '../fl/fedavg';
import type { ExperimentContext } from '../prepare';
import { StageCache, type CachedTraining } from '../stage-cache';
import { roundEmitter, trainOriginal, weightsEvent, type Emit, type OriginalOptions, type Progress } from '../stages';
import type { Weights } from '../types';
import type { RunCheckpoint, StageRounds } from '../checkpoint/run-checkpoint';
import { resumedOriginal, resumedRetrained } from './resumed-stages';
import type { OriginalStage } from './original-stage';

/** What a repeat reused, filled in as it goes. */
export interface RepeatSharing {
  original: string | null;
  retrained: { reused: number; trained: number; from: string[] };
}

export const noSharing = (): RepeatSharing => ({ original: null, retrained: { reused: 0, trained: 0, from: [] } });

function replay(
  ctx: ExperimentContext,
  emit: Emit,
  progress: Progress,
  stage: string,
  hit: CachedTraining,
  what: string,
): void {
  const phase = parseStageId(stage)?.role === 'original' ? 'training' : 'retraining';
  emit({ type: 'phase', phase, stage, label: `reusing ${what} trained by run ${hit.producedBy}` });
  emit({
    type: 'log',
    level: 'info',
    message: `${what} (${stage}) reused from run ${hit.producedBy} of this study: same data, partition, model, training and seed`,
  });
  const onRound = roundEmitter(emit, progress, ctx.config.training.rounds);
  for (const r of hit.rounds) onRound({ ...r, stage }, true);
  emit(weightsEvent(ctx, stage, hit.weights));
}

/**
 * The original model of `repeat`: from the cache, or trained (recording history into `history` when
 * not caching, into the entry's own folder when caching). `csl` is filled in either way.
 */
export async function originalStage(
  ctx: ExperimentContext,
  emit: Emit,
  progress: Progress,
  signal: AbortSignal,
  o: OriginalOptions & {
    repeat: number;
    cache: StageCache | null;
    sharing: RepeatSharing;
    runCheckpoint?: RunCheckpoint | null;
  },
): Promise<OriginalStage> {
  const { cache, repeat, sharing, runCheckpoint, ...options } = o;
  if (!cache && runCheckpoint) return resumedOriginal(ctx, emit, progress, signal, options, runCheckpoint);
  if (!cache) {
    const t = await trainOriginal(ctx, emit, progress, signal, options);
    return { ...t, historyDir: options.history?.dir ?? null };
  }
  const key = originalTrainingKey(ctx.config, repeat);
  // A shared original keeps its history in its own entry, where every run of the study finds it.
  const rounds = historyRounds(ctx.config);
  const historyIn = (dir: string) => (rounds ? path.join(dir, 'history') : null);
  const hit = cache.load(key, (message) => emit({ type: 'log', level: 'warn', message }));
  if (hit) {
    replay(ctx, emit, progress, options.stage, hit, 'the original model');
    if (options.csl && hit.csl) options.csl.set(hit.csl);
    sharing.original = hit.producedBy;
    return {
      weights: hit.weights,
      rounds: hit.rounds,
      aux: hit.aux,
      lastRound: hit.lastRound,
      historyDir: historyIn(hit.dir),
    };
  }
  const entry = cache.begin(key);
  try {
    const history = rounds ? { dir: path.join(entry.dir, 'history'), rounds } : undefined;
    const t = await trainOriginal(ctx, emit, progress, signal, { ...options, history });
    const dir = entry.commit({
      weights: t.weights,
      rounds: t.rounds,
      aux: t.aux,
      lastRound: t.lastRound,
      csl: options.csl,
    });
    return { ...t, historyDir: historyIn(dir) };
  } catch (e) {
    entry.abandon();
    throw e;
  }
}

/** A retrained model (scoring or held-out) of `repeat`: from the cache, or trained by `train` and stored. */
export async function retrainedStage(
  ctx: ExperimentContext,
  emit: Emit,
  progress: Progress,
  o: {
    role: 'retrain' | 'reference';
    index: number;
    repeat: number;
    stage: string;
    cache: StageCache | null;
    sharing: RepeatSharing;
    runCheckpoint?: RunCheckpoint | null;
  },
  /** Trains the model; `rounds`, when given, continues it from the run's checkpoint and saves each round. */
  train: (rounds?: StageRounds) => Promise<{ weights: Weights; rounds: RoundRecord[] }>,
): Promise<{ weights: Weights; rounds: RoundRecord[] }> {
  if (!o.cache && o.runCheckpoint) return resumedRetrained(ctx, emit, progress, o.stage, o.runCheckpoint, train);
  if (!o.cache) {
    const r = await train();
    emit(weightsEvent(ctx, o.stage, r.weights));
    return r;
  }
  const key = retrainedModelKey(ctx.config, o.role, o.index, o.repeat);
  const hit = o.cache.load(key, (message) => emit({ type: 'log', level: 'warn', message }));
  if (hit) {
    replay(ctx, emit, progress, o.stage, hit, 'a retrained model');
    o.sharing.retrained.reused++;
    if (!o.sharing.retrained.from.includes(hit.producedBy)) o.sharing.retrained.from.push(hit.producedBy);
    return { weights: hit.weights, rounds: hit.rounds };
  }
  const entry = o.cache.begin(key);
  try {
    const r = await train();
    entry.commit({ weights: r.weights, rounds: r.rounds });
    o.sharing.retrained.trained++;
    emit(weightsEvent(ctx, o.stage, r.weights));
    return r;
  } catch (e) {
    entry.abandon();
    throw e;
  }
}
