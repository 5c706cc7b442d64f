/**
 * Server-side FedAvg maths on plain arrays. Sums run in float64 in a fixed client order, so the
 * result does not depend on which worker finished first (bit-identical across pool sizes).
 */
import type { Weights } from '../types';

/** local - global, per tensor (the authors' notion of a client update). */
export function clientUpdate(local: Weights, global: Weights): Weights {
  return local.map((t, i) => {
    const g = global[i];
    const out = new Float32Array(t.length);
    for (let k = 0; k < t.length; k++) out[k] = t[k] - g[k];
    return out;
  });
}

/**
 * Mean of client updates: unweighted (the authors' code) or weighted by sample counts.
 * `updates` must already be in a canonical order (ascending client id).
 */
export function meanUpdate(updates: Weights[], sampleCounts?: number[]): Weights {
  if (updates.length === 0) throw new Error('cannot average zero client updates');
  const w = sampleCounts ?? updates.map(() => 1);
  if (w.length !== updates.length) throw new Error('one sample count per update is required');
  const total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error('sample counts must sum to a positive number');
  return updates[0].map((_, ti) => {
    const len = updates[0][ti].length;
    const acc = new Float64Array(len);
    for (let c = 0; c < updates.length; c++) {
      const u = updates[c][ti];
      const wc = w[c] / total;
      for (let k = 0; k < len; k++) acc[k] += wc * u[k];
    }
    return Float32Array.from(acc);
  });
}

/** global + delta, as new arrays. */
export function applyUpdate(global: Weights, delta: Weights): Weights {
  return global.map((g, i) => {
    const d = delta[i];
    const out = new Float32Array(g.length);
    for (let k = 0; k < g.length; k++) out[k] = g[k] + d[k];
    return out;
  });
}

export function cloneWeights(w: Weights): Weights {
  return w.map((t) => t.slice());
}

export function weightsAreFinite(w: Weights): boolean {
  return w.every((t) => t.every(Number.isFinite));
}

/** Sum over all tensors of (a - b)^2, in float64. */
export function squaredDistance(a: Weights, b: Weights): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) {
    const x = a[t];
    const y = b[t];
    for (let k = 0; k < x.length; k++) {
      const d = x[k] - y[k];
      s += d * d;
    }
  }
  return s;
}
