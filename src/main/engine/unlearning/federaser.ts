/**
 * FedEraser (Liu et al. 2021, "FedEraser: Enabling Efficient Client-Level Data Removal from Federated
 * Learning Models", IWQoS): calibrated retraining on the remaining clients from the recorded history.
 * The server kept, every Delta t (`interval`) rounds from round 1, the global model and the clients'
 * updates. Starting from the first recorded global model, the first recorded round's remaining
 * updates are applied as recorded (both runs start from the same model there; the authors' code does
 * the same). At each later recorded round every remaining client trains ceil(calibrationRatio x E)
 * local epochs from the new global model, and each layer (parameter tensor) of its update keeps the
 * new direction with the recorded norm:
 *
 *   U~_k = ||U_k|| * U^_k / ||U^_k||      (per tensor; the paper's per-client calibration, default)
 *
 * then the calibrated updates are aggregated as in training. The authors' code (and the public port
 * Liar-Mask/FedAU baselines/federaser_base.py) calibrates the averaged update instead:
 * `calibrate: 'aggregate'`. Delta t = 2 and ratio 0.5 are the paper's experimental settings.
 */
import { METHODS } from '../../../shared/catalog';
import { intervalRounds } from '../../../shared/history';
import type { MethodConfig } from '../../../shared/method-schemas';
import { applyUpdate, clientUpdate, meanUpdate } from '../fl/aggregate';
import type { RoundRecord } from '../fl/fedavg';
import { CancelledError } from '../fl/fedavg';
import { HistoryReader } from '../fl/history';
import type { Weights } from '../types';
import type { UnlearnContext, UnlearningMethod } from './types';

type FedEraserConfig = Extract<MethodConfig, { id: 'federaser' }>;

/**
 * Per tensor: the new update's direction with the recorded update's norm. A tensor whose new update
 * is zero has no direction; it stays zero (nothing to scale).
 */
export function calibrateUpdate(recorded: Weights, fresh: Weights): Weights {
  return fresh.map((t, i) => {
    let oldSq = 0;
    let newSq = 0;
    const r = recorded[i];
    for (let k = 0; k < t.length; k++) {
      oldSq += r[k] * r[k];
      newSq += t[k] * t[k];
    }
    const factor = newSq > 0 ? Math.sqrt(oldSq) / Math.sqrt(newSq) : 0;
    const out = new Float32Array(t.length);
    for (let k = 0; k < t.length; k++) out[k] = factor * t[k];
    return out;
  });
}

/** Local epochs of a calibration round: a share of the training's, rounded up, at least one. */
export function calibrationEpochs(localEpochs: number, ratio: number): number {
  return Math.max(1, Math.ceil(ratio * localEpochs - 1e-9));
}

/** One recorded round: the remaining clients' calibrated (or, for the first, recorded) aggregate update. */
async function roundUpdate(
  ctx: UnlearnContext,
  config: FedEraserConfig,
  stage: string,
  history: HistoryReader,
  global: Weights,
  round: number,
  first: boolean,
) {
  const { exp, request } = ctx;
  const remaining = new Set(request.remainingClients);
  const clients = history.clients(round).filter((c) => remaining.has(c) && request.remainingByClient[c].length > 0);
  if (clients.length === 0) return { delta: null, results: [] };
  const weighted = exp.config.training.aggregation === 'weighted';
  const counts = weighted ? clients.map((c) => request.remainingByClient[c].length) : undefined;
  const recorded = clients.map((c) => history.update(round, c));
  if (first) return { delta: meanUpdate(recorded, counts), results: [] };
  const settings = {
    ...exp.settings,
    localEpochs: calibrationEpochs(exp.settings.localEpochs, config.calibrationRatio),
  };
  const tasks = clients.map((client) => ({
    client,
    indices: request.remainingByClient[client],
    seed: `${ctx.seed}/${stage}/r${round}/c${client}`,
  }));
  const results = await exp.pool.train(global, tasks, settings);
  const fresh = results.map((r) => clientUpdate(r.weights, global));
  const delta =
    config.calibrate === 'client'
      ? meanUpdate(
          fresh.map((u, i) => calibrateUpdate(recorded[i], u)),
          counts,
        )
      : calibrateUpdate(meanUpdate(recorded, counts), meanUpdate(fresh, counts));
  return { delta, results };
}

export const federaser: UnlearningMethod<FedEraserConfig> = {
  id: 'federaser',
  name: METHODS.federaser.name,
  reference: METHODS.federaser.reference,
  // One record per recorded round (the first applies the recorded updates, the rest calibrate).
  async run(ctx, config, stage) {
    const history = new HistoryReader(ctx.historyDir ?? null, ctx.exp.model.params, METHODS.federaser.name);
    const rounds = intervalRounds(ctx.exp.config.training.rounds, config.interval);
    let global = history.global(rounds[0]);
    let elapsedMs = 0;
    const records: RoundRecord[] = [];
    for (const [j, round] of rounds.entries()) {
      if (ctx.signal.aborted) throw new CancelledError();
      const t0 = performance.now();
      const { delta, results } = await roundUpdate(ctx, config, stage, history, global, round, j === 0);
      if (delta) global = applyUpdate(global, delta);
      elapsedMs += performance.now() - t0;
      const test = await ctx.exp.evaluateTest(global);
      const record: RoundRecord = {
        stage,
        round: j + 1,
        testAccuracy: test.accuracy,
        testLoss: test.loss,
        trainLoss: results.length ? results.reduce((a, r) => a + r.meanLoss, 0) / results.length : NaN,
        elapsedMs,
        clients: results.map((r) => ({ client: r.client, trainLoss: r.meanLoss, numExamples: r.numExamples })),
      };
      records.push(record);
      ctx.onRound(record);
    }
    return { weights: global, rounds: records };
  },
};
