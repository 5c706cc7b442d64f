import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pooledAccuracy } from '../../../../src/main/engine/unlearning/assess';

test('pooledAccuracy weighs each part by its size (correct over all examples)', () => {
  // 9 of 10 and 1 of 30 correct: 10 / 40 = 0.25, not the mean of 0.9 and 0.0333.
  assert.equal(
    pooledAccuracy([
      { accuracy: 0.9, n: 10 },
      { accuracy: 1 / 30, n: 30 },
    ]),
    0.25,
  );
  assert.equal(pooledAccuracy([{ accuracy: 0.5, n: 4 }]), 0.5);
  // An empty part (its accuracy is NaN) adds nothing; no examples at all has no accuracy.
  assert.equal(
    pooledAccuracy([
      { accuracy: 0.75, n: 8 },
      { accuracy: NaN, n: 0 },
    ]),
    0.75,
  );
  assert.equal(pooledAccuracy([{ accuracy: NaN, n: 0 }]), null);
  assert.equal(pooledAccuracy([]), null);
});
