/**
 * Who records a run (issue 13): the rule that decides whether a run's process is gone, on hand-made
 * facts, and two stores of one data folder in this process acting as two processes would; readers
 * report what the rule says without writing it (issue 24).
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { openDatabase } from '../../../src/main/store';
import { ownerIsGone, parseOwner, STALE_AFTER_MS, statusNow, type OwnerFacts } from '../../../src/main/store/ownership';
import { INTERRUPTED_REASON } from '../../../src/main/store/types';
import { tempDataDir } from './helpers';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const facts: OwnerFacts = {
  host: 'box',
  pid: 100,
  liveTokens: new Set(['live']),
  pidAlive: (pid) => pid === 200,
  now: NOW,
};
const ago = (ms: number) => new Date(NOW - ms).toISOString();

test('parseOwner reads host:pid:token from the right, so a host with colons survives', () => {
  assert.deepEqual(parseOwner('box:12:ab'), { host: 'box', pid: 12, token: 'ab' });
  assert.deepEqual(parseOwner('fe80::1:7:tok'), { host: 'fe80::1', pid: 7, token: 'tok' });
  assert.equal(parseOwner('no-pid'), null);
});

test('ownerIsGone: each reason a recorder counts as gone, and each case where it must not', () => {
  const fresh = ago(1_000);
  const cases: [string, string | null, string | null | undefined, boolean][] = [
    ['no owner recorded (rows older than owners)', null, fresh, true],
    ['unreadable owner', 'garbage', fresh, true],
    ['this host, process alive, fresh heartbeat', 'box:200:t', fresh, false],
    ['this host, process gone', 'box:300:t', fresh, true],
    ['this process, live token', 'box:100:live', fresh, false],
    ['this pid, a token from an earlier life', 'box:100:old', fresh, true],
    ['another host, fresh heartbeat', 'far:300:t', fresh, false],
    ['another host, heartbeat just inside the limit', 'far:300:t', ago(STALE_AFTER_MS - 1), false],
    ['another host, stale heartbeat', 'far:300:t', ago(STALE_AFTER_MS + 1), true],
    [
      'this host, process alive but stale heartbeat (a reused pid, a hung recorder)',
      'box:200:t',
      ago(STALE_AFTER_MS + 1),
      true,
    ],
    ['a run with no heartbeat at all', 'box:200:t', null, true],
    ['a study claim (no heartbeat kept) on another host', 'far:300:t', undefined, false],
    ['a study claim on this host, process gone', 'box:300:t', undefined, true],
  ];
  for (const [what, owner, beat, gone] of cases) assert.equal(ownerIsGone(owner, beat, facts), gone, what);
});

test("another live store's running run is neither interrupted nor deleted nor finished; once it closes, the next beat interrupts it", (t) => {
  const dir = tempDataDir(t);
  const cli = openDatabase(dir);
  const run = cli.runs.create({ name: 'training', config: {}, status: 'running' });
  assert.equal(run.owner, cli.owner);
  assert.ok(run.heartbeatAt);

  const app = openDatabase(dir);
  t.after(() => app.close());
  assert.equal(app.interruptedOnOpen, 0, 'opening the folder left the live run alone');
  assert.deepEqual(app.heartbeat(), [], 'and so does the periodic sweep');
  assert.equal(app.runs.require(run.id).status, 'running');
  const refused =
    /^run [0-9a-f-]{36} is being recorded by process \d+ on this machine \(last heard from \d+ s ago\); stop it there before you (delete|finish) it$/;
  assert.throws(
    () => app.runs.delete(run.id),
    (e: Error & { code?: string }) => e.code === 'RUN_OWNED_ELSEWHERE' && refused.test(e.message),
  );
  assert.throws(
    () => app.runs.finish(run.id, 'cancelled'),
    (e: Error & { code?: string }) => e.code === 'RUN_OWNED_ELSEWHERE' && refused.test(e.message),
  );
  assert.equal(app.runs.require(run.id).status, 'running', 'nothing changed');

  // Its own process may finish it; a second run it leaves running is orphaned when it goes.
  const left = cli.runs.create({ name: 'left behind', config: {}, status: 'running' });
  cli.runs.finish(run.id, 'done');
  cli.close();
  assert.deepEqual(app.heartbeat(), [left.id]);
  const r = app.runs.require(left.id);
  assert.equal(r.status, 'interrupted');
  assert.equal(r.error, INTERRUPTED_REASON);
  assert.equal(app.events.list(left.id).at(-1)?.type, 'interrupted');
  assert.equal(app.runs.require(run.id).status, 'done');
  assert.equal(app.runs.delete(left.id), true, 'an interrupted run can be deleted');
});

test('heartbeats keep a run alive; a heartbeat older than the limit makes it an orphan even if the pid lives', (t) => {
  const dir = tempDataDir(t);
  const a = openDatabase(dir);
  t.after(() => a.close());
  const b = openDatabase(dir);
  t.after(() => b.close());
  const run = a.runs.create({ name: 'r', config: {}, status: 'running' });
  const setBeat = (iso: string) => a.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(iso, run.id);
  setBeat(new Date(Date.now() - STALE_AFTER_MS - 5_000).toISOString());
  a.runs.heartbeat();
  assert.ok(Date.now() - Date.parse(a.runs.require(run.id).heartbeatAt!) < 5_000, 'the owner renewed it');
  assert.deepEqual(b.heartbeat(), []);
  setBeat(new Date(Date.now() - STALE_AFTER_MS - 5_000).toISOString());
  assert.deepEqual(b.heartbeat(), [run.id], 'b sweeps before a renews');
  assert.equal(b.runs.require(run.id).status, 'interrupted');
});

test('statusNow: a queued or running run whose recorder is gone reads as interrupted; others as they are', () => {
  const fresh = ago(1_000);
  assert.equal(statusNow('running', 'box:300:t', fresh, null, facts), 'interrupted', 'its process is gone');
  assert.equal(statusNow('queued', null, fresh, null, facts), 'interrupted', 'no owner recorded');
  assert.equal(statusNow('running', 'far:300:t', ago(STALE_AFTER_MS + 1), null, facts), 'interrupted', 'silent');
  assert.equal(statusNow('running', 'box:200:t', fresh, null, facts), 'running', 'alive');
  // The reader's own run, even with a token it has released: a store never reads itself as gone.
  assert.equal(statusNow('running', 'box:100:old', fresh, 'box:100:old', facts), 'running');
  for (const s of ['done', 'failed', 'cancelled', 'interrupted']) {
    assert.equal(statusNow(s, 'box:300:t', fresh, null, facts), s, 'an ended run is what it is');
  }
});

test('a reader reports a run whose process is gone as interrupted, filters by that status, and writes nothing', (t) => {
  const dir = tempDataDir(t);
  const writer = openDatabase(dir);
  const live = writer.runs.create({ name: 'live', config: {}, status: 'running' });
  const killed = writer.runs.create({ name: 'killed', config: {}, status: 'running' });
  // A process that died: its pid is not alive here (a pid beyond any Linux pid_max).
  writer.db.prepare('UPDATE runs SET owner = ? WHERE id = ?').run(`${os.hostname()}:99999999:gone`, killed.id);
  const reader = openDatabase(dir, { onlyReads: true });
  t.after(() => reader.close());
  t.after(() => writer.close());

  const read = reader.runs.require(killed.id);
  assert.equal(read.status, 'interrupted');
  assert.equal(read.error, INTERRUPTED_REASON);
  assert.equal(reader.runs.require(live.id).status, 'running', 'a live recorder is believed');
  assert.deepEqual(
    reader.runs.list({ status: 'interrupted' }).map((r) => r.id),
    [killed.id],
  );
  assert.deepEqual(
    reader.runs.list({ status: 'running' }).map((r) => r.id),
    [live.id],
  );
  const active = reader.runs.list({ status: ['queued', 'running'], limit: 1 });
  assert.deepEqual(
    active.map((r) => r.id),
    [live.id],
    'the limit counts what is shown',
  );
  const raw = reader.db.prepare('SELECT status, error FROM runs WHERE id = ?').get(killed.id);
  assert.deepEqual(raw, { status: 'running', error: null }, 'reading marked nothing');
  assert.deepEqual(reader.events.list(killed.id), []);

  // The next writer's sweep records it; resume of a run read as interrupted works before that sweep too.
  assert.equal(writer.runs.resume(killed.id).status, 'running');
  assert.equal(writer.runs.require(killed.id).owner, writer.owner);
});
