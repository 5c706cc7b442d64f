import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../../src/main/engine/rng';
import { injectLabelNoise } from '../../../../src/main/engine/data/label-noise';
import { partitionIid } from '../../../../src/main/engine/data/partition';

const y = createRng('y').shuffle(Int32Array.from({ length: 1000 }, (_, i) => i % 10));
const partition = partitionIid(y, 7, 10, createRng(1));

describe('label noise', () => {
  test('flips exactly round(rate * size) in chosen clients only, always to another class', () => {
    const before = y.slice();
    const r = injectLabelNoise(y, partition, [1, 4], 0.33, 10, createRng(2));
    assert.deepEqual(y, before, 'input labels untouched');
    assert.deepEqual(r.originalLabels, before);
    partition.clients.forEach((idx, j) => {
      const flipped = [...idx].filter((i) => r.noisy[i] === 1);
      const expected = j === 1 || j === 4 ? Math.round(0.33 * idx.length) : 0;
      assert.equal(flipped.length, expected, `client ${j}`);
      for (const i of idx) {
        if (r.noisy[i]) {
          assert.notEqual(r.labels[i], y[i]);
          assert.ok(r.labels[i] >= 0 && r.labels[i] < 10);
        } else assert.equal(r.labels[i], y[i]);
      }
    });
  });

  test('flipped labels spread over the other classes', () => {
    const r = injectLabelNoise(y, partition, [0, 1, 2, 3, 4, 5, 6], 1, 10, createRng(3));
    const offsets = new Array<number>(10).fill(0);
    for (let i = 0; i < y.length; i++) offsets[(r.labels[i] - y[i] + 10) % 10]++;
    assert.equal(offsets[0], 0);
    for (let k = 1; k < 10; k++) assert.ok(offsets[k] > 60, `offset ${k}: ${offsets[k]}`);
  });

  test('deterministic, and a client’s noise does not depend on the other chosen clients', () => {
    const a = injectLabelNoise(y, partition, [2], 0.5, 10, createRng(9));
    const b = injectLabelNoise(y, partition, [5, 2], 0.5, 10, createRng(9));
    for (const i of partition.clients[2]) {
      assert.equal(a.labels[i], b.labels[i]);
      assert.equal(a.noisy[i], b.noisy[i]);
    }
    assert.notDeepEqual(a.noisy, injectLabelNoise(y, partition, [2], 0.5, 10, createRng(10)).noisy);
  });

  test('rejects unknown clients and bad rates', () => {
    assert.throws(
      () => injectLabelNoise(y, partition, [7], 0.1, 10, createRng(1)),
      /client 7, but clients are numbered 0-6/,
    );
    assert.throws(() => injectLabelNoise(y, partition, [0], 1.5, 10, createRng(1)), /rate must be between 0 and 1/);
  });
});
