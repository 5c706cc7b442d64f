/**
 * Table 1's test (shared/paired-tests.ts): the paired t-test against Student's t with 2 df in closed form, the rule
 * below three pairs and for differences that do not vary, and Holm's adjustment worked by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holmAdjust, MIN_TEST_VALUES, pairedTTest } from '../../../src/shared/paired-tests';

describe('pairedTTest', () => {
  it('equals the closed form for three pairs: differences 1, 2, 3 give t = 2 / (1 / √3), 2 df', () => {
    const r = pairedTTest([11, 22, 33], [10, 20, 30]);
    const t = 2 / (1 / Math.sqrt(3));
    assert.equal(r.n, 3);
    assert.equal(r.df, 2);
    assert.ok(Math.abs(r.t - t) < 1e-12);
    assert.ok(Math.abs(r.p! - (1 - t / Math.sqrt(2 + t * t))) < 1e-12, `${r.p}`);
    // Pairing is by position: the same values in another order are another test.
    assert.notEqual(pairedTTest([33, 22, 11], [10, 20, 30]).p, r.p);
  });

  it('pairs only repeats where both sides have a value, and needs three pairs', () => {
    assert.equal(MIN_TEST_VALUES, 3);
    assert.deepEqual(pairedTTest([1, 2], [0, 0]).p, null);
    const gaps = pairedTTest([11, null, 22, 33, NaN], [10, 5, 20, 30, 1]);
    assert.equal(gaps.n, 3);
    assert.ok(Math.abs(gaps.p! - pairedTTest([11, 22, 33], [10, 20, 30]).p!) < 1e-15);
  });

  it('differences that do not vary: p 0 when they move, 1 when the sides are equal', () => {
    assert.equal(pairedTTest([5, 6, 7], [4, 5, 6]).p, 0);
    assert.equal(pairedTTest([5, 6, 7], [5, 6, 7]).p, 1);
  });
});

describe('holmAdjust', () => {
  it('steps down by hand: 0.01, 0.04, 0.03 of three become 0.03, 0.06, 0.06; untested stay null', () => {
    const out = holmAdjust([0.01, 0.04, null, 0.03]);
    assert.equal(out[2], null);
    // Sorted 0.01, 0.03, 0.04: 3 x 0.01 = 0.03; 2 x 0.03 = 0.06; max(0.06, 1 x 0.04) = 0.06.
    [0.03, 0.06, 0.06].forEach((v, i) => assert.ok(Math.abs(out[[0, 3, 1][i]]! - v) < 1e-15, `${out}`));
  });

  it('never exceeds 1 and keeps the order of the raw p-values', () => {
    const ps = [0.5, 0.2, 0.9, 0.001, 0.04];
    const out = holmAdjust(ps) as number[];
    assert.ok(out.every((p) => p <= 1));
    const order = (xs: number[]) => xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
    assert.deepEqual(order(out), order(ps));
    assert.deepEqual(holmAdjust([]), []);
  });
});
