/**
 * Cancel across processes (issue 24), at the store: two stores of one data folder in this process act as
 * the app and a `fedmem run` would. The app stores a request on the other's run; the recorder is told at its
 * next heartbeat, once; a resumed run starts without the request that stopped it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../../src/main/store';
import { currentSchemaVersion } from '../../../src/main/store/migrations';
import { tempDataDir } from './helpers';

function twoProcesses(t: import('node:test').TestContext) {
  const dir = tempDataDir(t);
  const cli = openDatabase(dir);
  const app = openDatabase(dir);
  t.after(() => {
    app.close();
    cli.close();
  });
  return { cli, app };
}

test('migration 6 adds the request columns; a new run has no request', (t) => {
  const { cli } = twoProcesses(t);
  assert.ok(currentSchemaVersion(cli.db) >= 6);
  const cols = (cli.db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name);
  assert.ok(cols.includes('cancel_requested_at') && cols.includes('cancel_requested_by'), cols.join(', '));
  assert.equal(cli.runs.create({ name: 'r', config: {}, status: 'running' }).cancelRequestedAt, null);
});

test("a request on another store's running run reaches that store's listener at its heartbeat, once", (t) => {
  const { cli, app } = twoProcesses(t);
  const run = cli.runs.create({ name: 'training', config: {}, status: 'running' });
  const other = cli.runs.create({ name: 'other', config: {}, status: 'running' });
  const heard: [string, string | null][] = [];
  cli.onCancelRequest(run.id, (by) => heard.push([run.id, by]));
  cli.onCancelRequest(other.id, (by) => heard.push([other.id, by]));

  cli.heartbeat();
  assert.deepEqual(heard, [], 'nothing asked yet');
  assert.equal(app.runs.requestCancel(run.id, app.owner), true);
  assert.ok(app.runs.require(run.id).cancelRequestedAt, 'the request is stored on the run');
  assert.deepEqual(app.runs.cancelRequests(), [], "the app does not record the run: it is not the app's to act on");
  assert.deepEqual(cli.runs.cancelRequests(), [{ runId: run.id, by: app.owner }]);

  cli.heartbeat();
  assert.deepEqual(heard, [[run.id, app.owner]], 'the recorder heard who asked, for that run only');
  cli.heartbeat();
  assert.equal(heard.length, 1, 'told once, not at every beat');
});

test('a stopped listener hears nothing; a request on an ended run is refused', (t) => {
  const { cli, app } = twoProcesses(t);
  const run = cli.runs.create({ name: 'r', config: {}, status: 'running' });
  let heard = 0;
  const stop = cli.onCancelRequest(run.id, () => heard++);
  stop();
  app.runs.requestCancel(run.id, app.owner);
  cli.heartbeat();
  assert.equal(heard, 0);

  cli.runs.finish(run.id, 'done');
  assert.equal(app.runs.requestCancel(run.id, app.owner), false, 'nothing to cancel');
  assert.deepEqual(cli.runs.cancelRequests(), [], 'an ended run is not asked again');
});

test('a resumed run starts without the request that cancelled it', (t) => {
  const { cli, app } = twoProcesses(t);
  const run = cli.runs.create({ name: 'r', config: {}, status: 'running' });
  app.runs.requestCancel(run.id, app.owner);
  cli.runs.finish(run.id, 'cancelled', 'the run was cancelled');
  assert.ok(cli.runs.require(run.id).cancelRequestedAt, 'kept with the cancelled run: it tells how it ended');
  const resumed = cli.runs.resume(run.id);
  assert.equal(resumed.cancelRequestedAt, null);
  let heard = 0;
  cli.onCancelRequest(run.id, () => heard++);
  cli.heartbeat();
  assert.equal(heard, 0, 'the old request does not stop the resumed run');
});
