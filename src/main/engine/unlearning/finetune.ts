/**
 * Fine-tuning: FedAvg continued on D_r from the original model, with nothing reset — FedMemEraser
 * with rho = 0 (Appendix F.1). The baseline that shows what resetting adds.
 */
import type { MethodConfig } from '../../../shared/unlearning-config';
import { defaultUnlearnRounds, trainOnRemaining, type UnlearningMethod } from './types';

type FinetuneConfig = Extract<MethodConfig, { id: 'finetune' }>;

export const finetune: UnlearningMethod<FinetuneConfig> = {
  id: 'finetune',
  name: 'Fine-tune',
  reference: 'Appendix F.1 (rho = 0)',
  plannedRounds: (c, trainingRounds) => c.rounds ?? defaultUnlearnRounds(trainingRounds),
  async run(ctx, config, stage) {
    return trainOnRemaining(ctx, stage, ctx.original, config.rounds ?? defaultUnlearnRounds(ctx.exp.config.training.rounds));
  },
};
