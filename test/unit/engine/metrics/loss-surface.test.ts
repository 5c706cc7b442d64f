import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { interpolate, pathSteps } from '../../../../src/main/engine/metrics/loss-surface';

describe('shortest unlearning path (Appendix H.5)', () => {
  const a = [Float32Array.from([1, -2]), Float32Array.from([0.1])];
  const b = [Float32Array.from([3, 2]), Float32Array.from([0.7])];

  test('interpolate: (1 - t) a + t b, exact at both ends, t outside [0, 1] allowed', () => {
    assert.deepEqual(interpolate(a, b, 0), a);
    assert.deepEqual(interpolate(a, b, 1), b);
    // t = 0.5: (2, 0), (0.4); t = -0.5: 1.5 a - 0.5 b = (1.5 - 1.5, -3 - 1) = (0, -4), (0.15 - 0.35 = -0.2);
    // t = 1.5: -0.5 a + 1.5 b = (-0.5 + 4.5, 1 + 3) = (4, 4), (-0.05 + 1.05 = 1.0)
    assert.deepEqual([...interpolate(a, b, 0.5)[0]], [2, 0]);
    assert.ok(Math.abs(interpolate(a, b, 0.5)[1][0] - 0.4) < 1e-7);
    assert.deepEqual([...interpolate(a, b, -0.5)[0]], [0, -4]);
    assert.ok(Math.abs(interpolate(a, b, -0.5)[1][0] + 0.2) < 1e-7);
    assert.deepEqual([...interpolate(a, b, 1.5)[0]], [4, 4]);
    assert.ok(Math.abs(interpolate(a, b, 1.5)[1][0] - 1.0) < 1e-6);
  });

  test('interpolate returns new arrays and checks shapes', () => {
    const out = interpolate(a, b, 0);
    assert.notEqual(out[0], a[0]);
    assert.throws(() => interpolate(a, [b[0]], 0.5), /2 tensors vs 1/);
    assert.throws(() => interpolate(a, [b[0], Float32Array.from([1, 2])], 0.5), /tensor 1/);
    assert.throws(() => interpolate(a, b, NaN), /finite/);
  });

  test('pathSteps: uniform grid containing exactly 0 and 1', () => {
    assert.deepEqual(pathSteps(4, 0.5), [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
    assert.deepEqual(pathSteps(2), [0, 0.5, 1]);
    // overshoot not a multiple of h = 1/4: only whole steps that fit (0.3 -> one step of 0.25)
    assert.deepEqual(pathSteps(4, 0.3), [-0.25, 0, 0.25, 0.5, 0.75, 1, 1.25]);
    // 0.3 * 10 = 3.0000000000000004 must still give 3 extra steps each side
    assert.equal(pathSteps(10, 0.3).length, 11 + 6);
    const t = pathSteps(10, 0.3);
    assert.ok(t.includes(0) && t.includes(1));
    assert.throws(() => pathSteps(0), /steps/);
    assert.throws(() => pathSteps(2.5), /steps/);
    assert.throws(() => pathSteps(4, -1), /overshoot/);
  });
});
