import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  cosineSimilarity,
  cslAgreement,
  cumulativeSampleLoss,
  pearson,
  spearman,
  topOverlap,
} from '../../../../src/main/engine/metrics/csl';

const close = (a: number | null, b: number, eps = 1e-12) =>
  assert.ok(a !== null && Math.abs(a - b) <= eps, `${a} != ${b}`);

describe('CSL (Appendix H.2)', () => {
  test('Eq. 15: per-example sum over checkpoints', () => {
    // example 0: 2 + 1 + 0.5 = 3.5; example 1: 0.1 + 0.1 + 0.1 = 0.3
    const csl = cumulativeSampleLoss([
      [2, 0.1],
      [1, 0.1],
      [0.5, 0.1],
    ]);
    close(csl[0], 3.5);
    close(csl[1], 0.30000000000000004, 1e-15);
    assert.throws(() => cumulativeSampleLoss([]), /at least one/);
    assert.throws(() => cumulativeSampleLoss([[1, 2], [1]]), /aligned/);
  });

  test('cosine similarity on raw vectors', () => {
    // a = (1, 2, 2), b = (2, 0, 1): a.b = 2 + 0 + 2 = 4; |a| = 3, |b| = sqrt 5 -> 4 / (3 sqrt 5)
    close(cosineSimilarity([1, 2, 2], [2, 0, 1]), 4 / (3 * Math.sqrt(5)));
    close(cosineSimilarity([1, 2], [2, 4]), 1);
    assert.equal(cosineSimilarity([0, 0], [1, 2]), null);
  });

  test('pearson and spearman', () => {
    // a = (1,2,3,4), b = (2,4,5,9): means 2.5, 5; da = (-1.5,-.5,.5,1.5), db = (-3,-1,0,4)
    // sab = 4.5 + .5 + 0 + 6 = 11; saa = 5; sbb = 9 + 1 + 0 + 16 = 26 -> 11 / sqrt(130)
    close(pearson([1, 2, 3, 4], [2, 4, 5, 9]), 11 / Math.sqrt(130));
    close(spearman([1, 2, 3, 4], [2, 4, 5, 9]), 1); // monotone
    // ties: b ranks (1, 2.5, 2.5, 4) vs a ranks (1,2,3,4): da = (-1.5,-.5,.5,1.5), db = (-1.5,0,0,1.5)
    // sab = 2.25 + 2.25 = 4.5; saa = 5; sbb = 4.5 -> 4.5 / sqrt(22.5)
    close(spearman([1, 2, 3, 4], [0, 7, 7, 9]), 4.5 / Math.sqrt(22.5));
    assert.equal(pearson([1, 1, 1], [1, 2, 3]), null);
  });

  test('top-20% overlap with deterministic ties', () => {
    // n = 10 -> k = ceil(0.2 * 10) = 2
    // csl top 2: positions 9 (score 10), 8 (9)
    // mem top 2: position 9 (0.9) and then the tie at 0.5 between positions 1 and 4 -> lower id (1)
    const csl = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const mem = [0, 0.5, 0, 0, 0.5, 0, 0, 0, 0.1, 0.9];
    const t = topOverlap(csl, mem);
    assert.equal(t.k, 2);
    assert.deepEqual([...t.topA], [9, 8]);
    assert.deepEqual([...t.topB], [9, 1]);
    assert.equal(t.overlap, 1);
    assert.equal(t.rate, 0.5);
    // with ids making position 4 the smaller id, the tie goes the other way
    const ids = [0, 7, 1, 2, 3, 4, 5, 6, 8, 9];
    assert.deepEqual([...topOverlap(csl, mem, 0.2, ids).topB], [9, 4]);
    assert.equal(topOverlap([], [], 0.2).rate, null);
  });

  test('cslAgreement bundles everything', () => {
    const a = cslAgreement([1, 2, 3, 4, 5], [0.1, 0.2, 0.3, 0.4, 0.5], { topFraction: 0.4 });
    close(a.spearman, 1);
    close(a.pearson, 1);
    assert.equal(a.topK, 2);
    assert.equal(a.topOverlap, 2);
    assert.equal(a.topOverlapRate, 1);
  });
});
