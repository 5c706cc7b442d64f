/**
 * "Localized" selection (Torkzadehmahani et al. 2024), as the paper's Appendix F.3 uses it: "chooses
 * channel-wise neurons with the highest magnitude of the weighted gradient (the product of parameters
 * and gradients)". Following the authors' find_critic_neurons_by_local_strategy:
 *   - only weight tensors of rank >= 2 take part (biases and norm affines are skipped);
 *   - per scalar, score = |theta * g_u| with theta the current global model and g_u the unlearning
 *     clients' update (so it needs D_u, like SalUn);
 *   - each OUTPUT channel is scored by the mean of its top-h scalar scores (h = 5 by default,
 *     h = min(h, scalars per channel));
 *   - in every tensor independently, the floor(rho * channels) highest-scoring channels are reset
 *     whole (ties: lower channel index first).
 * Our layouts put the output channel LAST ([KH,KW,Cin,Cout] for convs, [in,out] for dense layers;
 * torch puts it first), so element i of a tensor belongs to channel i % Cout.
 */
import { checkAligned, includeAll, numElements } from './importance';
import { SelectionError } from './errors';
import { countForRatio } from './rank-select';
import type { SelectionInput, SelectionResult } from './types';

/** Score of each output channel: mean of the top-h values of |theta * g| within the channel. */
export function channelScores(theta: Float32Array, g: Float32Array, channels: number, topH: number): Float64Array {
  const perChannel = theta.length / channels;
  const h = Math.min(topH, perChannel);
  const scores = new Float64Array(channels);
  const buf = new Float64Array(perChannel);
  for (let c = 0; c < channels; c++) {
    for (let j = 0; j < perChannel; j++) {
      const i = j * channels + c;
      buf[j] = Math.abs(theta[i] * g[i]);
    }
    buf.sort(); // ascending
    let s = 0;
    for (let j = perChannel - h; j < perChannel; j++) s += buf[j];
    scores[c] = s / h;
  }
  return scores;
}

export function selectLocalized(input: SelectionInput): SelectionResult {
  const { specs, weights, unlearningUpdate, rho } = input;
  const include = input.include ?? includeAll;
  const topH = input.topH ?? 5;
  if (!unlearningUpdate)
    throw new SelectionError("localized selection needs the unlearning clients' update (unlearningUpdate)");
  if (rho === undefined)
    throw new SelectionError("localized selection needs rho (a fraction of each tensor's channels)");
  if (input.gamma !== undefined) throw new SelectionError('localized selection takes rho only, not gamma');
  if (!Number.isInteger(topH) || topH < 1) throw new SelectionError(`topH must be an integer >= 1 (got ${topH})`);
  checkAligned(specs, weights, 'weights', true);
  checkAligned(specs, unlearningUpdate, 'unlearningUpdate', true);
  let selected = 0;
  let candidates = 0;
  let requested = 0;
  const masks = specs.map((spec, t) => {
    const mask = new Uint8Array(numElements(spec.shape));
    if (spec.shape.length < 2 || !include(spec, t)) return mask;
    const channels = spec.shape[spec.shape.length - 1];
    candidates += mask.length;
    const k = countForRatio(rho, channels);
    requested += k * (mask.length / channels);
    if (k === 0) return mask;
    const scores = channelScores(weights[t], unlearningUpdate[t], channels, topH);
    const order = Array.from({ length: channels }, (_, c) => c).sort((a, b) => scores[b] - scores[a] || a - b);
    for (let r = 0; r < k; r++) {
      for (let i = order[r]; i < mask.length; i += channels) mask[i] = 1;
    }
    selected += k * (mask.length / channels);
    return mask;
  });
  return { masks, selected, candidates, requested };
}
