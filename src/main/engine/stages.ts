/**
 * Building blocks shared by the experiment and the unlearning pipeline: progress accounting, round
 * and weights events, and the original federated training.
 */
import type { EngineEvent } from '../../shared/events';
import type { TrainResult } from './fl/client-trainer';
import { runFedAvg, type AuxHeadOptions, type RoundRecord } from './fl/fedavg';
import { historyRecorder } from './fl/history';
import type { RunCheckpoint } from './checkpoint/run-checkpoint';
import type { ExperimentContext } from './prepare';
import type { LastRoundModels, Weights } from './types';

export type { LastRoundModels };

export type Emit = (e: EngineEvent) => void;

/** Counts finished rounds against the rounds the whole run plans, for progress and ETA. */
export class Progress {
  done = 0;
  /** Of `done`, the rounds replayed from a stored training rather than trained now. */
  replayed = 0;
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
  return (r: RoundRecord, replayed = false) => {
    progress.done++;
    if (replayed) progress.replayed++;
    emit({
      type: 'round',
      ...r,
      totalRounds,
      progress: {
        done: progress.done,
        total: progress.total,
        ...(progress.replayed > 0 && { replayed: progress.replayed }),
      },
    });
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
  /** Clients whose final-round local models to keep (methods that remove a client's last contribution). */
  keepLastLocal?: readonly number[];
  /** The run's checkpoint: the training continues from its last saved round and saves each round (CSL with it). */
  checkpoint?: RunCheckpoint;
}

/** Trains the original global model with FedAvg on every client. */
export async function trainOriginal(
  ctx: ExperimentContext,
  emit: Emit,
  progress: Progress,
  signal: AbortSignal,
  o: OriginalOptions,
) {
  const { config, partition } = ctx;
  emit({ type: 'phase', phase: 'training', stage: o.stage, label: 'training the original model' });
  const recordHistory = o.history ? historyRecorder(o.history.dir, ctx.model.params, o.history.rounds) : undefined;
  let lastRound: LastRoundModels | undefined;
  const initial = ctx.initialWeights(`original/${o.seed}`);
  const result = await runFedAvg({
    stage: o.stage,
    initial,
    checkpoint: o.checkpoint?.rounds(
      o.stage,
      initial.map((w) => w.length),
      o.csl,
    ),
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
        if (o.keepLastLocal && round === config.training.rounds)
          lastRound = lastRoundModels(results, config.training.aggregation, o.keepLastLocal);
        if (!o.csl) return;
        for (const r of results) {
          const idx = partition.clients[r.client];
          for (let i = 0; i < idx.length; i++) o.csl[idx[i]] += r.exampleLoss[i];
        }
      },
    },
  });
  emit(weightsEvent(ctx, o.stage, result.weights));
  return { ...result, lastRound };
}

/** Shares follow fl/aggregate.ts' meanUpdate: equal, or by sample count. */
function lastRoundModels(
  results: TrainResult[],
  aggregation: 'mean' | 'weighted',
  keep: readonly number[],
): LastRoundModels {
  const total = results.reduce((a, r) => a + (aggregation === 'weighted' ? r.numExamples : 1), 0);
  const shares = new Map(results.map((r) => [r.client, (aggregation === 'weighted' ? r.numExamples : 1) / total]));
  const localModels = new Map(results.filter((r) => keep.includes(r.client)).map((r) => [r.client, r.weights]));
  return { shares, localModels };
}
