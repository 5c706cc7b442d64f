/**
 * FedMemEraser (Section 6.2, Algorithm 1 in Appendix D): locate the parameters the remaining clients
 * barely use (redundant for D_r, so they carry what is unique to D_u), re-initialise them with the
 * model's own initialiser, then fine-tune with FedAvg on the remaining clients.
 *
 * Two locate rules (config `locate`):
 * - 'gradient' (default, Algorithm 1 steps 1-6): every remaining client computes the gradient of its
 *   loss over its whole local data at the original model Phi_G, without a step; the server averages
 *   them (g_r), resets the lowest rho (or |g_r| < gamma) on Phi_G, then runs `rounds` FedAvg rounds.
 *   `rounds: 0` is the reset alone (Table H8).
 * - 'first-round-update' (the authors' code, paper-notes.md): g_r is the first fine-tuning round's
 *   aggregated update (local - global), and the reset happens right after that round's aggregation.
 * The selection strategy is pluggable (Appendix F.3: redundant / important (SalUn) / localized /
 * deep-layers / shallow-layers); strategies that need D_u get the unlearning clients' signal of the
 * same kind. rho may be "auto" (Appendix H.3's rule).
 */
import type { LocateRule, MethodConfig } from '../../../shared/method-schemas';
import type { ImportanceArtifact, RhoRule } from '../../../shared/results';
import { clientUpdate, meanUpdate } from '../fl/aggregate';
import { createRng } from '../rng';
import type { Weights } from '../types';
import { flattenMagnitudes } from './selection/importance';
import { recommendPruningRatio } from './selection/pruning-ratio';
import { freshInitFromRng, reinitialize, resetLayers } from './selection/reinitialize';
import { SELECTION_STRATEGIES, selectParameters } from './selection/strategies';
import { METHODS, unlearnRounds } from '../../../shared/catalog';
import { assessModel, setAccuracy } from './assess';
import { trainOnRemaining, type MethodOutcome, type UnlearnContext, type UnlearningMethod } from './types';

type EraserConfig = Extract<MethodConfig, { id: 'fedmemeraser' }>;

/** When the H.3 rule finds no knee, fall back to the paper's CIFAR-10 IID value. */
const FALLBACK_RHO = 0.3;
/** Examples per forward/backward pass of the locate gradient; the result does not depend on it. */
const GRADIENT_BATCH = 128;

/**
 * Mean over `clients` of each one's full-data loss gradient at the original model (Algorithm 1, steps
 * 3-4). Exported for the reset analysis (Table H8), which ranks parameters the same way.
 */
export async function meanGradient(
  ctx: Pick<UnlearnContext, 'exp' | 'original'>,
  clients: number[],
  byClient: Int32Array[],
): Promise<Weights> {
  const tasks = clients.filter((c) => byClient[c].length > 0).map((client) => ({ client, indices: byClient[client] }));
  const grads = await ctx.exp.pool.gradients(ctx.original, tasks, GRADIENT_BATCH);
  const weighted = ctx.exp.config.training.aggregation === 'weighted';
  return meanUpdate(grads, weighted ? tasks.map((t) => t.indices.length) : undefined);
}

/** Mean update of the unlearning clients on their D_u data, one round from the original model. */
async function unlearningUpdate(ctx: UnlearnContext, stage: string): Promise<Weights> {
  const { request, exp } = ctx;
  const tasks = request.unlearningClients.map((client) => ({
    client,
    indices: request.unlearnByClient[client],
    seed: `${ctx.seed}/${stage}/unlearning-update/c${client}`,
  }));
  const results = await exp.pool.train(ctx.original, tasks, exp.settings);
  return meanUpdate(results.map((r) => clientUpdate(r.weights, ctx.original)));
}

/** The rho the selection uses (undefined with gamma) and which rule set it. */
function chooseRho(
  ctx: UnlearnContext,
  config: EraserConfig,
  stage: string,
  recommended: number | null,
  knee: number | null,
): { rho: number | undefined; rule: RhoRule } {
  if (config.gamma !== undefined) return { rho: undefined, rule: 'gamma' };
  if (config.rho !== 'auto') return { rho: config.rho, rule: 'fixed' };
  if (recommended === null) {
    ctx.log('warn', `${stage}: the importance curve has no knee; rho "auto" fell back to ${FALLBACK_RHO}`);
    return { rho: FALLBACK_RHO, rule: 'auto-fallback' };
  }
  ctx.log(
    'info',
    `${stage}: rho "auto" chose ${recommended.toFixed(3)} (knee at the ${knee?.toFixed(1)}th percentile)`,
  );
  return { rho: recommended, rule: 'auto' };
}

