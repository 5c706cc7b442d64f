/**
 * One experiment, start to finish, as a sequence of stages that emit events. Issue 2's scope is the
 * original federated training; unlearning stages plug in after it through the same context.
 */
import type { ExperimentConfig } from '../../shared/config';
import type { EngineEvent } from '../../shared/events';
import { runFedAvg, type RoundRecord } from './fl/fedavg';
import { prepare, type ExperimentContext } from './prepare';
import type { Weights } from './types';

export type Emit = (e: EngineEvent) => void;

/** Counts finished rounds against the rounds the whole run plans, for progress and ETA. */
export class Progress {
  done = 0;
  constructor(readonly total: number) {}
}

export function weightsEvent(ctx: ExperimentContext, name: string, weights: Weights): EngineEvent {
  return {
    type: 'weights',
    name,
    tensors: ctx.model.params.map((p, i) => ({ name: p.name, shape: p.shape, data: weights[i] })),
  };
}

export function roundEmitter(emit: Emit, progress: Progress, totalRounds: number) {
  return (r: RoundRecord) => {
    progress.done++;
    emit({ type: 'round', ...r, totalRounds, progress: { done: progress.done, total: progress.total } });
  };
}

/** Trains the original global model with FedAvg on every client. */
export async function trainOriginal(ctx: ExperimentContext, emit: Emit, progress: Progress, signal: AbortSignal) {
  const { config } = ctx;
  emit({ type: 'phase', phase: 'training', stage: 'original', label: 'training the original model' });
  const result = await runFedAvg({
    stage: 'original',
    initial: ctx.initialWeights('original'),
    clients: ctx.partition.clients.map((_, i) => i),
    clientIndices: ctx.partition.clients,
    rounds: config.training.rounds,
    settings: ctx.settings,
    aggregation: config.training.aggregation,
    clientFraction: config.training.clientFraction,
    seed: config.seed,
    pool: ctx.pool,
    evaluateTest: ctx.evaluateTest,
    signal,
    hooks: { onRound: roundEmitter(emit, progress, config.training.rounds) },
  });
  emit(weightsEvent(ctx, 'original', result.weights));
  return result;
}

export async function runExperiment(config: ExperimentConfig, emit: Emit, signal: AbortSignal): Promise<void> {
  const ctx = await prepare(config, emit);
  try {
    const progress = new Progress(config.training.rounds);
    const original = await trainOriginal(ctx, emit, progress, signal);
    const last = original.rounds[original.rounds.length - 1];
    emit({
      type: 'done',
      summary: {
        testAccuracy: last.testAccuracy,
        testLoss: last.testLoss,
        bestTestAccuracy: Math.max(...original.rounds.map((r) => r.testAccuracy)),
        rounds: original.rounds.length,
      },
    });
  } finally {
    await ctx.close();
  }
}
