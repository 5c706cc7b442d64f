import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempStore } from './helpers';

test('artifacts: put inline JSON, get, list by kind; put again replaces and keeps the id', (t) => {
  const store = tempStore(t);
  const { id: runId } = store.runs.create({ name: 'r', config: {} });
  const counts = {
    classCounts: [
      [5, 0],
      [1, 4],
    ],
  };
  const a = store.artifacts.put({ runId, kind: 'partition', name: 'class-counts', json: counts });
  assert.deepEqual(a.json, counts);
  assert.equal(a.bytes, Buffer.byteLength(JSON.stringify(counts)));
  assert.equal(a.path, null);
  store.artifacts.put({ runId, kind: 'table', name: 'gme', json: [{ group: 'high', acc: 0.9 }] });
  assert.deepEqual(store.artifacts.get(runId, 'partition', 'class-counts'), a);
  assert.deepEqual(store.artifacts.getById(a.id), a);
  assert.deepEqual(
    store.artifacts.list(runId).map((x) => `${x.kind}/${x.name}`),
    ['partition/class-counts', 'table/gme'],
  );
  assert.deepEqual(
    store.artifacts.list(runId, 'table').map((x) => x.name),
    ['gme'],
  );
  const replaced = store.artifacts.put({ runId, kind: 'partition', name: 'class-counts', json: { classCounts: [] } });
  assert.equal(replaced.id, a.id);
  assert.deepEqual(replaced.json, { classCounts: [] });
  assert.equal(store.artifacts.list(runId).length, 2);
  assert.equal(store.artifacts.get(runId, 'weights', 'missing'), undefined);
});

test('events: append numbers 1, 2, 3 per run; list tails and filters; the log is append-only', (t) => {
  const store = tempStore(t);
  const a = store.runs.create({ name: 'a', config: {} });
  const b = store.runs.create({ name: 'b', config: {} });
  const e1 = store.events.append(a.id, 'phase', { phase: 'original' });
  store.events.append(b.id, 'phase', { phase: 'original' });
  store.events.append(a.id, 'warning', { message: 'backend fell back to cpu' });
  store.events.append(a.id, 'error', { message: 'boom', stack: 'at x' });
  store.events.append(a.id, 'note');
  assert.equal(e1.seq, 1);
  assert.deepEqual(e1.data, { phase: 'original' });
  assert.deepEqual(
    store.events.list(a.id).map((e) => e.seq),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    store.events.list(b.id).map((e) => e.seq),
    [1],
  );
  assert.deepEqual(
    store.events.list(a.id, { afterSeq: 2 }).map((e) => e.type),
    ['error', 'note'],
  );
  assert.deepEqual(
    store.events.list(a.id, { type: 'warning' }).map((e) => e.data),
    [{ message: 'backend fell back to cpu' }],
  );
  assert.equal(store.events.list(a.id).at(-1)?.data, null);
  assert.throws(() => store.db.prepare("UPDATE run_events SET type = 'x'").run(), /append-only/);
  assert.throws(() => store.events.append('no-such-run', 'phase'), /FOREIGN KEY/);
});
