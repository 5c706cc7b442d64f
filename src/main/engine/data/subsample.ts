/**
 * Stratified, seeded subsampling: keep each class's share of the split, hit the requested total exactly.
 */
import { stratifiedQuotas } from '../../../shared/data-limits';
import type { Rng } from '../rng';
import type { ImageSplit } from '../types';

/**
 * Chooses n indices of `labels` so that each class keeps its proportion (stratifiedQuotas: floor(n * c_k / N),
 * the remaining slots to the largest fractional parts, ties to the lower class id). Which examples
 * of a class are kept is a seeded shuffle. Returns indices in ascending order; n >= N returns every index.
 */
export function stratifiedIndices(labels: Int32Array, n: number, rng: Rng): Int32Array {
  const total = labels.length;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`subsample size must be a non-negative integer, got ${n}`);
  if (n >= total) return Int32Array.from({ length: total }, (_, i) => i);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < total; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  // Quotas never exceed a class (shared/data-limits.ts), and they are what main's checks count on.
  const quota = stratifiedQuotas(
    classes.map((k) => byClass.get(k)!.length),
    n,
  );
  const out: number[] = [];
  classes.forEach((k, j) => {
    const members = rng.fork(k).shuffle(byClass.get(k)!.slice());
    for (let i = 0; i < quota[j]; i++) out.push(members[i]);
  });
  return Int32Array.from(out).sort();
}

/** Copies the chosen examples (in the given order) into a new split. */
export function takeExamples(split: ImageSplit, indices: Int32Array): ImageSplit {
  const size = split.n > 0 ? split.x.length / split.n : 0;
  const x = new Float32Array(indices.length * size);
  const y = new Int32Array(indices.length);
  indices.forEach((src, i) => {
    x.set(split.x.subarray(src * size, (src + 1) * size), i * size);
    y[i] = split.y[src];
  });
  return { x, y, n: indices.length };
}

/** A stratified subsample of n examples, plus the original index of each kept example. */
export function subsampleSplit(split: ImageSplit, n: number, rng: Rng): { split: ImageSplit; indices: Int32Array } {
  const indices = stratifiedIndices(split.y, n, rng);
  return { split: takeExamples(split, indices), indices };
}
