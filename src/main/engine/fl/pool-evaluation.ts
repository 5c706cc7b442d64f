/**
 * Evaluation on the training pool's workers: between rounds they sit idle while the engine's own thread evaluates
 * the round's model on the test set (and, at the end, every model on the forgotten and remaining examples). Split
 * in contiguous chunks, one per worker, the same examples are evaluated on all cores at once. Each example's
 * result depends only on the weights and that example (a forward pass has no cross-example reduction), and the
 * chunks are put back in order, so the per-example results and their sums are the ones one thread computes.
 */
import type { LabelledImages } from './client-trainer';
import type { PerExample } from './evaluate';

/** Below this many examples per worker, posting the weights costs more than the split saves. */
export const MIN_EXAMPLES_PER_WORKER = 64;

/** The examples (`indices`, or 0..count-1) in at most `parts` contiguous chunks of near-equal size, in order. */
export function splitExamples(indices: Int32Array | null, count: number, parts: number): Int32Array[] {
  const all = indices ?? Int32Array.from({ length: count }, (_, i) => i);
  const chunks = Math.max(1, Math.min(parts, Math.floor(all.length / MIN_EXAMPLES_PER_WORKER)));
  const size = Math.ceil(all.length / chunks);
  const out: Int32Array[] = [];
  for (let start = 0; start < all.length || out.length === 0; start += size) {
    out.push(all.slice(start, Math.min(all.length, start + size)));
  }
  return out;
}

/** The chunks' results as one, in chunk order. */
export function concatPerExample(parts: PerExample[]): PerExample {
  const n = parts.reduce((a, p) => a + p.correct.length, 0);
  const out: PerExample = {
    probTrue: new Float32Array(n),
    correct: new Uint8Array(n),
    loss: new Float32Array(n),
    predicted: new Int32Array(n),
  };
  let at = 0;
  for (const p of parts) {
    out.probTrue.set(p.probTrue, at);
    out.correct.set(p.correct, at);
    out.loss.set(p.loss, at);
    out.predicted.set(p.predicted, at);
    at += p.correct.length;
  }
  return out;
}

/** Which of the workers' two sets `data` is (the very arrays the pool was given), or null. */
export function heldSet(data: LabelledImages, train: LabelledImages, test: LabelledImages | undefined) {
  if (data.x === train.x && data.y === train.y) return 'train' as const;
  if (test && data.x === test.x && data.y === test.y) return 'test' as const;
  return null;
}
