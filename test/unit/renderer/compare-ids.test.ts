import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canCompare, parseCompareIds, selectedInListOrder } from '../../../src/renderer/src/format/compare-ids';

describe('compare ids', () => {
  it('reads a comma list, trimming, dropping empties and duplicates', () => {
    assert.deepEqual(parseCompareIds('a, b,,a,c '), ['a', 'b', 'c']);
    assert.deepEqual(parseCompareIds(['a,b', 'c']), ['a', 'b', 'c']);
    assert.deepEqual(parseCompareIds(undefined), []);
    assert.deepEqual(parseCompareIds(''), []);
  });
  it('compares 2 to 6 runs', () => {
    assert.deepEqual([0, 1, 2, 6, 7].map(canCompare), [false, false, true, true, false]);
  });
  it('keeps the list order of the selection', () => {
    assert.deepEqual(selectedInListOrder(['r1', 'r2', 'r3'], new Set(['r3', 'r1', 'gone'])), ['r1', 'r3']);
  });
});
