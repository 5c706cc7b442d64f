import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  correctnessMemorization,
  memorizationScores,
  probabilityMemorization,
} from '../../../../src/main/engine/metrics/memorization';
import { MetricsError } from '../../../../src/main/engine/metrics/errors';

const closeAll = (got: ArrayLike<number>, want: number[], eps = 1e-12) => {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= eps, `[${i}] ${got[i]} != ${want[i]}`);
};

describe('memorization scores', () => {
  // Three examples, J = 3 retrained models.
  const pOrig = [0.9, 0.5, 0.2];
  const pRetr = [
    [0.3, 0.6, 0.2],
    [0.6, 0.6, 0.5],
    [0.0, 0.3, 0.2],
  ];

  test("'probability': p_orig - mean_j p_j, every retrained model used", () => {
    // ex0: 0.9 - (0.3+0.6+0.0)/3 = 0.9 - 0.3 = 0.6
    // ex1: 0.5 - (0.6+0.6+0.3)/3 = 0.5 - 0.5 = 0
    // ex2: 0.2 - (0.2+0.5+0.2)/3 = 0.2 - 0.3 = -0.1
    closeAll(probabilityMemorization(pOrig, pRetr), [0.6, 0, -0.1]);
  });

  test("clipNegative reproduces the authors' clipping; default keeps negatives", () => {
    closeAll(probabilityMemorization(pOrig, pRetr, { clipNegative: true }), [0.6, 0, 0]);
    closeAll(memorizationScores({ variant: 'probability', original: pOrig, retrained: pRetr }), [0.6, 0, -0.1]);
  });

  test("'correct' (Eq. 9): 1[orig correct] - mean_j 1[retrained_j correct]", () => {
    const orig = Uint8Array.from([1, 1, 0, 1]);
    const retr = [Uint8Array.from([0, 1, 1, 1]), Uint8Array.from([0, 0, 1, 1]), Uint8Array.from([0, 1, 0, 1])];
    // ex0: 1 - 0/3 = 1; ex1: 1 - 2/3 = 1/3; ex2: 0 - 2/3 = -2/3; ex3: 1 - 1 = 0
    closeAll(correctnessMemorization(orig, retr), [1, 1 / 3, -2 / 3, 0]);
    closeAll(memorizationScores({ variant: 'correct', original: orig, retrained: retr, clipNegative: true }), [
      1,
      1 / 3,
      0,
      0,
    ]);
  });

  test('input validation', () => {
    assert.throws(() => probabilityMemorization([0.5], []), /J >= 1/);
    assert.throws(() => probabilityMemorization([0.5, 0.1], [[0.5]]), /aligned/);
    assert.throws(() => probabilityMemorization([1.5], [[0.5]]), /outside \[0, 1\]/);
    assert.throws(() => probabilityMemorization([NaN], [[0.5]]), MetricsError);
    assert.throws(() => correctnessMemorization([0.5], [[1]]), /must be 0 or 1/);
  });
});
