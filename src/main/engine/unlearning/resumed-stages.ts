/**
 * The stages of a run that keeps a checkpoint (checkpoint/run-checkpoint.ts): a stage completed before
 * an interruption is taken from it, its rounds and weights replayed so the run's record is whole; a
 * stage not completed runs and is stored when it completes. Trainings (the original and each
 * retrained model) continue from their last saved round; any other method starts again from its own
 * beginning (it is deterministic, so it reaches the same result), its repeated rounds replacing the
 * stored ones.
 */
import type { RunCheckpoint, StageRounds } from '../checkpoint/run-checkpoint';
import type { RoundRecord } from '../fl/fedavg';
import type { ExperimentContext } from '../prepare';
import type { CachedTraining } from '../stage-cache';
import { roundEmitter, trainOriginal, weightsEvent, type Emit, type OriginalOptions, type Progress } from '../stages';
import type { Weights } from '../types';
import type { OriginalStage } from './original-stage';
import type { MethodOutcome } from './types';

function replay(
  emit: Emit,
  onRound: (r: RoundRecord, replayed: boolean) => void,
  stage: string,
  saved: CachedTraining,
): void {
  emit({
    type: 'log',
    level: 'info',
    message: `${stage} was completed before the run was interrupted: taken from its checkpoint`,
  });
  for (const r of saved.rounds) onRound(r, true);
}

export async function resumedOriginal(
  ctx: ExperimentContext,
  emit: Emit,
  progress: Progress,
  signal: AbortSignal,
  options: OriginalOptions,
  checkpoint: RunCheckpoint,
): Promise<OriginalStage> {
  const historyDir = options.history?.dir ?? null;
  const saved = checkpoint.completed(options.stage);
  if (saved) {
    emit({ type: 'phase', phase: 'training', stage: options.stage, label: 'the original model (from the checkpoint)' });
    replay(emit, roundEmitter(emit, progress, ctx.config.training.rounds), options.stage, saved);
    emit(weightsEvent(ctx, options.stage, saved.weights));
    if (options.csl && saved.csl) options.csl.set(saved.csl);
    return { weights: saved.weights, rounds: saved.rounds, aux: saved.aux, lastRound: saved.lastRound, historyDir };
  }
  const t = await trainOriginal(ctx, emit, progress, signal, { ...options, checkpoint });
  checkpoint.complete(options.stage, {
    weights: t.weights,
    rounds: t.rounds,
    aux: t.aux,
    lastRound: t.lastRound,
    csl: options.csl,
  });
  return { ...t, historyDir };
}

/** A retrained model: `train` gets the round-level checkpoint to continue from and save to. */
export async function resumedRetrained(
  ctx: ExperimentContext,
  emit: Emit,
  progress: Progress,
  stage: string,
  checkpoint: RunCheckpoint,
  train: (rounds: StageRounds) => Promise<{ weights: Weights; rounds: RoundRecord[] }>,
): Promise<{ weights: Weights; rounds: RoundRecord[] }> {
  const saved = checkpoint.completed(stage);
  if (saved) {
    replay(emit, roundEmitter(emit, progress, ctx.config.training.rounds), stage, saved);
    emit(weightsEvent(ctx, stage, saved.weights));
    return { weights: saved.weights, rounds: saved.rounds };
  }
  const r = await train(
    checkpoint.rounds(
      stage,
      ctx.model.params.map((p) => p.shape.reduce((a, b) => a * b, 1)),
    ),
  );
  checkpoint.complete(stage, { weights: r.weights, rounds: r.rounds });
  emit(weightsEvent(ctx, stage, r.weights));
  return r;
}

/** An unlearning method's outcome (weights, rounds, importance, trace) from the checkpoint, or run and stored. */
export async function resumedMethod(
  emit: Emit,
  onRound: (r: RoundRecord, replayed: boolean) => void,
  stage: string,
  checkpoint: RunCheckpoint,
  run: () => Promise<MethodOutcome>,
): Promise<MethodOutcome> {
  const saved = checkpoint.completed(stage);
  if (saved) {
    replay(emit, onRound, stage, saved);
    const extra = (saved.json ?? {}) as Pick<MethodOutcome, 'importance' | 'trace'>;
    return {
      weights: saved.weights,
      rounds: saved.rounds,
      ...(extra.importance && { importance: extra.importance }),
      ...(extra.trace && { trace: extra.trace }),
    };
  }
  const out = await run();
  checkpoint.complete(stage, {
    weights: out.weights,
    rounds: out.rounds,
    json: { importance: out.importance, trace: out.trace },
  });
  return out;
}
