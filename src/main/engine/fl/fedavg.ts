/**
 * The FedAvg round loop (McMahan et al. 2017, as the paper's Section 3.1 and the authors' code run it):
 * each sampled client trains from the global weights, the server averages the updates (local - global)
 * and adds the mean. Hooks let unlearning methods start from given weights, restrict the clients,
 * observe every client's update and rewrite the global weights after aggregation.
 */
import { createRng } from '../rng';
import type { Weights } from '../types';
import { applyUpdate, clientUpdate, meanUpdate, weightsAreFinite } from './aggregate';
import type { TrainResult, TrainSettings } from './client-trainer';
import { CancelledError } from './cancelled';
import type { RoundMetrics } from '../../../shared/events';
import type { BackdoorMetrics } from '../../../shared/results';
import type { ClientPool } from './pool';

/** A round of training as the engine keeps it: the shape a round event carries (shared/events.ts). */
export type RoundRecord = RoundMetrics;

export interface FedAvgHooks {
  /** Sees every client's result (weights, per-example losses) and the global weights they started from. */
  onClientResults?(round: number, results: TrainResult[], global: Weights): void;
  /**
   * May rewrite the clients' updates (local - global, in result order) before they are averaged,
   * e.g. FedOSD's projection of each update off the unlearning direction.
   */
  transformUpdates?(round: number, updates: Weights[], global: Weights): Weights[];
  /** May replace the new global weights (e.g. FedMemEraser's reset after the first aggregation). */
  afterAggregate?(round: number, global: Weights, update: Weights): Weights | void;
  /** Each round's record; `replayed` for the saved rounds a checkpointed training continues after. */
  onRound?(record: RoundRecord, replayed?: boolean): void | Promise<void>;
}

export interface FedAvgOptions {
  stage: string;
  initial: Weights;
  /** Participating client ids (ascending order is enforced). */
  clients: number[];
  /** Training indices per client id. */
  clientIndices: Int32Array[];
  /** 0 returns `initial` unchanged with no records. */
  rounds: number;
  /** Time already spent by the stage before round 1 (counted in elapsedMs); default 0. */
  elapsedOffsetMs?: number;
  settings: TrainSettings;
  aggregation: 'mean' | 'weighted';
  clientFraction: number;
  seed: number | string;
  pool: ClientPool;
  evaluateTest(weights: Weights): Promise<{ accuracy: number; loss: number; backdoor?: BackdoorMetrics }>;
  signal?: AbortSignal;
  hooks?: FedAvgHooks;
  /** FedAU's auxiliary head, trained alongside when given (fl/aux-head.ts). */
  aux?: AuxHeadOptions;
  /**
   * Continue after a saved round (`from`: its records are replayed through onRound, then training goes
   * on from its weights) and save the state after each round but the last (engine/checkpoint).
   * Every draw is seeded by stage, round and client, so a continued loop needs no RNG state.
   */
  checkpoint?: { from: FedAvgState | null; save(state: FedAvgState): void };
}

/**
 * What a FedAvg loop needs to continue after `round` (client optimizers restart each round: nothing of theirs
 * persists).
 */
export interface FedAvgState {
  round: number;
  global: Weights;
  aux?: Weights;
  records: RoundRecord[];
}

export interface AuxHeadOptions {
  initial: Weights;
  /** The head's label per training example (indexed like the training split). */
  labels: Int32Array;
  /** Clients that train it; null = every participant. Its aggregate averages only their heads. */
  clients: ReadonlySet<number> | null;
}

export class DivergenceError extends Error {
  readonly code = 'DIVERGED';
  constructor(stage: string, round: number, detail: string) {
    super(`training diverged in ${stage} at round ${round}: ${detail}; lower the learning rate`);
  }
}

export { CancelledError };

/** Which clients train in a round: all, or a seeded sample of max(1, round(fraction * K)). */
export function sampleClients(clients: number[], fraction: number, seed: string): number[] {
  const sorted = [...clients].sort((a, b) => a - b);
  if (fraction >= 1) return sorted;
  const k = Math.max(1, Math.round(fraction * sorted.length));
  return createRng(seed)
    .shuffle(sorted.slice())
    .slice(0, k)
    .sort((a, b) => a - b);
}

