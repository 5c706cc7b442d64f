/**
 * FedMemEraser (Section 6.2, Algorithm 1): locate the parameters the remaining clients barely update
 * (redundant for D_r, so they carry what is unique to D_u), re-initialise them with the model's own
 * initialiser, then fine-tune with FedAvg on the remaining clients.
 *
 * As the authors' code does it (paper-notes.md): the mean update of the remaining clients is the
 * first fine-tuning round's aggregated update, and the reset happens once, right after that round's
 * aggregation. The selection strategy is pluggable (Appendix F.3: redundant / important (SalUn) /
 * localized / deep-layers / shallow-layers), and rho may be "auto" (Appendix H.3's rule).
 */
import type { MethodConfig } from '../../../shared/unlearning-config';
import type { ImportanceArtifact } from '../../../shared/results';
import { clientUpdate, meanUpdate } from '../fl/aggregate';
import { createRng } from '../rng';
import type { Weights } from '../types';
import { flattenMagnitudes } from './selection/importance';
import { recommendPruningRatio } from './selection/pruning-ratio';
import { freshInitFromRng, reinitialize } from './selection/reinitialize';
import { SELECTION_STRATEGIES, selectParameters } from './selection/strategies';
import { defaultUnlearnRounds, trainOnRemaining, type UnlearnContext, type UnlearningMethod } from './types';

type EraserConfig = Extract<MethodConfig, { id: 'fedmemeraser' }>;

/** When the H.3 rule finds no knee, fall back to the paper's CIFAR-10 IID value. */
const FALLBACK_RHO = 0.3;

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

export const fedmemeraser: UnlearningMethod<EraserConfig> = {
  id: 'fedmemeraser',
  name: 'FedMemEraser',
  reference: 'Section 6.2, Algorithm 1 (Appendix D)',
  plannedRounds: (c, trainingRounds) => c.rounds ?? defaultUnlearnRounds(trainingRounds),
  async run(ctx, config, stage) {
    const specs = ctx.exp.model.params;
    const strategy = SELECTION_STRATEGIES[config.selection];
    const gU = strategy.needsUnlearningUpdate ? await unlearningUpdate(ctx, stage) : undefined;
    let importance: ImportanceArtifact | undefined;

    const afterAggregate = (round: number, global: Weights, update: Weights): Weights | void => {
      if (round !== 1) return;
      const magnitudes = flattenMagnitudes(specs, update).values;
      const rec = recommendPruningRatio(magnitudes);
      let rho: number | undefined;
      if (config.gamma === undefined) {
        if (config.rho === 'auto') {
          rho = rec.rho ?? FALLBACK_RHO;
          if (rec.rho === null) ctx.log('warn', `${stage}: the importance curve has no knee; rho "auto" fell back to ${FALLBACK_RHO}`);
          else ctx.log('info', `${stage}: rho "auto" chose ${rho.toFixed(3)} (knee at the ${rec.kneePercentile?.toFixed(1)}th percentile)`);
        } else {
          rho = config.rho;
        }
      }
      const selection = selectParameters(config.selection, {
        specs,
        weights: global,
        remainingUpdate: update,
        unlearningUpdate: gU,
        rho,
        gamma: config.gamma,
      });
      const reset = reinitialize(global, selection.masks, specs, freshInitFromRng(createRng(`${ctx.seed}/${stage}`)));
      importance = {
        stage,
        selection: config.selection,
        percentiles: Array.from(rec.distribution.percentiles),
        log10Magnitude: Array.from(rec.distribution.log10Magnitude),
        recommendedRho: rec.rho,
        kneePercentile: rec.kneePercentile,
        threshold: rec.threshold,
        chosenRho: rho ?? null,
        resetScalars: reset.resetCount,
        totalScalars: magnitudes.length,
      };
      return reset.weights;
    };

    const rounds = config.rounds ?? defaultUnlearnRounds(ctx.exp.config.training.rounds);
    const result = await trainOnRemaining(ctx, stage, ctx.original, rounds, { afterAggregate });
    return { ...result, importance };
  },
};
