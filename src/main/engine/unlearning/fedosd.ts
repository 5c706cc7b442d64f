/**
 * FedOSD (Pan et al. 2025, "Federated Unlearning with Gradient Descent and Conflict Mitigation",
 * AAAI 2025; public code zibinpan/FedOSD, tfedplat/algorithm/unlearning/FedOSD.py).
 *
 * Unlearning rounds, from the original model: the target clients minimise the unlearning
 * cross-entropy -log(1 - p_y / 2) on their data to forget (fl/losses.ts), the remaining clients
 * their ordinary loss on the data they keep; the server takes the targets' mean gradient g_u, removes
 * its projection onto the span of the remaining clients' gradients (so, to first order, no remaining
 * client's loss moves), rescales it to ||g_u|| and steps by lr along it (projection.ts).
 * Post-training: FedAvg rounds on the remaining clients, each client's update projected off the
 * model's drift from the original (the unlearning direction) and rescaled to its own norm, so
 * recovering utility does not walk the model back to what it forgot.
 *
 * Follows the public code in: the UCE form; "gradients" as pseudo-gradients (global - local) / lr
 * after the clients' local epochs (signal 'pseudo-gradient', the default; 'gradient' takes exact
 * full-data gradients instead); the targets' gradients averaged unweighted; the unlearning step taken
 * with the clients' lr (so it is as long as the target's own local update); a fixed number of
 * unlearning rounds (100, the code's UR) with no early stop; the post-training direction being the
 * current global minus the original model, projected off in both signs, for every client.
 * Departs from it in: no per-round lr decay (the code multiplies lr by 0.999 every round); the
 * post-training clients train with the run's settings and are averaged by training.aggregation.
 *
 * Requests that remove no whole client (class, examples): the "target" is each client's part of
 * D_u, trained with UCE, and the same client's D_r part is one of the remaining clients.
 */
import type { MethodConfig } from '../../../shared/method-schemas';
import type { MethodTrace } from '../../../shared/results';
import { METHODS, unlearnRounds } from '../../../shared/catalog';
import { weightsAreFinite } from '../fl/aggregate';
import { CancelledError, DivergenceError, type RoundRecord } from '../fl/fedavg';
import type { TrainTask } from '../fl/client-trainer';
import type { Weights } from '../types';
import { flatten, maxAbsCosine, orthogonalUnlearningDirection, projectOffDirection, unflatten } from './projection';
import { trainOnRemaining, type MethodOutcome, type UnlearnContext, type UnlearningMethod } from './types';

type FedOsdConfig = Extract<MethodConfig, { id: 'fedosd' }>;

/** Examples per forward/backward pass of an exact gradient; the result does not depend on it. */
const GRADIENT_BATCH = 128;

interface RoundSignals {
  /** One gradient per target part (client's D_u), flattened. */
  target: Float64Array[];
  /** One gradient per remaining client (its D_r), flattened, in `remainingClients` order. */
  remaining: Float64Array[];
  /** The remaining clients' training losses (NaN when no training happened). */
  clients: RoundRecord['clients'];
}

/** What every client sends at `global`: pseudo-gradients after local training, or exact gradients. */
async function roundSignals(
  ctx: UnlearnContext,
  config: FedOsdConfig,
  stage: string,
  round: number,
  global: Weights,
): Promise<RoundSignals> {
  const { exp, request } = ctx;
  const targets = request.unlearningClients.map((client) => ({
    client,
    indices: request.unlearnByClient[client],
    loss: 'fedosd-uce' as const,
  }));
  const remaining = request.remainingClients.map((client) => ({
    client,
    indices: request.remainingByClient[client],
    loss: 'ce' as const,
  }));
  const all = [...targets, ...remaining];
  const flatGlobal = flatten(global);
  if (config.signal === 'gradient') {
    const grads = (await exp.pool.gradients(global, all, GRADIENT_BATCH)).map(flatten);
    grads.forEach((g, i) => checkFinite(g, stage, round, all[i].client));
    const clients = remaining.map((t) => ({ client: t.client, trainLoss: NaN, numExamples: t.indices.length }));
    return { target: grads.slice(0, targets.length), remaining: grads.slice(targets.length), clients };
  }
  const tasks: TrainTask[] = all.map((t, i) => ({
    ...t,
    seed: `${ctx.seed}/${stage}/u${round}/${i < targets.length ? 'target' : 'remaining'}/c${t.client}`,
  }));
  const results = await exp.pool.train(global, tasks, exp.settings);
  // (global - local) / lr: the public code's pseudo-gradient (Algorithm.train).
  const lr = exp.settings.lr;
  const grads = results.map((r) => {
    if (!Number.isFinite(r.meanLoss) || !weightsAreFinite(r.weights))
      throw new DivergenceError(stage, round, `client ${r.client} produced a non-finite loss (${r.meanLoss})`);
    const g = flatten(r.weights);
    for (let k = 0; k < g.length; k++) g[k] = (flatGlobal[k] - g[k]) / lr;
    return g;
  });
  const clients = results
    .slice(targets.length)
    .map((r) => ({ client: r.client, trainLoss: r.meanLoss, numExamples: r.numExamples }));
  return { target: grads.slice(0, targets.length), remaining: grads.slice(targets.length), clients };
}

