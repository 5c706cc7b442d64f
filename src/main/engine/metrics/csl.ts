/**
 * Cumulative sample loss (CSL) as a memorization proxy, paper Appendix H.2 (Ravikumar et al. 2025):
 *   CSL(x_i, y_i) = sum_{t=0}^{T_max} L(Phi_G^t, (x_i, y_i))            (Eq. 15)
 * and its agreement with the memorization score: the paper reports a cosine similarity of 0.82 and
 * an 82% overlap of the top-20% sets on CIFAR-10 IID.
 *
 * - cosine similarity is taken on the raw vectors (no centring), as the paper states it;
 * - the top-f set of a score is chosen by the GME rank rule (descending, ties by example id
 *   ascending, k = ceil(f * n)), so CSL's top 20% is comparable to the (80%, 100%] groups;
 *   the overlap rate is |A n B| / |A| with |A| = |B| = k;
 * - Pearson and Spearman (average ranks for ties) are given as well; null when a vector is constant.
 */
import { MetricsError, requireFinite, requireSameLength } from './errors';
import { averageRanks, descendingOrder, topCount } from './ranking';

/** Eq. 15: per-example sum of the losses recorded at each checkpoint (one aligned array per checkpoint). */
export function cumulativeSampleLoss(lossesPerCheckpoint: readonly ArrayLike<number>[]): Float64Array {
  if (lossesPerCheckpoint.length === 0) throw new MetricsError('CSL: at least one checkpoint is required');
  const n = requireSameLength('CSL: checkpoints', ...lossesPerCheckpoint);
  const out = new Float64Array(n);
  lossesPerCheckpoint.forEach((l, t) => {
    requireFinite(`CSL: checkpoint ${t}`, l);
    for (let i = 0; i < n; i++) out[i] += l[i];
  });
  return out;
}

/** a.b / (|a| |b|); null if either vector is all zeros. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const n = requireSameLength('cosine similarity', a, b);
  requireFinite('cosine similarity: a', a);
  requireFinite('cosine similarity: b', b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < n; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? null : dot / Math.sqrt(na * nb);
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const n = requireSameLength('pearson', a, b);
  requireFinite('pearson: a', a);
  requireFinite('pearson: b', b);
  if (n === 0) return null;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa === 0 || sbb === 0 ? null : sab / Math.sqrt(saa * sbb);
}

/** Spearman's rho: Pearson on average ranks. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  requireSameLength('spearman', a, b);
  return pearson(averageRanks(a), averageRanks(b));
}

export interface TopOverlap {
  /** Size of each top set: ceil(fraction * n). */
  k: number;
  /** |A n B|. */
  overlap: number;
  /** |A n B| / |A|; null when k = 0. */
  rate: number | null;
  /** Positions of the top-k of a and b, in descending-score order. */
  topA: Int32Array;
  topB: Int32Array;
}

export function topOverlap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  fraction = 0.2,
  ids?: ArrayLike<number>,
): TopOverlap {
  const n = requireSameLength('top overlap', a, b);
  const k = topCount(n, fraction);
  const topA = descendingOrder(a, ids).slice(0, k);
  const topB = descendingOrder(b, ids).slice(0, k);
  const inA = new Uint8Array(n);
  for (const i of topA) inA[i] = 1;
  let overlap = 0;
  for (const i of topB) overlap += inA[i];
  return { k, overlap, rate: k === 0 ? null : overlap / k, topA, topB };
}

export interface CslAgreement {
  cosine: number | null;
  pearson: number | null;
  spearman: number | null;
  topFraction: number;
  topK: number;
  topOverlap: number;
  topOverlapRate: number | null;
}

/** Everything Appendix H.2 reports, for aligned CSL and memorization-score arrays. */
export function cslAgreement(
  csl: ArrayLike<number>,
  memorization: ArrayLike<number>,
  options: { topFraction?: number; ids?: ArrayLike<number> } = {},
): CslAgreement {
  const fraction = options.topFraction ?? 0.2;
  const t = topOverlap(csl, memorization, fraction, options.ids);
  return {
    cosine: cosineSimilarity(csl, memorization),
    pearson: pearson(csl, memorization),
    spearman: spearman(csl, memorization),
    topFraction: fraction,
    topK: t.k,
    topOverlap: t.overlap,
    topOverlapRate: t.rate,
  };
}
