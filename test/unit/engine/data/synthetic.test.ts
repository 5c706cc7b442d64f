import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../../src/main/engine/rng';
import { generateSynthetic } from '../../../../src/main/engine/data/synthetic';
import type { RawDataset } from '../../../../src/main/engine/data/raw';
import { DATASETS } from '../../../../src/shared/catalog';

/** Accuracy of classifying test examples by the nearest training class mean. */
function nearestMeanAccuracy(d: RawDataset): number {
  const size = d.shape[0] * d.shape[1] * d.shape[2];
  const means = Array.from({ length: d.numClasses }, () => new Float64Array(size));
  const counts = new Array<number>(d.numClasses).fill(0);
  for (let i = 0; i < d.train.n; i++) {
    const m = means[d.train.y[i]];
    counts[d.train.y[i]]++;
    for (let p = 0; p < size; p++) m[p] += d.train.pixels[i * size + p];
  }
  means.forEach((m, k) => m.forEach((v, p) => (m[p] = v / counts[k])));
  let correct = 0;
  for (let i = 0; i < d.test.n; i++) {
    let best = -1;
    let bestDist = Infinity;
    means.forEach((m, k) => {
      let s = 0;
      for (let p = 0; p < size; p++) s += (d.test.pixels[i * size + p] - m[p]) ** 2;
      if (s < bestDist) [best, bestDist] = [k, s];
    });
    if (best === d.test.y[i]) correct++;
  }
  return correct / d.test.n;
}

describe('synthetic dataset', () => {
  test('is deterministic from the seed and differs across seeds', () => {
    const a = generateSynthetic(createRng(1), { trainSize: 200, testSize: 50 });
    const b = generateSynthetic(createRng(1), { trainSize: 200, testSize: 50 });
    assert.deepEqual(a, b);
    const c = generateSynthetic(createRng(2), { trainSize: 200, testSize: 50 });
    assert.notDeepEqual(a.train.pixels, c.train.pixels);
  });

  test('has the requested sizes, shape and balanced classes', () => {
    const d = generateSynthetic(createRng(3), { trainSize: 305, testSize: 40, shape: [16, 12, 3], numClasses: 5 });
    assert.deepEqual(d.shape, [16, 12, 3]);
    assert.equal(d.train.pixels.length, 305 * 16 * 12 * 3);
    const counts = [0, 1, 2, 3, 4].map((k) => d.train.y.filter((v) => v === k).length);
    assert.deepEqual(counts, [61, 61, 61, 61, 61]);
  });

  test('changing the training size leaves the test split unchanged', () => {
    const a = generateSynthetic(createRng(4), { trainSize: 100, testSize: 30 });
    const b = generateSynthetic(createRng(4), { trainSize: 300, testSize: 30 });
    assert.deepEqual(a.test, b.test);
  });

  test('classes are separable but not trivially', () => {
    for (const seed of [1, 2]) {
      const acc = nearestMeanAccuracy(generateSynthetic(createRng(seed), { trainSize: 2000, testSize: 400 }));
      assert.ok(acc > 0.6 && acc < 0.99, `seed ${seed}: nearest-mean accuracy ${acc}`);
    }
  });
});

test("the synthetic generator's defaults are the catalog's facts", () => {
  const raw = generateSynthetic(createRng(1));
  const { train, test, shape, numClasses } = DATASETS.synthetic.facts;
  assert.deepEqual([raw.train.n, raw.test.n, raw.shape, raw.numClasses], [train, test, [...shape], numClasses]);
});
