import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SELECTION_STRATEGIES, selectParameters } from '../../../../src/main/engine/unlearning/selection/strategies';
import { channelScores } from '../../../../src/main/engine/unlearning/selection/localized';
import { includeMinRank } from '../../../../src/main/engine/unlearning/selection/importance';
import type { SelectionInput } from '../../../../src/main/engine/unlearning/selection/types';
import { remainingUpdate, specs, unlearningUpdate, weights } from './selection-fixture';

const base: SelectionInput = { specs, weights, remainingUpdate, unlearningUpdate };
const masks = (r: { masks: Uint8Array[] }) => r.masks.map((m) => [...m]);
const f32 = (...v: number[]) => Float32Array.from(v);

describe('redundant (FedMemEraser, Eqs. 12-13)', () => {
  // |g_r| flat: 0:.5 1:.1 2:0 3:.3 4:.2 5:.05 | 6:.1 7:.4 | 8:.05 9:.7 10:.05 11:.2
  // ascending (ties by flat index): 2(0) 5 8 10(.05) 1 6(.1) 4 11(.2) 3(.3) 7(.4) 0(.5) 9(.7)
  test('rho 0.25 -> k = 3 lowest over ALL tensors: 2, 5, 8 (tie at .05 with 10 goes to lower index)', () => {
    const r = selectParameters('redundant', { ...base, rho: 0.25 });
    assert.deepEqual(masks(r), [
      [0, 0, 1, 0, 0, 1],
      [0, 0],
      [1, 0, 0, 0],
    ]);
    assert.equal(r.selected, 3);
    assert.equal(r.requested, 3);
    assert.equal(r.candidates, 12);
  });

  test('rho 0.5 -> k = 6: 2, 5, 8, 10, 1, 6 (crosses tensors)', () => {
    const r = selectParameters('redundant', { ...base, rho: 0.5 });
    assert.deepEqual(masks(r), [
      [0, 1, 1, 0, 0, 1],
      [1, 0],
      [1, 0, 1, 0],
    ]);
  });

  test('gamma 0.1 -> every |g_r| < 0.1 (strict): 2, 5, 8, 10', () => {
    const r = selectParameters('redundant', { ...base, gamma: 0.1 });
    assert.deepEqual(masks(r), [
      [0, 0, 1, 0, 0, 1],
      [0, 0],
      [1, 0, 1, 0],
    ]);
    assert.equal(r.requested, null);
  });

  test('include() restricts the ranking: rank >= 2 only, N = 10, rho 0.5 -> k = 5', () => {
    // eligible |g_r|: t0 .5 .1 0 .3 .2 .05, t2 .05 .7 .05 .2 -> 0, .05 x3, then .1 (t0[1])
    const r = selectParameters('redundant', { ...base, rho: 0.5, include: includeMinRank(2) });
    assert.deepEqual(masks(r), [
      [0, 1, 1, 0, 0, 1],
      [0, 0],
      [1, 0, 1, 0],
    ]);
    assert.equal(r.candidates, 10);
  });

  test('does not need the unlearning update', () => {
    const r = selectParameters('redundant', { specs, weights, remainingUpdate, rho: 0.25 });
    assert.equal(r.selected, 3);
  });
});

describe('important (SalUn)', () => {
  // |g_u| flat: 0:.9 1:.1 2:.8 3:.2 4:0 5:.3 | 6:.9 7:.5 | 8:.1 9:.2 10:.6 11:.05
  // descending: 0 6 (.9) 2 (.8) 10 (.6) 7 (.5) 5 (.3) 3 9 (.2) ...
  test('rho 1/3 -> k = 4 highest: 0, 6, 2, 10', () => {
    const r = selectParameters('important', { ...base, rho: 1 / 3 });
    assert.deepEqual(masks(r), [
      [1, 0, 1, 0, 0, 0],
      [1, 0],
      [0, 0, 1, 0],
    ]);
  });

  test('rho 7/12 -> k = 7: the tie at .2 (3 vs 9) goes to flat index 3', () => {
    const r = selectParameters('important', { ...base, rho: 7 / 12 });
    assert.deepEqual(masks(r), [
      [1, 0, 1, 1, 0, 1],
      [1, 1],
      [0, 0, 1, 0],
    ]);
  });

  test('gamma 0.5 -> |g_u| >= 0.5', () => {
    const r = selectParameters('important', { ...base, gamma: 0.5 });
    assert.deepEqual(masks(r), [
      [1, 0, 1, 0, 0, 0],
      [1, 1],
      [0, 0, 1, 0],
    ]);
  });

  test('errors without the unlearning update', () => {
    assert.throws(
      () => selectParameters('important', { specs, weights, remainingUpdate, rho: 0.3 }),
      /needs the unlearning clients' update/,
    );
  });
});

