/**
 * Liu et al. 2022 ("The Right to be Forgotten in Federated Learning: An Efficient Realization with
 * Rapid Retraining", IEEE INFOCOM): the server re-initialises the global model and the remaining
 * clients retrain it with FedAvg, each local step a Newton-type update whose Hessian is the diagonal
 * empirical Fisher with momentum (compute/fisher-optimizer.ts). There is no runnable public code; this
 * follows the paper: lr 1e-3, beta1 0.9, beta2 0.999, local epochs and batch size as the original
 * training. The paper divides by the Fisher estimate ('inverse', default); `rule: 'sqrt'` is the
 * Adam-like variant public re-implementations use. Rounds default to the budget every method gets here
 * (30% of training.rounds), since "rapid" retraining is meant to converge in fewer rounds than retraining.
 */
import type { MethodConfig } from '../../../shared/method-schemas';
import { METHODS, unlearnRounds } from '../../../shared/catalog';
import type { TrainSettings } from '../fl/client-trainer';
import { trainOnRemaining, type UnlearningMethod } from './types';

type LiuConfig = Extract<MethodConfig, { id: 'liu' }>;

/** The run's local-training settings with Liu et al.'s preconditioned step in place of its optimizer. */
export function liuSettings(base: TrainSettings, c: LiuConfig): TrainSettings {
  return {
    ...base,
    optimizer: 'fisher',
    lr: c.lr,
    fisher: { beta1: c.beta1, beta2: c.beta2, damping: c.damping, rule: c.rule },
  };
}

export const liu: UnlearningMethod<LiuConfig> = {
  id: 'liu',
  name: METHODS.liu.name,
  reference: METHODS.liu.reference,
  async run(ctx, config, stage) {
    const initial = ctx.exp.initialWeights(`${stage}/${ctx.seed}`);
    const rounds = unlearnRounds(config, ctx.exp.config.training.rounds);
    return trainOnRemaining(ctx, stage, initial, rounds, {}, 0, liuSettings(ctx.exp.settings, config));
  },
};
