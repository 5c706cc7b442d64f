/**
 * The reset analysis (Table H8) selects with the same rules as FedMemEraser: on the 12-scalar toy model,
 * by-ratio masks of both strategies checked by hand, and the reset replaces exactly those scalars.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reinitialize } from '../../../../src/main/engine/unlearning/selection/reinitialize';
import { selectParameters } from '../../../../src/main/engine/unlearning/selection/strategies';
import { remainingUpdate, specs, unlearningUpdate, weights } from '../unlearning/selection-fixture';

const flatOnes = (masks: Uint8Array[]) => masks.flatMap((m) => [...m]).flatMap((v, i) => (v ? [i] : []));
const pick = (strategy: 'important' | 'redundant', rho: number) =>
  selectParameters(strategy, { specs, weights, remainingUpdate, unlearningUpdate, rho });

test('ratio 0.25 of 12 scalars resets 3: the top |g_u| (important) or the lowest |g_r| (redundant)', () => {
  // |g_u| flat: .9 .1 .8 .2 0 .3 | .9 .5 | .1 .2 .6 .05 -> the three largest are at 0, 2, 6.
  assert.deepEqual(flatOnes(pick('important', 0.25).masks), [0, 2, 6]);
  // |g_r| flat: .5 .1 0 .3 .2 .05 | .1 .4 | .05 .7 .05 .2 -> 0 at 2, then the tied .05 at 5, 8 (10 loses the tie).
  assert.deepEqual(flatOnes(pick('redundant', 0.25).masks), [2, 5, 8]);
});

test('ratio 0 resets nothing and ratio 1 everything, for both strategies', () => {
  for (const s of ['important', 'redundant'] as const) {
    assert.equal(pick(s, 0).selected, 0);
    assert.equal(pick(s, 1).selected, 12);
    const r = reinitialize(weights, pick(s, 0.5).masks, specs, (spec) =>
      new Float32Array(spec.shape.reduce((a, b) => a * b, 1)).fill(99),
    );
    assert.equal(r.resetCount, 6);
    const changed = r.weights.flatMap((t) => [...t]).filter((v) => v === 99).length;
    assert.equal(changed, 6, 'exactly the selected scalars take the fresh values');
  }
});