describe('deep-layers / shallow-layers (SalUn within a region)', () => {
  // 3 tensors -> default split floor(3/2) = 1: shallow = t0, deep = t1, t2.
  // rho 0.25 -> k = floor(0.25 * 12) = 3 (counted over the whole model)
  test('deep: top 3 of t1, t2 by |g_u|: t1[0] .9, t2[2] .6, t1[1] .5', () => {
    const r = selectParameters('deep-layers', { ...base, rho: 0.25 });
    assert.deepEqual(masks(r), [
      [0, 0, 0, 0, 0, 0],
      [1, 1],
      [0, 0, 1, 0],
    ]);
    assert.equal(r.candidates, 6);
  });

  test('shallow: top 3 of t0: .9 (0), .8 (2), .3 (5)', () => {
    const r = selectParameters('shallow-layers', { ...base, rho: 0.25 });
    assert.deepEqual(masks(r), [
      [1, 0, 1, 0, 0, 1],
      [0, 0],
      [0, 0, 0, 0],
    ]);
  });

  test('k larger than the region resets the whole region and reports the shortfall', () => {
    const r = selectParameters('shallow-layers', { ...base, rho: 0.75 }); // k = 9 > 6
    assert.equal(r.selected, 6);
    assert.equal(r.requested, 9);
  });

  test('splitIndex moves the boundary', () => {
    const r = selectParameters('deep-layers', { ...base, rho: 0.25, splitIndex: 2 }); // region = t2
    // t2 |g_u| = .1 .2 .6 .05 -> top 3: .6, .2, .1
    assert.deepEqual(masks(r), [
      [0, 0, 0, 0, 0, 0],
      [0, 0],
      [1, 1, 1, 0],
    ]);
    assert.throws(() => selectParameters('deep-layers', { ...base, rho: 0.25, splitIndex: 4 }), /splitIndex/);
  });
});

describe('localized (whole output channels by |theta * g_u|)', () => {
  test('channel score = mean of the top-h values; topH changes the winner', () => {
    // theta = 1, g = [2, 3, 2, 0, 2, 0] in a [3, 2] tensor: channel 0 = {2, 2, 2}, channel 1 = {3, 0, 0}
    const theta = f32(1, 1, 1, 1, 1, 1);
    const g = f32(2, 3, 2, 0, 2, 0);
    assert.deepEqual([...channelScores(theta, g, 2, 3)], [2, 1]);
    assert.deepEqual([...channelScores(theta, g, 2, 1)], [2, 3]);
    const w = [theta, f32(0, 0), f32(1, 1, 1, 1)];
    const gu = [g, f32(5, 5), f32(0.1, 0.2, 0.6, -0.05)];
    // t2: channel 0 = {.1, .6} mean .35, channel 1 = {.2, .05} mean .125 -> channel 0
    const input = { ...base, weights: w, unlearningUpdate: gu, rho: 0.5 };
    const r5 = selectParameters('localized', input); // default topH 5 -> h = 3
    assert.deepEqual(masks(r5), [
      [1, 0, 1, 0, 1, 0],
      [0, 0],
      [1, 0, 1, 0],
    ]); // the bias is never touched
    const r1 = selectParameters('localized', { ...input, topH: 1 });
    assert.deepEqual(masks(r1)[0], [0, 1, 0, 1, 0, 1]);
    assert.equal(r5.selected, 5);
  });

  test('floor(rho * channels) per tensor; rho 0.4 of 2 channels resets nothing', () => {
    const r = selectParameters('localized', { ...base, rho: 0.4 });
    assert.equal(r.selected, 0);
  });

  test('needs the unlearning update and rho', () => {
    assert.throws(
      () => selectParameters('localized', { specs, weights, remainingUpdate, rho: 0.5 }),
      /unlearningUpdate/,
    );
    assert.throws(() => selectParameters('localized', { ...base, gamma: 0.5 }), /needs rho/);
  });
});

describe('registry and argument checks', () => {
  test('one entry per id; only redundant works without D_u', () => {
    for (const [id, s] of Object.entries(SELECTION_STRATEGIES)) assert.equal(s.id, id);
    assert.deepEqual(
      Object.values(SELECTION_STRATEGIES)
        .filter((s) => !s.needsUnlearningUpdate)
        .map((s) => s.id),
      ['redundant'],
    );
  });

  test('exactly one of rho / gamma; rho within [0, 1]; aligned inputs', () => {
    assert.throws(() => selectParameters('redundant', base), /exactly one of rho or gamma/);
    assert.throws(() => selectParameters('redundant', { ...base, rho: 0.1, gamma: 0.1 }), /exactly one/);
    assert.throws(() => selectParameters('redundant', { ...base, rho: 1.2 }), /rho must be in/);
    assert.throws(
      () => selectParameters('redundant', { ...base, rho: 0.2, remainingUpdate: remainingUpdate.slice(1) }),
      /remainingUpdate/,
    );
  });
});