/**
 * Steps 5-6 of Algorithm 1 on `global`: rank by the remaining clients' signal (gradient or update),
 * select, and re-initialise the chosen scalars. Returns the reset weights and the importance record.
 */
function locateAndReset(
  ctx: UnlearnContext,
  config: EraserConfig,
  stage: string,
  global: Weights,
  remaining: Weights,
  unlearning: Weights | undefined,
  locate: LocateRule,
): { weights: Weights; importance: ImportanceArtifact } {
  const specs = ctx.exp.model.params;
  const magnitudes = flattenMagnitudes(specs, remaining).values;
  const rec = recommendPruningRatio(magnitudes);
  const { rho, rule } = chooseRho(ctx, config, stage, rec.rho, rec.kneePercentile);
  const selection = selectParameters(config.selection, {
    specs,
    weights: global,
    remainingUpdate: remaining,
    unlearningUpdate: unlearning,
    rho,
    gamma: config.gamma,
  });
  const reset = reinitialize(global, selection.masks, specs, freshInitFromRng(createRng(`${ctx.seed}/${stage}`)));
  const importance: ImportanceArtifact = {
    stage,
    selection: config.selection,
    locate,
    percentiles: Array.from(rec.distribution.percentiles),
    log10Magnitude: Array.from(rec.distribution.log10Magnitude),
    recommendedRho: rec.rho,
    kneePercentile: rec.kneePercentile,
    threshold: rec.threshold,
    chosenRho: rho ?? null,
    resetScalars: reset.resetCount,
    totalScalars: magnitudes.length,
    rhoRule: rule,
    ...(config.gamma !== undefined && { gamma: config.gamma }),
    layers: resetLayers(specs, reset.perTensor),
  };
  return { weights: reset.weights, importance };
}

/**
 * Accuracy of the model right after the reset, measured exactly as Table 1 assesses every model.
 * Evaluation draws no randomness and runs outside the method's clock, so it changes no number of the run.
 */
async function afterReset(ctx: UnlearnContext, stage: string, weights: Weights) {
  return setAccuracy(await assessModel(ctx.exp, ctx.request, `${stage}/after-reset`, weights));
}

async function eraseByGradient(
  ctx: UnlearnContext,
  config: EraserConfig,
  stage: string,
  rounds: number,
): Promise<MethodOutcome> {
  const t0 = performance.now();
  const { request } = ctx;
  const gR = await meanGradient(ctx, request.remainingClients, request.remainingByClient);
  const gU = SELECTION_STRATEGIES[config.selection].needsUnlearningUpdate
    ? await meanGradient(ctx, request.unlearningClients, request.unlearnByClient)
    : undefined;
  const { weights, importance } = locateAndReset(ctx, config, stage, ctx.original, gR, gU, 'gradient');
  // The method's clock includes locating and resetting, so time-to-peak compares like with like.
  const locateMs = performance.now() - t0;
  const reset = await afterReset(ctx, stage, weights);
  const result = await trainOnRemaining(ctx, stage, weights, rounds, {}, locateMs);
  return { ...result, importance: { ...importance, afterReset: reset, fineTuneRounds: rounds } };
}

async function eraseAfterFirstRound(
  ctx: UnlearnContext,
  config: EraserConfig,
  stage: string,
  rounds: number,
): Promise<MethodOutcome> {
  const needsU = SELECTION_STRATEGIES[config.selection].needsUnlearningUpdate;
  const gU = needsU ? await unlearningUpdate(ctx, stage) : undefined;
  let located: { weights: Weights; importance: ImportanceArtifact } | undefined;
  const afterAggregate = (round: number, global: Weights, update: Weights): Weights | void => {
    if (round !== 1) return;
    located = locateAndReset(ctx, config, stage, global, update, gU, 'first-round-update');
    return located.weights;
  };
  const result = await trainOnRemaining(ctx, stage, ctx.original, rounds, { afterAggregate });
  // Measured once training is over: inside the round it would count in the method's clock.
  const importance = located && {
    ...located.importance,
    afterReset: await afterReset(ctx, stage, located.weights),
    fineTuneRounds: rounds,
  };
  return { ...result, importance };
}

export const fedmemeraser: UnlearningMethod<EraserConfig> = {
  id: 'fedmemeraser',
  name: METHODS.fedmemeraser.name,
  reference: METHODS.fedmemeraser.reference,
  async run(ctx, config, stage) {
    const rounds = unlearnRounds(config, ctx.exp.config.training.rounds);
    return config.locate === 'first-round-update'
      ? eraseAfterFirstRound(ctx, config, stage, rounds)
      : eraseByGradient(ctx, config, stage, rounds);
  },
};
