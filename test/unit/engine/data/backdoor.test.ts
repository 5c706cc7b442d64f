import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../../src/main/engine/rng';
import { injectBackdoor, stampTrigger, triggerOffsets } from '../../../../src/main/engine/data/backdoor';
import type { Partition } from '../../../../src/main/engine/types';

describe('backdoor trigger', () => {
  test('offsets of a 2-pixel square on a 4x5 two-channel image, hand-worked per corner', () => {
    // Offset of (row r, column c, channel ch) = (r * 5 + c) * 2 + ch.
    assert.deepEqual(triggerOffsets([4, 5, 2], { size: 2, position: 'top-left' }), [0, 1, 2, 3, 10, 11, 12, 13]);
    assert.deepEqual(
      triggerOffsets([4, 5, 2], { size: 2, position: 'bottom-right' }),
      [26, 27, 28, 29, 36, 37, 38, 39],
    );
    assert.deepEqual(triggerOffsets([4, 5, 1], { size: 1, position: 'top-right' }), [4]);
    assert.deepEqual(triggerOffsets([4, 5, 1], { size: 1, position: 'bottom-left' }), [15]);
    assert.throws(() => triggerOffsets([4, 5, 1], { size: 5, position: 'top-left' }), /between 1 and 4 pixels/);
  });

  test('stamps exactly the trigger pixels of exactly the chosen images, to the maximum value', () => {
    const x = new Float32Array(3 * 9).fill(0.25); // three 3x3 grey images
    const out = stampTrigger(x, [3, 3, 1], { size: 2, position: 'bottom-right' }, [1]);
    assert.equal(x[13], 0.25, 'input untouched');
    const expected = Array.from(x);
    for (const o of [4, 5, 7, 8]) expected[9 + o] = 1;
    assert.deepEqual(Array.from(out), expected);
  });

  test('chooses round(share * size) of the chosen clients only, relabels them, seeded', () => {
    const n = 40;
    const x = new Float32Array(n * 4).map((_, i) => (i % 7) / 10); // 2x2 images
    const y = Int32Array.from({ length: n }, (_, i) => i % 10);
    const partition: Partition = {
      clients: [Int32Array.from({ length: 20 }, (_, i) => 2 * i), Int32Array.from({ length: 20 }, (_, i) => 2 * i + 1)],
      classCounts: [],
    };
    const r = injectBackdoor(
      x,
      y,
      [2, 2, 1],
      partition,
      [1],
      0.3,
      7,
      { size: 1, position: 'top-left' },
      10,
      createRng(5),
    );
    const chosen = [...r.triggered.keys()].filter((i) => r.triggered[i]);
    assert.equal(chosen.length, 6, 'round(0.3 * 20)');
    assert.ok(
      chosen.every((i) => i % 2 === 1),
      'only client 1',
    );
    for (let i = 0; i < n; i++) {
      assert.equal(r.labels[i], r.triggered[i] ? 7 : y[i]);
      for (let o = 0; o < 4; o++)
        assert.equal(r.x[i * 4 + o], r.triggered[i] && o === 0 ? 1 : x[i * 4 + o], `image ${i} pixel ${o}`);
    }
    const again = injectBackdoor(
      x,
      y,
      [2, 2, 1],
      partition,
      [1],
      0.3,
      7,
      { size: 1, position: 'top-left' },
      10,
      createRng(5),
    );
    assert.deepEqual(again.triggered, r.triggered);
    const other = injectBackdoor(
      x,
      y,
      [2, 2, 1],
      partition,
      [1],
      0.3,
      7,
      { size: 1, position: 'top-left' },
      10,
      createRng(6),
    );
    assert.notDeepEqual(other.triggered, r.triggered);
    assert.throws(
      () =>
        injectBackdoor(x, y, [2, 2, 1], partition, [2], 0.3, 7, { size: 1, position: 'top-left' }, 10, createRng(5)),
      /client 2/,
    );
    assert.throws(
      () =>
        injectBackdoor(x, y, [2, 2, 1], partition, [0], 0.3, 10, { size: 1, position: 'top-left' }, 10, createRng(5)),
      /target class/,
    );
  });
});
