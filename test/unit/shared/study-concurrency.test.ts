import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStudyConcurrency, studyConcurrencySchema } from '../../../src/shared/study-concurrency';

test('study concurrency: whole numbers from 1 to 16, with the contract messages', () => {
  for (const n of [1, 2, 16]) assert.equal(isStudyConcurrency(n), true);
  for (const n of [0, 17, 1.5, Number.NaN]) assert.equal(isStudyConcurrency(n), false);
  assert.equal(studyConcurrencySchema.safeParse(17).error?.issues[0]?.message, 'must be at most 16');
  assert.equal(studyConcurrencySchema.safeParse(0).error?.issues[0]?.message, 'must be at least 1');
});
