/**
 * runs-repo resume (issue 13): a stopped run is claimed back to 'running' by this process, once; other runs are
 * refused in one sentence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../../src/main/store/db';
import { StoreError } from '../../../src/main/files/errors';
import { tempDataDir, tempStore } from './helpers';

const refused = (fn: () => unknown, why: RegExp) =>
  assert.throws(
    fn,
    (e: Error) =>
      e instanceof StoreError && e.code === 'RUN_NOT_RESUMABLE' && why.test(e.message) && !e.message.includes('\n'),
  );

test('resume takes an interrupted, cancelled or failed run back to running: error and end cleared, start kept, stamped with this owner', (t) => {
  const store = tempStore(t);
  for (const status of ['interrupted', 'cancelled', 'failed'] as const) {
    const run = store.runs.create({ name: status, config: {}, status: 'running' });
    const stopped = store.runs.finish(run.id, status, 'it stopped');
    assert.ok(stopped.endedAt && stopped.durationMs !== null);
    const resumed = store.runs.resume(run.id);
    assert.equal(resumed.status, 'running');
    assert.equal(resumed.error, null);
    assert.equal(resumed.endedAt, null);
    assert.equal(resumed.durationMs, null);
    assert.equal(resumed.startedAt, run.startedAt, 'its first start is kept');
    assert.equal(resumed.owner, store.owner);
    assert.ok(resumed.heartbeatAt);
  }
});

test('resume refuses a done, running or study run, and a second claim of the same run', (t) => {
  const store = tempStore(t);
  const done = store.runs.create({ name: 'd', config: {}, status: 'running' });
  store.runs.finish(done.id, 'done');
  refused(() => store.runs.resume(done.id), /^run .* cannot be resumed: it is done$/);
  const running = store.runs.create({ name: 'r', config: {}, status: 'running' });
  refused(() => store.runs.resume(running.id), /it is running/);
  const study = store.studies.create({
    name: 's',
    definition: { base: {}, axes: [{ path: 'x', values: [1] }] },
    state: 'active',
    concurrency: 1,
    items: [],
  });
  const item = store.runs.create({ name: 'i', config: {}, status: 'running', studyId: study.id });
  store.runs.finish(item.id, 'interrupted');
  refused(() => store.runs.resume(item.id), /it belongs to a study; resume the study instead/);
  const lost = store.runs.create({ name: 'l', config: {}, status: 'running' });
  store.runs.finish(lost.id, 'interrupted');
  store.runs.resume(lost.id);
  refused(() => store.runs.resume(lost.id), /it is running/);
  assert.throws(
    () => store.runs.resume('nope'),
    (e: Error) => e instanceof StoreError && e.code === 'STORE_NOT_FOUND',
  );
});

test('of two processes resuming the same run, one wins', (t) => {
  const dir = tempDataDir(t);
  const a = openDatabase(dir);
  const b = openDatabase(dir);
  t.after(() => (a.close(), b.close()));
  const run = a.runs.create({ name: 'x', config: {}, status: 'running' });
  a.runs.finish(run.id, 'interrupted');
  assert.equal(b.runs.resume(run.id).owner, b.owner);
  refused(() => a.runs.resume(run.id), /it is running/);
  assert.equal(a.runs.require(run.id).owner, b.owner);
});
