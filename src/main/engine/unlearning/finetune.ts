/**
 * Fine-tuning: FedAvg continued on D_r from the original model, with nothing reset — FedMemEraser
 * with rho = 0 (Appendix F.1). The baseline that shows what resetting adds.
 */
import type { MethodConfig } from '../../../shared/method-schemas';
import { METHODS, unlearnRounds } from '../../../shared/catalog';
import { trainOnRemaining, type UnlearningMethod } from './types';

type FinetuneConfig = Extract<MethodConfig, { id: 'finetune' }>;

export const finetune: UnlearningMethod<FinetuneConfig> = {
  id: 'finetune',
  name: METHODS.finetune.name,
  reference: METHODS.finetune.reference,
  async run(ctx, config, stage) {
    return trainOnRemaining(ctx, stage, ctx.original, unlearnRounds(config, ctx.exp.config.training.rounds));
  },
};
