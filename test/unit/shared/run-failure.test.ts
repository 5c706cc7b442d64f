/** Which failed runs resuming can help (shared/run-failure.ts, shared/catalog.ts canResume). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canResume } from '../../../src/shared/catalog';
import { CONFIG_FAILURE_CODES, failedForItsConfig } from '../../../src/shared/run-failure';

const error = (code: string) => ({ type: 'error', data: { code, message: 'x' } });
const phase = { type: 'phase', data: { label: 'training' } };

test("a run whose last error is its config's failed for its config; a crash, a missing file or a stop did not", () => {
  for (const code of CONFIG_FAILURE_CODES) assert.equal(failedForItsConfig([phase, error(code)]), true, code);
  for (const code of ['ENGINE', 'DATASET', 'CANCELLED', 'STORE_DISK_FULL']) {
    assert.equal(failedForItsConfig([phase, error(code)]), false, code);
  }
  assert.equal(failedForItsConfig([]), false);
  assert.equal(failedForItsConfig([phase, { type: 'error', data: null }]), false);
});

test('only the failure since the last resume counts', () => {
  assert.equal(failedForItsConfig([error('PARTITION'), { type: 'resumed', data: { from: 'failed' } }, phase]), false);
  const resumed = { type: 'resumed', data: { from: 'failed' } };
  assert.equal(failedForItsConfig([error('DATASET'), resumed, error('INVALID_REQUEST')]), true);
  assert.equal(failedForItsConfig([error('INVALID_REQUEST'), { type: 'log', data: { message: 'after' } }]), true);
});

test('canResume: a failed run is resumable unless it failed for its config', () => {
  assert.equal(canResume({ status: 'failed', studyId: null }), true);
  assert.equal(canResume({ status: 'failed', studyId: null, failedForItsConfig: false }), true);
  assert.equal(canResume({ status: 'failed', studyId: null, failedForItsConfig: true }), false);
  assert.equal(canResume({ status: 'interrupted', studyId: 's', failedForItsConfig: false }), false);
});
