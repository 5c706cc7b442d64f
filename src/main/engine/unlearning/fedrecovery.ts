/**
 * FedRecovery (Zhang et al. 2023, "FedRecovery: Differentially Private Machine Unlearning for Federated
 * Learning Frameworks", IEEE TIFS 18): no training. From the recorded history, every round t gives the
 * global update dF_t = w_t - w_{t-1} and the leaving clients' updates dW_u^t; the method subtracts a
 * weighted sum of their gradient residuals from the final model and adds Gaussian noise:
 *
 *   w = w_T - scale * sum_t p_t delta_t + N(0, sigma^2 I)
 *
 * The residual delta_t is the leaving clients' part of round t's global update (`residual:
 * 'contribution'`, default): dF_t minus the update the remaining participants alone would have made,
 * dF_t^{-U} = (dF_t - sum_u s_u dW_u^t) / (1 - s_U) with s_u a client's aggregation share, so
 * delta_t = (sum_u s_u dW_u^t - s_U dF_t) / (1 - s_U) ((dW_u - dF_t) / (n - 1) for one client under a
 * plain mean). The public port (Liar-Mask/FedAU, baselines/fedrecovery_base.py) computes
 * (dF_t - dW_u^t / n) / (n - 1) instead, which is the remaining clients' mean update divided by n, not
 * the leaving client's part; it is `residual: 'public-port'` (|U| > 1 generalises its 1/(n - 1) to
 * 1/(n - |U|)). The weights: p_t = ||dF_t||^2 / sum over all
 * rounds (default, our reading of the paper), or the port's ||dF_t||^2 / sum over the earlier rounds
 * (`weighting: 'cumulative'`, the first round then weighs 0); the port's extra factor 5 is `scale: 5`.
 * sigma is given directly (0.02 as in public ports) rather than derived from (epsilon, delta). A round
 * in which no leaving client trained (client sampling) has nothing of theirs to remove: residual 0.
 */
import type { MethodConfig } from '../../../shared/method-schemas';
import { METHODS } from '../../../shared/catalog';
import { clientUpdate, squaredDistance } from '../fl/aggregate';
import { HistoryReader } from '../fl/history';
import { createRng, type Rng } from '../rng';
import type { Weights } from '../types';
import { recordOperation, type UnlearningMethod } from './types';

type FedRecoveryConfig = Extract<MethodConfig, { id: 'fedrecovery' }>;

/** p_t from ||dF_t||^2: over all rounds ('normalized'), or over the rounds before t ('cumulative'). */
export function roundWeights(sqNorms: readonly number[], rule: FedRecoveryConfig['weighting']): number[] {
  if (rule === 'normalized') {
    const total = sqNorms.reduce((a, b) => a + b, 0);
    return sqNorms.map((s) => (total > 0 ? s / total : 0));
  }
  let before = 0;
  return sqNorms.map((s) => {
    const p = before > 0 ? s / before : 0;
    before += s;
    return p;
  });
}

/**
 * The leaving clients' part of a round's global update: dF minus what the remaining participants alone
 * would have contributed (see the header). `shares` are the leaving clients' aggregation weights in the
 * round (1/n each under a plain mean); zero when none of them trained.
 */
export function contributionResidual(
  globalUpdate: Weights,
  leavingUpdates: readonly Weights[],
  shares: readonly number[],
): Weights {
  const sU = shares.reduce((a, b) => a + b, 0);
  if (leavingUpdates.length === 0) return globalUpdate.map((t) => new Float32Array(t.length));
  if (!(sU < 1)) throw new Error('FedRecovery: a round whose participants are all leaving has no residual');
  return globalUpdate.map((t, i) => {
    const out = new Float32Array(t.length);
    for (let k = 0; k < t.length; k++) {
      let own = 0;
      leavingUpdates.forEach((u, j) => (own += shares[j] * u[i][k]));
      out[k] = (own - sU * t[k]) / (1 - sU);
    }
    return out;
  });
}

