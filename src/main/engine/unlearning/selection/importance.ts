/**
 * Per-scalar importance |mean update| flattened across all parameter tensors, with the map back to
 * (tensor, element). FedMemEraser (paper Section 6.2, Eqs. 12-13; Algorithm 1 step 5) ranks every
 * scalar of the model together by |g_r(theta)|, the magnitude of the remaining clients' mean update.
 *
 * Which tensors take part is the caller's choice through `include(spec, index)`; the default is every
 * parameter tensor. (The authors skip norm-layer running statistics; those are buffers, and our
 * GroupNorm has none, so nothing needs excluding by default.)
 */
import type { ParamSpec, Weights } from '../../types';
import { SelectionError } from './errors';

export type IncludeFn = (spec: ParamSpec, index: number) => boolean;

export const includeAll: IncludeFn = () => true;

/** Only tensors of rank >= minRank (e.g. 2: conv kernels and dense matrices, not biases or norm affines). */
export const includeMinRank =
  (minRank: number): IncludeFn =>
  (spec) =>
    spec.shape.length >= minRank;

export interface FlatMagnitudes {
  /** |update| of every included scalar, tensors concatenated in spec order. */
  values: Float32Array;
  /** Start of tensor t inside `values`, or -1 if tensor t is excluded. */
  offsets: Int32Array;
  /** Element count of every tensor (included or not). */
  sizes: Int32Array;
  /** values.length. */
  total: number;
}

export function numElements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Throws unless `w` has one tensor per spec with the spec's element count (and, if asked, finite values). */
export function checkAligned(specs: readonly ParamSpec[], w: Weights, what: string, finite = false): void {
  if (w.length !== specs.length) throw new SelectionError(`${what}: expected ${specs.length} tensors, got ${w.length}`);
  specs.forEach((s, t) => {
    const n = numElements(s.shape);
    if (w[t].length !== n)
      throw new SelectionError(`${what}: tensor ${s.name} has ${w[t].length} elements, shape [${s.shape}] needs ${n}`);
    if (finite) {
      const a = w[t];
      for (let k = 0; k < a.length; k++) {
        if (!Number.isFinite(a[k]))
          throw new SelectionError(`${what}: tensor ${s.name} element ${k} is not finite (${a[k]})`);
      }
    }
  });
}

/** |update| of the included tensors, flattened; see FlatMagnitudes. */
export function flattenMagnitudes(
  specs: readonly ParamSpec[],
  update: Weights,
  include: IncludeFn = includeAll,
): FlatMagnitudes {
  checkAligned(specs, update, 'update', true);
  const offsets = new Int32Array(specs.length).fill(-1);
  const sizes = Int32Array.from(specs.map((s) => numElements(s.shape)));
  let total = 0;
  specs.forEach((s, t) => {
    if (include(s, t)) {
      offsets[t] = total;
      total += sizes[t];
    }
  });
  const values = new Float32Array(total);
  specs.forEach((_, t) => {
    const o = offsets[t];
    if (o < 0) return;
    const u = update[t];
    for (let k = 0; k < u.length; k++) values[o + k] = Math.abs(u[k]);
  });
  return { values, offsets, sizes, total };
}

/** (tensor, element) of a flat index. */
export function locate(flat: FlatMagnitudes, flatIndex: number): { tensor: number; index: number } {
  if (!(flatIndex >= 0 && flatIndex < flat.total) || !Number.isInteger(flatIndex)) {
    throw new SelectionError(`flat index ${flatIndex} is outside [0, ${flat.total})`);
  }
  let best = -1;
  for (let t = 0; t < flat.offsets.length; t++) {
    const o = flat.offsets[t];
    if (o >= 0 && o <= flatIndex && flatIndex < o + flat.sizes[t]) best = t;
  }
  return { tensor: best, index: flatIndex - flat.offsets[best] };
}

/** Per-tensor masks from a flat 0/1 selection (excluded tensors get all-zero masks). */
export function masksFromFlat(flat: FlatMagnitudes, selected: Uint8Array): Uint8Array[] {
  if (selected.length !== flat.total)
    throw new SelectionError(`selection has ${selected.length} entries, expected ${flat.total}`);
  return Array.from(flat.sizes, (size, t) => {
    const o = flat.offsets[t];
    return o < 0 ? new Uint8Array(size) : selected.slice(o, o + size);
  });
}
