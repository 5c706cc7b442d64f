import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  freshInitFromRng,
  reinitialize,
  resetLayers,
} from '../../../../src/main/engine/unlearning/selection/reinitialize';
import { selectParameters } from '../../../../src/main/engine/unlearning/selection/strategies';
import { createRng } from '../../../../src/main/engine/rng';
import type { ParamSpec } from '../../../../src/main/engine/types';
import { remainingUpdate, specs } from './selection-fixture';

const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe('reinitialize (Stage 2)', () => {
  // Values chosen to catch any non-bitwise copy: -0, a subnormal, and ordinary numbers.
  const original = [
    Float32Array.from([-0, 1e-40, 3, 4, 5, 6]),
    Float32Array.from([7, -0]),
    Float32Array.from([9, 10, 11, 12]),
  ];
  // fresh tensor of tensor t holds 100 * (t + 1) + element index, so every replacement is traceable
  const calls: string[] = [];
  const fresh = (spec: ParamSpec, t: number) => {
    calls.push(spec.name);
    return Float32Array.from({ length: spec.shape.reduce((a, b) => a * b, 1) }, (_, i) => 100 * (t + 1) + i);
  };

  test('exactly the masked scalars change, to the same element of the fresh tensor', () => {
    calls.length = 0;
    const masks = [Uint8Array.from([1, 0, 0, 1, 0, 0]), Uint8Array.from([0, 0]), Uint8Array.from([0, 0, 0, 1])];
    const before = original.map((t) => t.slice());
    const r = reinitialize(original, masks, specs, fresh);
    // t0[0] <- 100, t0[3] <- 103; t2[3] <- 303; everything else bit-identical
    assert.deepEqual(
      [...r.weights[0]],
      [100, 1e-40, 3, 103, 5, 6].map((v) => Math.fround(v)),
    );
    assert.deepEqual([...r.weights[2]], [9, 10, 11, 303]);
    for (let t = 0; t < 3; t++) {
      const b = bits(r.weights[t]);
      const o = bits(original[t]);
      for (let i = 0; i < o.length; i++) if (!masks[t][i]) assert.equal(b[i], o[i], `tensor ${t} element ${i}`);
    }
    assert.equal(bits(r.weights[1])[1], bits(original[1])[1]); // -0 stays -0
    assert.equal(r.resetCount, 3);
    assert.deepEqual(r.perTensor, [2, 0, 1]);
    // fresh tensors are drawn only where something is reset
    assert.deepEqual(calls, ['w1', 'w2']);
    // inputs untouched, outputs are new arrays
    original.forEach((t, i) => assert.deepEqual(bits(t), bits(before[i])));
    r.weights.forEach((t, i) => assert.notEqual(t, original[i]));
  });

  test('with a selection strategy: the redundant mask drives the reset', () => {
    const sel = selectParameters('redundant', { specs, weights: original, remainingUpdate, rho: 0.25 });
    const r = reinitialize(original, sel.masks, specs, fresh);
    assert.equal(r.resetCount, sel.selected);
    // flat 2, 5 (t0) and 8 (t2[0]) were selected
    assert.deepEqual(
      [...r.weights[0]].map((v, i) => (v === original[0][i] || Object.is(v, original[0][i]) ? '=' : v)),
      ['=', '=', 102, '=', '=', 105],
    );
    assert.equal(r.weights[2][0], 300);
  });

  test('freshInitFromRng is deterministic and follows the spec (Kaiming bound sqrt(6 / fan_in))', () => {
    const masks = [new Uint8Array(6).fill(1), new Uint8Array(2).fill(1), new Uint8Array(4)];
    const a = reinitialize(original, masks, specs, freshInitFromRng(createRng(7)));
    const b = reinitialize(original, masks, specs, freshInitFromRng(createRng(7)));
    assert.deepEqual(a.weights, b.weights);
    const bound = Math.sqrt(6 / 3); // w1 is [3, 2]: fan_in 3
    for (const v of a.weights[0]) assert.ok(Math.abs(v) <= bound);
    for (const v of a.weights[1]) assert.ok(Math.abs(v) <= 0.1);
    const c = reinitialize(original, masks, specs, freshInitFromRng(createRng(8)));
    assert.notDeepEqual(a.weights[0], c.weights[0]);
  });

  test('resetLayers: each tensor with its size and how many of its scalars the mask reset', () => {
    // Hand-worked: w1 [3,2] masked at 0, 3 and 5 -> 3 of 6; b1 [2] untouched -> 0 of 2; w2 [2,2] all -> 4 of 4.
    const masks = [Uint8Array.from([1, 0, 0, 1, 0, 1]), Uint8Array.from([0, 0]), Uint8Array.from([1, 1, 1, 1])];
    const r = reinitialize(original, masks, specs, fresh);
    const layers = resetLayers(specs, r.perTensor);
    assert.deepEqual(layers, [
      { name: 'w1', shape: [3, 2], scalars: 6, reset: 3 },
      { name: 'b1', shape: [2], scalars: 2, reset: 0 },
      { name: 'w2', shape: [2, 2], scalars: 4, reset: 4 },
    ]);
    assert.equal(
      layers.reduce((a, l) => a + l.reset, 0),
      r.resetCount,
      'the layers add up to the total reset',
    );
    assert.throws(() => resetLayers(specs, [1, 2]), /expected 3, got 2/);
  });

  test('validation', () => {
    const ok = [new Uint8Array(6), new Uint8Array(2), new Uint8Array(4)];
    assert.throws(() => reinitialize(original, ok.slice(1), specs, fresh), /masks: expected 3/);
    assert.throws(() => reinitialize(original, [new Uint8Array(5), ok[1], ok[2]], specs, fresh), /mask of w1 has 5/);
    assert.throws(
      () => reinitialize(original, [Uint8Array.from([2, 0, 0, 0, 0, 0]), ok[1], ok[2]], specs, fresh),
      /expected 0\/1/,
    );
    const short = () => new Float32Array(1);
    assert.throws(
      () => reinitialize(original, [Uint8Array.from([1, 0, 0, 0, 0, 0]), ok[1], ok[2]], specs, short),
      /returned 1 elements/,
    );
  });
});
