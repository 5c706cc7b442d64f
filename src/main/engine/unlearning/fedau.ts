/**
 * FedAU (Gu et al. 2024, "Unlearning during Learning: An Efficient Federated Machine Unlearning
 * Method", IJCAI 2024; code: Liar-Mask/FedAU). During the original training an auxiliary copy of the
 * last layer (the code's `classifier_ul`, a linear layer on the penultimate features) learns the main
 * labels except on the data to forget, which carry random labels; unlearning is then a linear
 * operation on the two heads, with no further training:
 *
 *   W_u = (1 - alpha) W_main + alpha W_aux,   b_u likewise;   every other tensor unchanged.
 *
 * Where this follows the public code (main_zgx.py, trainer_private.py, dataset.py):
 *  - the combination and alpha = 0.9 are its `ul_samples` rule (`ul_samples_alpha`); its multi-client
 *    loop overwrites instead of summing the heads, here the intended mean of the heads is used;
 *  - random labels: one per example to forget, drawn once, uniform over the other classes; every
 *    other example keeps its own label for the auxiliary head too (the code's one-hot pairs);
 *  - auxClients 'forgetting' is its scheme: only clients holding data to forget train the head.
 * Where it departs, and why:
 *  - the head trains on stop-gradient features with its own optimizer (fl/aux-head.ts). The code sums
 *    both heads' losses, so its backbone also learns from the random labels; here the original model
 *    stays bit-identical with or without FedAU, so every method in a run starts from the same model;
 *  - auxClients 'all' (default): every client trains the head and FedAvg aggregates it like the model,
 *    so class and example requests spread over many clients are handled the same way as client ones;
 *  - the code's class mode (auxiliary label = the forgotten class on every example, W_main - W_aux)
 *    and its client-mode pull of the head toward the main one (ul_client_gamma) are not offered.
 * The text of the paper was not available when this was written; the combination is the code's.
 */
import type { MethodConfig } from '../../../shared/method-schemas';
import { METHODS } from '../../../shared/catalog';
import { auxLabels, initAuxHead } from '../fl/aux-head';
import type { AuxHeadOptions } from '../fl/fedavg';
import type { ExperimentContext } from '../prepare';
import { createRng } from '../rng';
import type { ModelDef, Weights } from '../types';
import type { ResolvedRequest } from './request';
import { recordOperation, type UnlearningMethod } from './types';

type FedauConfig = Extract<MethodConfig, { id: 'fedau' }>;

/** (1 - alpha) main + alpha aux, element by element (in float64, rounded once to float32). */
export function combineHeads(main: Float32Array, aux: Float32Array, alpha: number): Float32Array {
  if (main.length !== aux.length)
    throw new Error(`FedAU: head tensors differ in size (${main.length} vs ${aux.length})`);
  const out = new Float32Array(main.length);
  for (let k = 0; k < out.length; k++) out[k] = (1 - alpha) * main[k] + alpha * aux[k];
  return out;
}

/** The unlearned model: the original with its final layer replaced by the combination; the rest copied. */
export function fedauWeights(original: Weights, head: ModelDef['head'], aux: Weights, alpha: number): Weights {
  return original.map((t, i) => {
    if (i === head.weight) return combineHeads(t, aux[0], alpha);
    if (i === head.bias) return combineHeads(t, aux[1], alpha);
    return t.slice();
  });
}

/** How the original training trains the auxiliary head for this request (seeded from the run seed). */
export function auxHeadOptions(
  exp: ExperimentContext,
  request: ResolvedRequest,
  config: FedauConfig,
  seed: string,
): AuxHeadOptions {
  const rng = createRng(`${seed}/fedau`);
  return {
    initial: initAuxHead(exp.model, rng.fork('init')),
    labels: auxLabels(exp.trainLabels, request.unlearn, exp.model.numClasses, rng.fork('labels')),
    clients: config.auxClients === 'all' ? null : new Set(request.unlearningClients),
  };
}

export const fedau: UnlearningMethod<FedauConfig> = {
  id: 'fedau',
  name: METHODS.fedau.name,
  reference: METHODS.fedau.reference,
  async run(ctx, config, stage) {
    if (!ctx.auxHead)
      throw new Error('FedAU: no auxiliary head was trained; it must be switched on before the original training');
    const t0 = performance.now();
    const weights = fedauWeights(ctx.original, ctx.exp.model.head, ctx.auxHead, config.alpha);
    return { weights, rounds: [await recordOperation(ctx, stage, weights, performance.now() - t0)] };
  },
};