/** The public port's residual (dF - sum of the leaving updates / n) / (n - m); zero when none of them trained. */
export function portResidual(globalUpdate: Weights, leavingUpdates: readonly Weights[], participants: number): Weights {
  const m = leavingUpdates.length;
  if (m === 0) return globalUpdate.map((t) => new Float32Array(t.length));
  if (participants - m < 1)
    throw new Error(`FedRecovery: a round with ${participants} client(s), all leaving, has no residual`);
  return globalUpdate.map((t, i) => {
    const out = new Float32Array(t.length);
    for (let k = 0; k < t.length; k++) {
      let own = 0;
      for (const u of leavingUpdates) own += u[i][k];
      out[k] = (t[k] - own / participants) / (participants - m);
    }
    return out;
  });
}

/** acc += coef * x, in float64. */
export function addScaled(acc: Float64Array[], x: Weights, coef: number): void {
  acc.forEach((a, i) => {
    const t = x[i];
    for (let k = 0; k < a.length; k++) a[k] += coef * t[k];
  });
}

/** w_T - scale * correction, plus N(0, sigma^2) per scalar (no draw when sigma is 0). */
export function applyCorrection(
  original: Weights,
  correction: Float64Array[],
  scale: number,
  sigma: number,
  rng: Rng,
): Weights {
  return original.map((t, i) => {
    const out = new Float32Array(t.length);
    const c = correction[i];
    for (let k = 0; k < t.length; k++) out[k] = t[k] - scale * c[k] + (sigma > 0 ? sigma * rng.normal() : 0);
    return out;
  });
}

/**
 * The weighted sum of residuals, sum_t p_t delta_t, read from the history a round at a time (two
 * passes: the weights need every round's norm first). `final` is w_T, the model after the last round.
 */
export function weightedResidualSum(
  history: HistoryReader,
  rounds: number,
  final: Weights,
  leaving: readonly number[],
  rule: Pick<FedRecoveryConfig, 'weighting' | 'residual'>,
  /** Training examples per client, for 'weighted' aggregation shares; omitted = a plain mean. */
  clientSizes?: readonly number[],
): Float64Array[] {
  const globalAfter = (t: number) => (t < rounds ? history.global(t + 1) : final);
  const sq: number[] = [];
  let before = history.global(1);
  for (let t = 1; t <= rounds; t++) {
    const after = globalAfter(t);
    sq.push(squaredDistance(after, before));
    before = after;
  }
  const p = roundWeights(sq, rule.weighting);
  const leavingSet = new Set(leaving);
  const acc = final.map((t) => new Float64Array(t.length));
  before = history.global(1);
  for (let t = 1; t <= rounds; t++) {
    const after = globalAfter(t);
    const clients = history.clients(t);
    const leavingNow = clients.filter((c) => leavingSet.has(c));
    const own = leavingNow.map((c) => history.update(t, c));
    const dF = clientUpdate(after, before); // the round's global update, after - before
    const total = clientSizes ? clients.reduce((a, c) => a + clientSizes[c], 0) : clients.length;
    const shares = leavingNow.map((c) => (clientSizes ? clientSizes[c] : 1) / total);
    const residual =
      rule.residual === 'contribution' ? contributionResidual(dF, own, shares) : portResidual(dF, own, clients.length);
    addScaled(acc, residual, p[t - 1]);
    before = after;
  }
  return acc;
}

export const fedrecovery: UnlearningMethod<FedRecoveryConfig> = {
  id: 'fedrecovery',
  name: METHODS.fedrecovery.name,
  reference: METHODS.fedrecovery.reference,
  // No training rounds; one record after the correction puts it on the time plots.
  async run(ctx, config, stage) {
    const t0 = performance.now();
    const history = new HistoryReader(ctx.historyDir ?? null, ctx.exp.model.params, METHODS.fedrecovery.name);
    const sizes =
      ctx.exp.config.training.aggregation === 'weighted' ? ctx.exp.partition.clients.map((c) => c.length) : undefined;
    const sum = weightedResidualSum(
      history,
      ctx.exp.config.training.rounds,
      ctx.original,
      ctx.request.unlearningClients,
      config,
      sizes,
    );
    const weights = applyCorrection(
      ctx.original,
      sum,
      config.scale,
      config.sigma,
      createRng(`${ctx.seed}/${stage}/noise`),
    );
    return { weights, rounds: [await recordOperation(ctx, stage, weights, performance.now() - t0)] };
  },
};
