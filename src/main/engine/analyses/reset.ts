/**
 * Reset strategies without fine-tuning (Appendix H.1, Table H8): starting from the original model,
 * re-initialise either the most important parameters for D_u (SalUn's rule: the top share by
 * |gradient of the unlearning clients' loss|) or the most redundant ones for D_r (FedMemEraser's rule:
 * the lowest share by |gradient of the remaining clients' loss|, Algorithm 1), at each configured
 * ratio, and measure accuracy right away: on each GME group of D_u (the table's rows), on D_u, on a
 * sample of D_r and on the test set. Both gradients are Algorithm 1's locate step at the original
 * model (fedmemeraser.ts), and every reset draws its new values from one fresh tensor per parameter,
 * so the two strategies and all ratios differ only in which scalars they replace.
 */
import type { ResetOutcome } from '../../../shared/analysis-results';
import { createRng } from '../rng';
import { meanGradient } from '../unlearning/fedmemeraser';
import { freshInitFromRng, reinitialize } from '../unlearning/selection/reinitialize';
import { selectParameters } from '../unlearning/selection/strategies';
import type { Weights } from '../types';
import { sampleIndices, type Analysis, type AnalysisInput } from './types';

type Accuracy = Omit<ResetOutcome, 'strategy' | 'ratio' | 'resetScalars'>;

async function measure(
  { exp, request, result }: AnalysisInput,
  remaining: Int32Array,
  weights: Weights,
): Promise<Accuracy> {
  const train = { x: exp.dataset.train.x, y: exp.trainLabels };
  const du = await exp.evaluator.run(weights, train, request.unlearn, request.unlearn.length);
  const dr = remaining.length ? (await exp.evaluator.run(weights, train, remaining, remaining.length)).accuracy : null;
  const groupAccuracy = result.groups.map((g) => {
    if (g.members.length === 0) return null;
    let c = 0;
    for (const i of g.members) c += du.perExample.correct[i];
    return c / g.members.length;
  });
  return { remaining: dr, unlearn: du.accuracy, test: (await exp.evaluateTest(weights)).accuracy, groupAccuracy };
}

export const reset: Analysis<'reset'> = {
  id: 'reset',
  async run(input, config) {
    const { exp, request, result, seed } = input;
    const original = input.models.find((m) => m.role === 'original')!.weights;
    const specs = exp.model.params;
    const remainingAll = Int32Array.from(request.remainingByClient.flatMap((idx) => Array.from(idx ?? [])));
    const remaining = sampleIndices(exp, 'analysis-reset/remaining', remainingAll, config.maxRemaining);
    const at = { exp, original };
    const gR = await meanGradient(at, request.remainingClients, request.remainingByClient);
    const gU = await meanGradient(at, request.unlearningClients, request.unlearnByClient);
    const outcomes: ResetOutcome[] = [];
    for (const ratio of config.ratios) {
      for (const strategy of ['important', 'redundant'] as const) {
        const sel = selectParameters(strategy, {
          specs,
          weights: original,
          remainingUpdate: gR,
          unlearningUpdate: gU,
          rho: ratio,
        });
        const fresh = freshInitFromRng(createRng(`${seed}/analysis-reset`));
        const r = reinitialize(original, sel.masks, specs, fresh);
        outcomes.push({ strategy, ratio, resetScalars: r.resetCount, ...(await measure(input, remaining, r.weights)) });
      }
    }
    return {
      groups: result.groups.map((g) => ({ label: g.label, size: g.members.length })),
      original: await measure(input, remaining, original),
      outcomes,
      totalScalars: specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0),
      remainingSample: remaining.length,
    };
  },
};
