/**
 * The interface every unlearning method implements (one file per method, Flower-style registry).
 * A method receives the original global model, the resolved request and the shared run context, and
 * returns the unlearned weights plus its per-round records (for the time analysis).
 */
import type { MethodConfig } from '../../../shared/method-schemas';
import type { ImportanceArtifact, MethodTrace } from '../../../shared/results';
import type { TrainSettings } from '../fl/client-trainer';
import { runFedAvg, type FedAvgHooks, type RoundRecord } from '../fl/fedavg';
import type { StageRounds } from '../checkpoint/run-checkpoint';
import type { ExperimentContext } from '../prepare';
import type { LastRoundModels, Weights } from '../types';
import type { ResolvedRequest } from './request';

export interface UnlearnContext {
  exp: ExperimentContext;
  request: ResolvedRequest;
  original: Weights;
  /** FedAU's auxiliary head [W, b], trained with the original model when a FedAU method is listed. */
  auxHead?: Weights;
  /** Seed of this repeat's training streams. */
  seed: string;
  /** This repeat's recorded training history (fl/history.ts), or null when the run recorded none. */
  historyDir?: string | null;
  signal: AbortSignal;
  /**
   * The original training's final round (shares and the unlearning clients' local models), when a method asked for it.
   */
  lastRound?: LastRoundModels;
  log: (level: 'info' | 'warn', message: string) => void;
  /** Synchronous: it emits the round event and counts progress (stages.ts roundEmitter). */
  onRound: (record: RoundRecord, replayed?: boolean) => void;
  /**
   * Round-level checkpoint of a stage that is one FedAvg loop on D_r (a retraining): given only
   * there, since other methods keep state between rounds that a loop's checkpoint does not hold.
   */
  roundCheckpoint?: StageRounds;
}

export interface MethodOutcome {
  weights: Weights;
  rounds: RoundRecord[];
  importance?: ImportanceArtifact;
  trace?: MethodTrace;
}

export interface UnlearningMethod<C extends MethodConfig = MethodConfig> {
  id: C['id'];
  name: string;
  /** Where the method comes from (paper section / citation). */
  reference: string;
  run(ctx: UnlearnContext, config: C, stage: string): Promise<MethodOutcome>;
}

/**
 * FedAvg on the remaining clients' data only (D_r), starting from `initial`. `elapsedOffsetMs` is work
 * the method did before its first round (e.g. locating), counted in every round's elapsed time;
 * `settings` replaces the run's local-training settings (e.g. another optimizer).
 */
export function trainOnRemaining(
  ctx: UnlearnContext,
  stage: string,
  initial: Weights,
  rounds: number,
  hooks: FedAvgHooks = {},
  elapsedOffsetMs = 0,
  settings: TrainSettings = ctx.exp.settings,
) {
  const { exp } = ctx;
  return runFedAvg({
    stage,
    initial,
    clients: ctx.request.remainingClients,
    clientIndices: ctx.request.remainingByClient,
    rounds,
    elapsedOffsetMs,
    settings,
    aggregation: exp.config.training.aggregation,
    clientFraction: exp.config.training.clientFraction,
    seed: ctx.seed,
    pool: exp.pool,
    evaluateTest: exp.evaluateTest,
    signal: ctx.signal,
    hooks: { ...hooks, onRound: ctx.onRound },
    ...(ctx.roundCheckpoint && { checkpoint: ctx.roundCheckpoint }),
  });
}

/**
 * The one round a method that does not train records (its single operation took `elapsedMs`), so it
 * has a point on the time curve. No client trains: the train loss is unknown (stored as null) and
 * there are no client rows.
 */
export async function recordOperation(
  ctx: UnlearnContext,
  stage: string,
  weights: Weights,
  elapsedMs: number,
): Promise<RoundRecord> {
  const test = await ctx.exp.evaluateTest(weights);
  const record: RoundRecord = {
    stage,
    round: 1,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    trainLoss: NaN,
    elapsedMs,
    clients: [],
  };
  ctx.onRound(record);
  return record;
}
