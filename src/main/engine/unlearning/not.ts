/**
 * NoT (Khalil et al. 2025, "NoT: Federated Unlearning via Weight Negation"): negate the weights of
 * the model's first layer, which breaks the co-adaptation the later layers learned with it, then
 * recover utility with FedAvg on the remaining clients only. The first layer is the first parameter
 * tensor of rank >= 2 (the first conv kernel or dense matrix). Its bias is left as it is by default,
 * since the method negates weights; `negateBias: true` negates it too.
 */
import type { MethodConfig } from '../../../shared/method-schemas';
import { METHODS, unlearnRounds } from '../../../shared/catalog';
import type { ParamSpec, Weights } from '../types';
import { trainOnRemaining, type UnlearningMethod } from './types';

type NotConfig = Extract<MethodConfig, { id: 'not' }>;

/** Indices of the tensors NoT negates: the first layer's weight, and its bias when asked. */
export function firstLayerTensors(specs: readonly ParamSpec[], negateBias: boolean): number[] {
  const w = specs.findIndex((s) => s.shape.length >= 2);
  if (w < 0) throw new Error('NoT: the model has no weight matrix or kernel to negate');
  if (!negateBias) return [w];
  const biasName = specs[w].name.replace(/weight$/, 'bias');
  const b = specs.findIndex((s, i) => i !== w && s.name === biasName);
  return b < 0 ? [w] : [w, b];
}

/** New weights with the chosen tensors negated; every other tensor is copied bit for bit. */
export function negateTensors(weights: Weights, indices: readonly number[]): Weights {
  const chosen = new Set(indices);
  return weights.map((t, i) => (chosen.has(i) ? t.map((v) => -v) : t.slice()));
}

export const not: UnlearningMethod<NotConfig> = {
  id: 'not',
  name: METHODS.not.name,
  reference: METHODS.not.reference,
  async run(ctx, config, stage) {
    const negated = negateTensors(ctx.original, firstLayerTensors(ctx.exp.model.params, config.negateBias));
    return trainOnRemaining(ctx, stage, negated, unlearnRounds(config, ctx.exp.config.training.rounds));
  },
};
