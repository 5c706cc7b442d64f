/**
 * Retraining from scratch on D_r (the exact-unlearning reference; Section 3.2, Definition 2). The
 * experiment trains J such models with different seeds: they are both the retrained baseline row
 * and GME's reference models (Eq. 9). Same settings and rounds as the original training.
 */
import type { MethodConfig } from '../../../shared/method-schemas';
import { METHODS } from '../../../shared/catalog';
import { trainOnRemaining, type UnlearningMethod } from './types';

type RetrainConfig = Extract<MethodConfig, { id: 'retrain' }>;

export const retrain: UnlearningMethod<RetrainConfig> = {
  id: 'retrain',
  name: METHODS.retrain.name,
  reference: METHODS.retrain.reference,
  async run(ctx, _config, stage) {
    const initial = ctx.exp.initialWeights(`${stage}/${ctx.seed}`);
    return trainOnRemaining(ctx, stage, initial, ctx.exp.config.training.rounds);
  },
};
