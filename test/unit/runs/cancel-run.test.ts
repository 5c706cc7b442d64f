/**
 * runs:cancel's decision (issue 24): cancel here, ask the process that records the run, or say in one
 * sentence why not. The route on hand-made facts; the effects on two real stores of one folder.
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { ApiFailure } from '../../../src/shared/api-errors';
import {
  cancelRoute,
  cancelRun,
  REMOTE_CANCEL_WITHIN_MS,
  requestCancelOfStudyRuns,
} from '../../../src/main/runs/cancel-run';
import { openDatabase } from '../../../src/main/store';
import type { OwnerFacts } from '../../../src/main/store/ownership';
import { HEARTBEAT_MS } from '../../../src/main/store/ownership';
import { cancellingText, endedText, requestedText } from '../../../src/shared/run-cancel';
import { tempDataDir } from '../store/helpers';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const facts: OwnerFacts = {
  host: 'box',
  pid: 100,
  liveTokens: new Set(['me']),
  pidAlive: (pid) => pid === 200,
  now: NOW,
};
const fresh = new Date(NOW - 1000).toISOString();
const run = (
  over: Partial<{ status: string; owner: string | null; heartbeatAt: string | null; studyId: string | null }>,
) =>
  ({ id: 'r1', status: 'running', owner: 'box:200:cli', heartbeatAt: fresh, studyId: null, ...over }) as Parameters<
    typeof cancelRoute
  >[0];

test('cancelRoute: each way a cancel can or cannot reach the recorder', () => {
  assert.deepEqual(
    cancelRoute(run({}), 'box:100:me', facts),
    { kind: 'ask', pid: 200 },
    'another live process on this machine is asked',
  );
  assert.deepEqual(cancelRoute(run({ status: 'queued' }), 'box:100:me', facts), { kind: 'ask', pid: 200 });
  for (const status of ['done', 'failed', 'cancelled', 'interrupted']) {
    assert.deepEqual(cancelRoute(run({ status }), 'box:100:me', facts), { kind: 'ended' }, status);
  }
  assert.deepEqual(
    cancelRoute(run({ owner: 'box:300:cli' }), 'box:100:me', facts),
    { kind: 'orphaned' },
    'its process is gone',
  );
  assert.deepEqual(
    cancelRoute(run({ owner: null }), 'box:100:me', facts),
    { kind: 'orphaned' },
    'a row from before owners',
  );
  const stale = run({ heartbeatAt: new Date(NOW - 120_000).toISOString() });
  assert.deepEqual(cancelRoute(stale, 'box:100:me', facts), { kind: 'orphaned' }, 'stale heartbeat');
  assert.deepEqual(cancelRoute(run({ owner: 'far:300:cli' }), 'box:100:me', facts), {
    kind: 'refuse',
    why: 'run r1 is being recorded by process 300 on far, another machine; cancel it there',
  });
  assert.deepEqual(
    cancelRoute(run({ owner: 'box:100:me', studyId: 's1' }), 'box:100:me', facts),
    {
      kind: 'refuse',
      why: 'run r1 is one run of study s1 on the Redis queue; cancel the study',
    },
    "this process's own run that its engine does not run (a Redis worker records it)",
  );
  const twoStores = { ...facts, liveTokens: new Set(['me', 'other']) };
  assert.deepEqual(
    cancelRoute(run({ owner: 'box:100:other' }), 'box:100:me', twoStores),
    { kind: 'ask', pid: 100 },
    'another store of this process',
  );
});

test('the fair wait covers a heartbeat, the engine grace period and a heartbeat of slack', () => {
  assert.equal(REMOTE_CANCEL_WITHIN_MS, 2 * HEARTBEAT_MS + 10_000);
});

test('cancelRun: here at once; another process asked; ended said; another machine refused in one sentence', (t) => {
  const dir = tempDataDir(t);
  const cli = openDatabase(dir);
  const app = openDatabase(dir);
  t.after(() => {
    app.close();
    cli.close();
  });
  const none = { cancel: () => false };
  const local = app.runs.create({ name: 'mine', config: {}, status: 'running' });
  assert.deepEqual(cancelRun(app, { cancel: (id) => id === local.id }, local.id), {
    outcome: 'cancelling',
    message: cancellingText(local.id),
  });

  const theirs = cli.runs.create({ name: 'theirs', config: {}, status: 'running' });
  assert.deepEqual(cancelRun(app, none, theirs.id), {
    outcome: 'requested',
    message: requestedText(theirs.id, process.pid, HEARTBEAT_MS),
    pid: process.pid,
    answerWithinMs: REMOTE_CANCEL_WITHIN_MS,
  });
  assert.match(
    requestedText(theirs.id, 4242, HEARTBEAT_MS),
    /^cancel requested: process 4242 on this machine records run \S+ and stops it at its next heartbeat \(every 5 s\)$/,
  );
  assert.deepEqual(cli.runs.cancelRequests(), [{ runId: theirs.id, by: app.owner }]);

  cli.runs.finish(theirs.id, 'cancelled');
  assert.deepEqual(cancelRun(app, none, theirs.id), {
    outcome: 'ended',
    message: endedText(theirs.id, 'cancelled'),
    status: 'cancelled',
  });

  const far = cli.runs.create({ name: 'far', config: {}, status: 'running' });
  cli.db.prepare('UPDATE runs SET owner = ? WHERE id = ?').run(`not-${os.hostname()}:77:tok`, far.id);
  assert.throws(
    () => cancelRun(app, none, far.id),
    (e: unknown) =>
      e instanceof ApiFailure &&
      e.code === 'RUN_NOT_CANCELLABLE' &&
      e.message ===
        `run ${far.id} is being recorded by process 77 on not-${os.hostname()}, another machine; cancel it there`,
  );
  assert.equal(cli.runs.require(far.id).cancelRequestedAt, null, 'no request stored where none can be read');
});

test("cancelRun on a run whose recorder is gone: the app's sweep marks it interrupted and says so", (t) => {
  const dir = tempDataDir(t);
  const app = openDatabase(dir);
  t.after(() => app.close());
  const dead = app.runs.create({ name: 'dead', config: {}, status: 'running' });
  app.db.prepare('UPDATE runs SET owner = ? WHERE id = ?').run(`${os.hostname()}:999999999:gone`, dead.id);
  assert.deepEqual(cancelRun(app, { cancel: () => false }, dead.id), {
    outcome: 'ended',
    message: endedText(dead.id, 'interrupted'),
    status: 'interrupted',
  });
});

test("a study's runs another process records are asked to cancel; this process's own and ended ones are not", (t) => {
  const dir = tempDataDir(t);
  const cli = openDatabase(dir);
  const app = openDatabase(dir);
  t.after(() => {
    app.close();
    cli.close();
  });
  const study = app.studies.create({ name: 's', definition: {} as never, state: 'active', concurrency: 1, items: [] });
  const running = cli.runs.create({ name: 'a', config: {}, status: 'running', studyId: study.id });
  const ended = cli.runs.create({ name: 'b', config: {}, status: 'running', studyId: study.id });
  cli.runs.finish(ended.id, 'done');
  const ours = app.runs.create({ name: 'c', config: {}, status: 'running', studyId: study.id });
  assert.equal(requestCancelOfStudyRuns(app, study.id), 1);
  assert.deepEqual(cli.runs.cancelRequests(), [{ runId: running.id, by: app.owner }]);
  assert.equal(app.runs.require(ours.id).cancelRequestedAt, null);
});
