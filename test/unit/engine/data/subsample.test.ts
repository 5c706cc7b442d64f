import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { stratifiedQuotas } from '../../../../src/shared/data-limits';
import { createRng } from '../../../../src/main/engine/rng';
import { stratifiedIndices, subsampleSplit } from '../../../../src/main/engine/data/subsample';

/** 500 of class 0, 300 of class 1, 200 of class 2, interleaved. */
function labels(): Int32Array {
  const y: number[] = [];
  for (let i = 0; i < 100; i++) y.push(0, 0, 0, 0, 0, 1, 1, 1, 2, 2);
  return Int32Array.from(y);
}

const counts = (y: Int32Array, idx: Int32Array) => [0, 1, 2].map((k) => idx.filter((i) => y[i] === k).length);

describe('stratified subsample', () => {
  test('keeps class proportions and hits the total exactly', () => {
    const y = labels();
    for (const n of [1, 10, 101, 333, 999]) {
      const idx = stratifiedIndices(y, n, createRng(1));
      assert.equal(idx.length, n);
      assert.equal(new Set(idx).size, n, 'no duplicates');
      const c = counts(y, idx);
      [0.5, 0.3, 0.2].forEach((p, k) => assert.ok(Math.abs(c[k] - p * n) < 1, `n=${n} class ${k}: ${c[k]}`));
    }
    assert.deepEqual(counts(y, stratifiedIndices(y, 101, createRng(1))), [51, 30, 20]);
  });

  test('is deterministic, seed-dependent and ascending', () => {
    const y = labels();
    const a = stratifiedIndices(y, 100, createRng(5));
    assert.deepEqual(a, stratifiedIndices(y, 100, createRng(5)));
    assert.notDeepEqual(a, stratifiedIndices(y, 100, createRng(6)));
    for (let i = 1; i < a.length; i++) assert.ok(a[i] > a[i - 1]);
  });

  test('n at or above the split size keeps everything', () => {
    const y = labels();
    assert.equal(stratifiedIndices(y, 1000, createRng(1)).length, 1000);
    assert.equal(stratifiedIndices(y, 5000, createRng(1)).length, 1000);
    assert.throws(() => stratifiedIndices(y, -1, createRng(1)), RangeError);
  });

  test('subsampleSplit copies the chosen images and labels', () => {
    const y = labels();
    const x = Float32Array.from({ length: 1000 * 2 }, (_, i) => i);
    const { split, indices } = subsampleSplit({ x, y, n: 1000 }, 50, createRng(2));
    assert.equal(split.n, 50);
    indices.forEach((src, i) => {
      assert.equal(split.y[i], y[src]);
      assert.deepEqual([...split.x.subarray(2 * i, 2 * i + 2)], [2 * src, 2 * src + 1]);
    });
  });
});

test("stratifiedQuotas are the class counts of the engine's stratified subsample (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 60 }),
      fc.nat(70),
      fc.nat(),
      (labels, n, seed) => {
        const y = Int32Array.from(labels);
        const numClasses = Math.max(...labels) + 1;
        const counts = Array.from({ length: numClasses }, (_, k) => labels.filter((l) => l === k).length);
        const drawn = new Array(numClasses).fill(0);
        for (const i of stratifiedIndices(y, n, createRng(seed))) drawn[y[i]]++;
        assert.deepEqual(stratifiedQuotas(counts, n), drawn);
      },
    ),
    { numRuns: 300 },
  );
});
