/**
 * Building blocks shared by the experiment and the unlearning pipeline: progress accounting, round
 * and weights events, and the original federated training.
 */
import type { EngineEvent } from '../../shared/events';
import { runFedAvg, type AuxHeadOptions, type RoundRecord } from './fl/fedavg';
import { historyRecorder } from './fl/history';
import type { ExperimentContext } from './prepare';
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

export interface OriginalOptions {
  stage: string;
  seed: string | number;
  /** Per training example: loss summed over every epoch it was trained in (CSL, Appendix H.2). */
  csl?: Float64Array;
  /** FedAU's auxiliary head, trained alongside (it leaves the original model unchanged). */
  aux?: AuxHeadOptions;
  /** Record these rounds' global models and client updates into `dir` (fl/history.ts). */
  history?: { dir: string; rounds: readonly number[] };
}

/** Trains the original global model with FedAvg on every client. */
export async function trainOriginal(ctx: ExperimentContext, emit: Emit, progress: Progress, signal: AbortSignal, o: OriginalOptions) {
  const { config, partition } = ctx;
  emit({ type: 'phase', phase: 'training', stage: o.stage, label: 'training the original model' });
  const recordHistory = o.history ? historyRecorder(o.history.dir, ctx.model.params, o.history.rounds) : undefined;
  const result = await runFedAvg({
    stage: o.stage,
    initial: ctx.initialWeights(`original/${o.seed}`),
    clients: partition.clients.map((_, i) => i),
    clientIndices: partition.clients,
    rounds: config.training.rounds,
    settings: ctx.settings,
    aggregation: config.training.aggregation,
    clientFraction: config.training.clientFraction,
    seed: o.seed,
    pool: ctx.pool,
    evaluateTest: ctx.evaluateTest,
    signal,
    aux: o.aux,
    hooks: {
      onRound: roundEmitter(emit, progress, config.training.rounds),
      onClientResults: (round, results, global) => {
        recordHistory?.(round, results, global);
        if (!o.csl) return;
        for (const r of results) {
          const idx = partition.clients[r.client];
          for (let i = 0; i < idx.length; i++) o.csl[idx[i]] += r.exampleLoss[i];
        }
      },
    },
  });
  emit(weightsEvent(ctx, o.stage, result.weights));
  return result;
}

