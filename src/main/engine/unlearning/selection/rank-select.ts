/**
 * Exact, deterministic k-smallest / k-largest selection over a flat Float32Array of scores.
 * Ties are broken by flat index ascending: among equal scores at the cut, the lower flat index (the
 * earlier tensor in ParamSpec order, then the earlier element) is taken first. Implemented as one
 * native sort of a copy (to find the cut value) plus linear scans, so it stays fast at ResNet-34 size
 * (21M scalars) without a comparator sort of indices.
 */
import { SelectionError } from './errors';

/**
 * k = floor(rho * n), the authors' int(len * ratio), with a 1e-9 * n tolerance so that a ratio the
 * user wrote in decimal (0.29 * 100 = 28.999999999999996 in floats) gives the count they meant (29).
 */
export function countForRatio(rho: number, n: number): number {
  if (!(rho >= 0 && rho <= 1)) throw new SelectionError(`rho must be in [0, 1] (got ${rho})`);
  return Math.min(n, Math.floor(rho * n + 1e-9 * n));
}

function checkScores(scores: Float32Array): void {
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new SelectionError(`score at flat index ${i} is NaN`);
  }
}

/** 0/1 mask of the k lowest scores (ties at the cut: lowest flat index first). */
export function selectLowest(scores: Float32Array, k: number): Uint8Array {
  return selectK(scores, k, 'lowest');
}

/** 0/1 mask of the k highest scores (ties at the cut: lowest flat index first). */
export function selectHighest(scores: Float32Array, k: number): Uint8Array {
  return selectK(scores, k, 'highest');
}

/**
 * One native sort of a copy finds the k-th value (the cut); a linear pass takes everything strictly
 * beyond it, a second pass fills up with ties at the cut in flat-index order.
 */
function selectK(scores: Float32Array, k: number, end: 'lowest' | 'highest'): Uint8Array {
  checkScores(scores);
  const n = scores.length;
  const out = new Uint8Array(n);
  if (k <= 0) return out;
  if (k >= n) return out.fill(1);
  const sorted = Float32Array.from(scores).sort();
  const cut = end === 'lowest' ? sorted[k - 1] : sorted[n - k];
  const beyond = end === 'lowest' ? (v: number) => v < cut : (v: number) => v > cut;
  let taken = 0;
  for (let i = 0; i < n; i++) {
    if (beyond(scores[i])) {
      out[i] = 1;
      taken++;
    }
  }
  for (let i = 0; i < n && taken < k; i++) {
    if (scores[i] === cut) {
      out[i] = 1;
      taken++;
    }
  }
  return out;
}

/** 0/1 mask of scores strictly below gamma (Eq. 12: g_r(theta) < gamma). */
export function selectBelow(scores: Float32Array, gamma: number): Uint8Array {
  checkScores(scores);
  return Uint8Array.from(scores, (s) => (s < gamma ? 1 : 0));
}

/** 0/1 mask of scores at or above gamma (SalUn's saliency threshold). */
export function selectAtLeast(scores: Float32Array, gamma: number): Uint8Array {
  checkScores(scores);
  return Uint8Array.from(scores, (s) => (s >= gamma ? 1 : 0));
}

export function countOnes(mask: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < mask.length; i++) c += mask[i];
  return c;
}