function checkFinite(g: Float64Array, stage: string, round: number, client: number): void {
  if (!g.every(Number.isFinite))
    throw new DivergenceError(stage, round, `client ${client} produced a non-finite gradient`);
}

/** Unweighted mean, as the public code averages the targets' gradients. */
export function meanVector(vs: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(vs[0].length);
  for (const v of vs) for (let k = 0; k < v.length; k++) out[k] += v[k] / vs.length;
  return out;
}

/** The unlearning stage: `rounds` projected UCE steps from the original model, one record each. */
async function unlearn(ctx: UnlearnContext, config: FedOsdConfig, stage: string) {
  const lr = config.lr ?? ctx.exp.settings.lr;
  let global = ctx.original;
  const records: RoundRecord[] = [];
  let elapsedMs = 0;
  // How close to orthogonal the applied float32 steps came (the defining property, measured on the
  // weights actually written), against how much the unprojected target gradient conflicted.
  let worstApplied = 0;
  let worstRaw = 0;
  for (let round = 1; round <= config.unlearningRounds; round++) {
    if (ctx.signal.aborted) throw new CancelledError();
    const t0 = performance.now();
    const s = await roundSignals(ctx, config, stage, round, global);
    const gu = meanVector(s.target);
    const d = orthogonalUnlearningDirection(gu, s.remaining);
    const before = flatten(global);
    const next = unflatten(
      before.map((w, k) => w - lr * d[k]),
      global,
    );
    const applied = flatten(next).map((w, k) => w - before[k]);
    worstApplied = Math.max(worstApplied, maxAbsCosine(applied, s.remaining));
    worstRaw = Math.max(worstRaw, maxAbsCosine(gu, s.remaining));
    global = next;
    elapsedMs += performance.now() - t0;
    const test = await ctx.exp.evaluateTest(global);
    if (!Number.isFinite(test.loss) && !Number.isFinite(test.accuracy))
      throw new DivergenceError(stage, round, 'the global model produced a non-finite test loss');
    const record: RoundRecord = {
      stage,
      round,
      testAccuracy: test.accuracy,
      testLoss: test.loss,
      trainLoss: s.clients.reduce((a, c) => a + c.trainLoss, 0) / s.clients.length,
      elapsedMs,
      clients: s.clients,
    };
    records.push(record);
    ctx.onRound(record);
  }
  if (config.unlearningRounds > 0) {
    ctx.log(
      'info',
      `${stage}: ${config.unlearningRounds} unlearning round(s); max |cos| between an applied step and a remaining client's gradient ${worstApplied.toExponential(3)} ` +
        `(unprojected target gradient: ${worstRaw.toExponential(3)})`,
    );
  }
  const trace: MethodTrace = {
    method: 'fedosd',
    unlearningRounds: config.unlearningRounds,
    maxAbsCosineApplied: worstApplied,
    maxAbsCosineUnprojected: worstRaw,
  };
  return { weights: global, rounds: records, elapsedMs, trace };
}

/** Post-training hook: every remaining client's update projected off (global - original). */
function postProjection(original: Weights) {
  const origin = flatten(original);
  return (_round: number, updates: Weights[], global: Weights): Weights[] => {
    const drift = flatten(global).map((w, k) => w - origin[k]);
    return updates.map((u) => unflatten(projectOffDirection(flatten(u), drift), u));
  };
}

export const fedosd: UnlearningMethod<FedOsdConfig> = {
  id: 'fedosd',
  name: METHODS.fedosd.name,
  reference: METHODS.fedosd.reference,
  async run(ctx, config, stage): Promise<MethodOutcome> {
    const u = await unlearn(ctx, config, stage);
    const offset = config.unlearningRounds;
    // Post-training rounds continue the stage's numbering and clock, so the time curve is one piece.
    const shifted = { ...ctx, onRound: (r: RoundRecord) => ctx.onRound({ ...r, round: r.round + offset }) };
    const hooks = config.postProjection ? { transformUpdates: postProjection(ctx.original) } : {};
    const post = await trainOnRemaining(
      shifted,
      stage,
      u.weights,
      unlearnRounds(config, ctx.exp.config.training.rounds),
      hooks,
      u.elapsedMs,
    );
    return {
      weights: post.weights,
      rounds: [...u.rounds, ...post.rounds.map((r) => ({ ...r, round: r.round + offset }))],
      trace: u.trace,
    };
  },
};
