/**
 * The persistent study queue in SQLite: order, claims, recovery of dead claims, resume, cancel, reorder, extend,
 * delete.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { test } from 'node:test';
import { claimerIsDead } from '../../../src/main/studies/local-queue';
import type { NewStudyItem } from '../../../src/main/store';
import { tempStore } from './helpers';

const item = (cellKey: string, seedIndex = 0): NewStudyItem => ({
  key: `${cellKey}#${seedIndex}`,
  cellKey,
  values: [cellKey],
  seedIndex,
  seed: 40 + seedIndex,
  config: { cell: cellKey },
});
const definition = { base: {}, axes: [{ path: 'x', values: [1] }] };
const any = () => true;

test('items come back in queue order; claims take the first eligible queued item of an active study, each once', (t) => {
  const store = tempStore(t);
  const s = store.studies.create({
    name: 's',
    definition,
    state: 'active',
    concurrency: 1,
    items: [item('a'), item('b'), item('c')],
  });
  assert.deepEqual(
    store.studies.items(s.id).map((i) => [i.key, i.position, i.status]),
    [
      ['a#0', 0, 'queued'],
      ['b#0', 1, 'queued'],
      ['c#0', 2, 'queued'],
    ],
  );
  assert.deepEqual(store.studies.items(s.id)[0].values, ['a']);
  const first = store.studies.claimNext('me', any);
  assert.equal(first?.key, 'a#0');
  assert.equal(first?.status, 'running');
  // The predicate sees what runs and can skip an item (here: b waits), taking c instead.
  const second = store.studies.claimNext('me', (it, running) => it.key !== 'b#0' && running.length === 1);
  assert.equal(second?.key, 'c#0');
  assert.equal(
    store.studies.claimNext('me', (it) => it.key !== 'b#0'),
    undefined,
  );
  assert.deepEqual(
    store.studies.items(s.id).map((i) => [i.key, i.status, i.claimedBy]),
    [
      ['a#0', 'running', 'me'],
      ['b#0', 'queued', null],
      ['c#0', 'running', 'me'],
    ],
  );
});

test('a paused study gives no work; only the named study is claimed from when one is named', (t) => {
  const store = tempStore(t);
  const paused = store.studies.create({ name: 'p', definition, state: 'paused', concurrency: 1, items: [item('a')] });
  const other = store.studies.create({ name: 'o', definition, state: 'active', concurrency: 1, items: [item('z')] });
  assert.equal(store.studies.claimNext('me', any, paused.id), undefined);
  store.studies.setState(paused.id, 'active');
  assert.equal(store.studies.claimNext('me', any, other.id)?.studyId, other.id);
  assert.equal(store.studies.claimNext('me', any, other.id), undefined);
  assert.equal(store.studies.claimNext('me', any)?.studyId, paused.id);
});

test('finished items keep their status and run; dead claims go back to the queue, live ones stay', (t) => {
  const store = tempStore(t);
  const s = store.studies.create({
    name: 's',
    definition,
    state: 'active',
    concurrency: 2,
    items: [item('a'), item('b'), item('c')],
  });
  const run = store.runs.create({ name: 'r', config: {}, studyId: s.id });
  store.studies.claimNext('dead', any);
  store.studies.attachRun(s.id, 'a#0', run.id);
  store.studies.finishItem(s.id, 'a#0', 'done', null);
  store.studies.claimNext('dead', any);
  store.studies.claimNext('alive', any);
  const back = store.studies.requeueOrphans((claimer) => claimer === 'dead');
  assert.deepEqual(
    back.map((i) => i.key),
    ['b#0'],
  );
  assert.deepEqual(
    store.studies.items(s.id).map((i) => [i.key, i.status, i.runId]),
    [
      ['a#0', 'done', run.id],
      ['b#0', 'queued', null],
      ['c#0', 'running', null],
    ],
  );
});

test('cancel cancels queued items; resume queues cancelled and failed ones again, never done ones', (t) => {
  const store = tempStore(t);
  const s = store.studies.create({
    name: 's',
    definition,
    state: 'active',
    concurrency: 1,
    items: [item('a'), item('b'), item('c')],
  });
  store.studies.claimNext('me', any);
  store.studies.finishItem(s.id, 'a#0', 'done', null);
  store.studies.claimNext('me', any);
  store.studies.finishItem(s.id, 'b#0', 'failed', 'boom');
  assert.equal(store.studies.cancelQueued(s.id), 1);
  assert.deepEqual(
    store.studies.items(s.id).map((i) => i.status),
    ['done', 'failed', 'cancelled'],
  );
  assert.equal(store.studies.items(s.id)[1].error, 'boom');
  assert.equal(store.studies.requeue(s.id, ['cancelled', 'failed']), 2);
  assert.deepEqual(
    store.studies.items(s.id).map((i) => [i.status, i.error]),
    [
      ['done', null],
      ['queued', null],
      ['queued', null],
    ],
  );
});

test('reorder puts the named items first in that order; extend adds only missing items, after the others', (t) => {
  const store = tempStore(t);
  const s = store.studies.create({
    name: 's',
    definition,
    state: 'active',
    concurrency: 1,
    items: [item('a'), item('b'), item('c')],
  });
  store.studies.reorder(s.id, ['c#0', 'nope', 'a#0']);
  assert.deepEqual(
    store.studies.items(s.id).map((i) => i.key),
    ['c#0', 'a#0', 'b#0'],
  );
  assert.equal(store.studies.claimNext('me', any)?.key, 'c#0');
  const wider = { ...definition, seeds: 2 };
  assert.equal(store.studies.addItems(s.id, [item('a'), item('b'), item('a', 1), item('d')], wider), 2);
  assert.deepEqual(
    store.studies.items(s.id).map((i) => i.key),
    ['c#0', 'a#0', 'b#0', 'a#1', 'd#0'],
  );
  assert.deepEqual(store.studies.require(s.id).definition, wider);
});

test('deleting a study removes its items and leaves no run pointing at it', (t) => {
  const store = tempStore(t);
  const s = store.studies.create({ name: 's', definition, state: 'active', concurrency: 1, items: [item('a')] });
  const run = store.runs.create({ name: 'r', config: {}, studyId: s.id });
  assert.equal(store.runs.list({ studyId: s.id }).length, 1);
  assert.equal(store.studies.delete(s.id), true);
  assert.equal(store.studies.get(s.id), undefined);
  assert.equal((store.db.prepare('SELECT COUNT(*) AS n FROM study_items').get() as { n: number }).n, 0);
  assert.equal(store.runs.require(run.id).studyId, null);
  assert.equal(store.studies.delete(s.id), false);
});

test('a claim is dead when its process is gone or is this process in an earlier life; other hosts are not judged', () => {
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  assert.equal(claimerIsDead(`${os.hostname()}:${gone.stdout}:x`), true);
  assert.equal(claimerIsDead(`${os.hostname()}:${process.pid}:not-a-live-token`), true);
  assert.equal(claimerIsDead(`${os.hostname()}:${process.ppid}:x`), false, 'the parent process is alive');
  assert.equal(claimerIsDead(`some-other-host:${gone.stdout}:x`), false);
});
