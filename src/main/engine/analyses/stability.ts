/**
 * Per-example stability (Appendix G.2, Figure G7): each example of D_u's probability of its (training)
 * label under every one of the J retrained models, sorted by the mean over them, and the share of
 * examples whose probability varies by more than a threshold between models trained on the same data.
 * It reuses the pipeline's assessments, so it costs no evaluation of its own.
 */
import { exampleStability } from '../metrics/example-stability';
import type { Analysis } from './types';

export const stability: Analysis<'stability'> = {
  id: 'stability',
  async run({ request, result }, config) {
    const probs = result.retrained.map((a) => Array.from(a.unlearn.probTrue));
    const s = exampleStability(probs, config.spread, config.threshold);
    return {
      ids: s.order.map((i) => request.unlearn[i]),
      probabilities: probs.map((p) => s.order.map((i) => p[i])),
      mean: s.order.map((i) => s.mean[i]),
      spread: s.order.map((i) => s.spread[i]),
      measure: config.spread,
      threshold: config.threshold,
      unstable: s.unstable,
      unstableShare: s.unstableShare,
    };
  },
};