export async function runFedAvg(o: FedAvgOptions): Promise<{ weights: Weights; rounds: RoundRecord[]; aux?: Weights }> {
  const from = o.checkpoint?.from ?? null;
  let global = from?.global ?? o.initial;
  let aux = from?.aux ?? o.aux?.initial;
  const records: RoundRecord[] = [...(from?.records ?? [])];
  for (const r of records) await o.hooks?.onRound?.(r, true);
  let elapsedMs = records.length ? records[records.length - 1].elapsedMs : (o.elapsedOffsetMs ?? 0);
  for (let round = (from?.round ?? 0) + 1; round <= o.rounds; round++) {
    if (o.signal?.aborted) throw new CancelledError();
    const t0 = performance.now();
    const participants = sampleClients(o.clients, o.clientFraction, `${o.seed}/${o.stage}/sample/${round}`);
    const tasks = participants
      .filter((c) => o.clientIndices[c].length > 0)
      .map((client) => ({
        client,
        indices: o.clientIndices[client],
        seed: `${o.seed}/${o.stage}/r${round}/c${client}`,
        aux: auxTask(o.aux, aux, client, o.clientIndices[client]),
      }));
    if (tasks.length === 0) throw new Error(`no client has training data in ${o.stage}, round ${round}`);
    const results = await o.pool.train(global, tasks, o.settings);
    for (const r of results) {
      if (!Number.isFinite(r.meanLoss) || !weightsAreFinite(r.weights)) {
        throw new DivergenceError(o.stage, round, `client ${r.client} produced a non-finite loss (${r.meanLoss})`);
      }
    }
    o.hooks?.onClientResults?.(round, results, global);
    const updates = results.map((r) => clientUpdate(r.weights, global));
    const update = meanUpdate(
      o.hooks?.transformUpdates?.(round, updates, global) ?? updates,
      o.aggregation === 'weighted' ? results.map((r) => r.numExamples) : undefined,
    );
    global = applyUpdate(global, update);
    global = o.hooks?.afterAggregate?.(round, global, update) ?? global;
    if (aux) aux = aggregateAux(aux, results, o.aggregation);
    elapsedMs += performance.now() - t0;
    if (o.signal?.aborted) throw new CancelledError();
    const test = await o.evaluateTest(global);
    if (!Number.isFinite(test.loss) && !Number.isFinite(test.accuracy)) {
      throw new DivergenceError(o.stage, round, 'the global model produced a non-finite test loss');
    }
    const record: RoundRecord = {
      stage: o.stage,
      round,
      testAccuracy: test.accuracy,
      testLoss: test.loss,
      trainLoss: results.reduce((a, r) => a + r.meanLoss, 0) / results.length,
      elapsedMs,
      clients: results.map((r) => ({ client: r.client, trainLoss: r.meanLoss, numExamples: r.numExamples })),
      ...(test.backdoor && { backdoor: test.backdoor }),
    };
    records.push(record);
    await o.hooks?.onRound?.(record);
    // The last round's state is the stage's result, which its caller stores.
    if (round < o.rounds) o.checkpoint?.save({ round, global, ...(aux && { aux }), records: [...records] });
  }
  return aux ? { weights: global, rounds: records, aux } : { weights: global, rounds: records };
}

function auxTask(o: AuxHeadOptions | undefined, head: Weights | undefined, client: number, indices: Int32Array) {
  if (!o || !head || (o.clients && !o.clients.has(client))) return undefined;
  return { weights: head, labels: Int32Array.from(indices, (i) => o.labels[i]) };
}

/** The auxiliary head's FedAvg step, over the clients that trained it (unchanged when none did). */
function aggregateAux(head: Weights, results: TrainResult[], aggregation: 'mean' | 'weighted'): Weights {
  const trained = results.filter((r) => r.aux);
  if (trained.length === 0) return head;
  const counts = aggregation === 'weighted' ? trained.map((r) => r.numExamples) : undefined;
  return applyUpdate(
    head,
    meanUpdate(
      trained.map((r) => clientUpdate(r.aux!, head)),
      counts,
    ),
  );
}
