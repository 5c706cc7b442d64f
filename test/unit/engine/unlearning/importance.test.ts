import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkAligned,
  flattenMagnitudes,
  includeMinRank,
  locate,
  masksFromFlat,
} from '../../../../src/main/engine/unlearning/selection/importance';
import {
  countForRatio,
  selectAtLeast,
  selectBelow,
  selectHighest,
  selectLowest,
} from '../../../../src/main/engine/unlearning/selection/rank-select';
import { SelectionError } from '../../../../src/main/engine/unlearning/selection/errors';
import { remainingUpdate, specs } from './selection-fixture';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('flattened importance', () => {
  test('|update| of every tensor, concatenated in spec order, with offsets', () => {
    const flat = flattenMagnitudes(specs, remainingUpdate);
    assert.equal(flat.total, 12);
    assert.deepEqual([...flat.offsets], [0, 6, 8]);
    assert.deepEqual([...flat.values], [...f32(0.5, 0.1, 0, 0.3, 0.2, 0.05, 0.1, 0.4, 0.05, 0.7, 0.05, 0.2)]);
    assert.deepEqual(locate(flat, 7), { tensor: 1, index: 1 });
    assert.deepEqual(locate(flat, 8), { tensor: 2, index: 0 });
  });

  test('include() drops tensors; the map back skips them', () => {
    const flat = flattenMagnitudes(specs, remainingUpdate, includeMinRank(2));
    assert.equal(flat.total, 10);
    assert.deepEqual([...flat.offsets], [0, -1, 6]);
    assert.deepEqual(locate(flat, 6), { tensor: 2, index: 0 });
    const sel = new Uint8Array(10);
    sel[0] = 1;
    sel[9] = 1;
    const masks = masksFromFlat(flat, sel);
    assert.deepEqual(
      masks.map((m) => [...m]),
      [
        [1, 0, 0, 0, 0, 0],
        [0, 0],
        [0, 0, 0, 1],
      ],
    );
    assert.throws(() => locate(flat, 10), /outside/);
  });

  test('alignment and finiteness are checked', () => {
    assert.throws(() => flattenMagnitudes(specs, remainingUpdate.slice(0, 2)), /expected 3 tensors, got 2/);
    assert.throws(() => checkAligned(specs, [f32(1), f32(1, 2), f32(1, 2, 3, 4)], 'w'), /w1 has 1 elements/);
    const bad = [remainingUpdate[0], f32(NaN, 0), remainingUpdate[2]];
    assert.throws(() => flattenMagnitudes(specs, bad), SelectionError);
  });
});

describe('exact k-selection', () => {
  test('k lowest / highest with ties at the cut taken by lower flat index', () => {
    // values: 3 1 2 1 1 0 ; ascending with index: 0(5) 1(1) 1(3) 1(4) 2(2) 3(0)
    const v = f32(3, 1, 2, 1, 1, 0);
    assert.deepEqual([...selectLowest(v, 3)], [0, 1, 0, 1, 0, 1]); // 5, then ties 1, 3
    assert.deepEqual([...selectLowest(v, 0)], [0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...selectLowest(v, 9)], [1, 1, 1, 1, 1, 1]);
    // highest 3: 3(0), 2(2), then one of the 1s -> index 1
    assert.deepEqual([...selectHighest(v, 3)], [1, 1, 1, 0, 0, 0]);
    assert.deepEqual([...selectBelow(v, 1)], [0, 0, 0, 0, 0, 1]);
    assert.deepEqual([...selectAtLeast(v, 2)], [1, 0, 1, 0, 0, 0]);
    assert.throws(() => selectLowest(f32(1, NaN), 1), /NaN/);
  });

  test('agrees with a brute-force stable argsort on many ties', () => {
    let s = 12345;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
    const v = Float32Array.from({ length: 2000 }, () => Math.floor(rand() * 20) / 4);
    const asc = [...v.keys()].sort((a, b) => v[a] - v[b] || a - b);
    const desc = [...v.keys()].sort((a, b) => v[b] - v[a] || a - b);
    for (const k of [1, 37, 500, 1999]) {
      const low = selectLowest(v, k);
      const high = selectHighest(v, k);
      assert.deepEqual(
        [...low.keys()].filter((i) => low[i]),
        asc.slice(0, k).sort((a, b) => a - b),
      );
      assert.deepEqual(
        [...high.keys()].filter((i) => high[i]),
        desc.slice(0, k).sort((a, b) => a - b),
      );
    }
  });

  test('countForRatio = floor(rho * n), robust to decimal rounding', () => {
    assert.equal(countForRatio(0.3, 10), 3);
    assert.equal(countForRatio(0.29, 100), 29); // 0.29 * 100 = 28.999999999999996
    assert.equal(countForRatio(0.25, 7), 1);
    assert.equal(countForRatio(1, 7), 7);
    assert.equal(countForRatio(0, 7), 0);
    assert.throws(() => countForRatio(1.5, 7), /rho must be in \[0, 1\]/);
    assert.throws(() => countForRatio(NaN, 7), /rho/);
  });
});
