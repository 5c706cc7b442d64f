import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { StoreError } from '../../../src/main/files/errors';
import { historyDirFor } from '../../../src/main/store/paths';
import { saveWeightsArtifact, writeWeightsFile } from '../../../src/main/store/weights-file';
import Database from 'better-sqlite3';
import { applyMigrations, MIGRATIONS } from '../../../src/main/store/migrations';
import { createQueueAttemptsRepo } from '../../../src/main/store/queue-attempts-repo';
import { createRunsRepo } from '../../../src/main/store/runs-repo';
import { listFiles, tempDataDir, tempStore } from './helpers';

const tensor = (n: number) => ({ name: 'w', shape: [n], data: Float32Array.from({ length: n }, (_, i) => i) });

test('create / get / require map every column, JSON parsed, camelCase', (t) => {
  const store = tempStore(t);
  const exp = store.experiments.create({ name: 'table 3', config: { dataset: 'mnist' } });
  const run = store.runs.create({
    experimentId: exp.id,
    name: 'fedmemeraser seed 1',
    config: { method: 'fedmemeraser', rounds: 5 },
    seed: 1,
    backend: 'wasm',
    versions: { node: '20.20.2', tfjs: '4.22.0' },
  });
  assert.match(run.id, /^[0-9a-f-]{36}$/);
  assert.equal(run.owner, store.owner, 'the run is stamped with its process');
  assert.equal(run.heartbeatAt, run.createdAt);
  assert.deepEqual(
    { ...run, id: undefined, createdAt: undefined, owner: undefined, heartbeatAt: undefined },
    {
      id: undefined,
      owner: undefined,
      heartbeatAt: undefined,
      experimentId: exp.id,
      name: 'fedmemeraser seed 1',
      status: 'queued',
      config: { method: 'fedmemeraser', rounds: 5 },
      seed: 1,
      backend: 'wasm',
      versions: { node: '20.20.2', tfjs: '4.22.0' },
      phase: null,
      error: null,
      createdAt: undefined,
      startedAt: null,
      endedAt: null,
      durationMs: null,
      summary: null,
      studyId: null,
      note: null,
      tags: [],
      cancelRequestedAt: null,
    },
  );
  assert.deepEqual(store.runs.get(run.id), run);
  assert.equal(store.runs.get('nope'), undefined);
  assert.throws(
    () => store.runs.require('nope'),
    (e: unknown) => e instanceof StoreError && e.code === 'STORE_NOT_FOUND',
  );
});

test('status lifecycle: running stamps started_at once; finish sets ended_at, duration, error, summary', (t) => {
  const store = tempStore(t);
  const run = store.runs.create({ name: 'r', config: {} });
  const started = store.runs.updateStatus(run.id, 'running');
  assert.equal(started.status, 'running');
  assert.ok(started.startedAt);
  assert.equal(store.runs.updateStatus(run.id, 'running').startedAt, started.startedAt);
  store.runs.setPhase(run.id, 'unlearn:fedmemeraser');
  store.runs.setBackend(run.id, 'cpu');
  store.runs.create({ name: 'other', config: {}, versions: { node: '20' } });
  const merged = store.runs.mergeVersions(run.id, { tfjs: '4.22.0', node: '20.20.2' });
  assert.deepEqual(merged.versions, { tfjs: '4.22.0', node: '20.20.2' });
  assert.deepEqual(store.runs.mergeVersions(run.id, { wasm: '4.22.0' }).versions, {
    tfjs: '4.22.0',
    node: '20.20.2',
    wasm: '4.22.0',
  });
  assert.throws(() => store.runs.mergeVersions('missing', {}), /run missing does not exist/);
  const failed = store.runs.finish(run.id, 'failed', 'out of memory', { testAccuracy: null, bestTestAccuracy: 0.5 });
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error, 'out of memory');
  assert.deepEqual(failed.summary, { testAccuracy: null, bestTestAccuracy: 0.5 });
  assert.equal(failed.phase, 'unlearn:fedmemeraser');
  assert.equal(failed.backend, 'cpu');
  assert.ok(failed.endedAt && failed.durationMs !== null && failed.durationMs >= 0);
  assert.throws(() => store.runs.updateStatus('missing', 'running'), /run missing does not exist/);
  assert.throws(() => store.runs.finish('missing', 'done'), /run missing does not exist/);
  // The CHECK constraint backs the TypeScript type.
  assert.throws(() => store.db.prepare("UPDATE runs SET status = 'bogus'").run(), /CHECK/);
});

test('list filters by status (one or many) and experiment; newest first (text search: shared/run-filter.ts)', (t) => {
  const store = tempStore(t);
  const exp = store.experiments.create({ name: 'e', config: {} });
  const a = store.runs.create({ name: 'alpha', config: { method: 'retrain' }, experimentId: exp.id });
  const b = store.runs.create({ name: 'beta', config: { method: 'FedMemEraser' } });
  const c = store.runs.create({ name: '100%_done', config: {}, status: 'running' });
  store.runs.finish(b.id, 'done');
  const ids = (runs: { id: string }[]) => runs.map((r) => r.id);
  assert.deepEqual(ids(store.runs.list()), [c.id, b.id, a.id]);
  assert.deepEqual(ids(store.runs.list({ status: 'done' })), [b.id]);
  assert.deepEqual(ids(store.runs.list({ status: ['queued', 'running'] })), [c.id, a.id]);
  assert.deepEqual(ids(store.runs.list({ experimentId: exp.id })), [a.id]);
  assert.deepEqual(ids(store.runs.list({ limit: 1, offset: 1 })), [b.id]);
});

test('deleting a run removes its rows in every table (cascade) and its weight files', (t) => {
  const store = tempStore(t);
  const keep = store.runs.create({ name: 'keep', config: {} });
  const run = store.runs.create({ name: 'gone', config: {} });
  for (const id of [keep.id, run.id]) {
    store.metrics.insertRound({ runId: id, stage: 'original', round: 1, testAccuracy: 0.5 });
    store.metrics.insertClientRounds([
      { runId: id, stage: 'original', round: 1, client: 0, trainLoss: 1, numExamples: 10 },
    ]);
    store.artifacts.put({ runId: id, kind: 'partition', name: 'class-counts', json: [[1, 2]] });
    store.events.append(id, 'phase', { phase: 'original' });
    saveWeightsArtifact(store, id, 'original', [tensor(3)]);
    saveWeightsArtifact(store, id, 'unlearn:fedmemeraser', [tensor(2)]);
  }
  const weightsDir = path.join(store.dataDir, 'weights', run.id);
  assert.equal(listFiles(weightsDir).length, 2);

  assert.equal(store.runs.delete(run.id), true);
  assert.equal(store.runs.get(run.id), undefined);
  const count = (table: string, id: string) =>
    (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(id) as { n: number }).n;
  for (const table of ['round_metrics', 'client_metrics', 'artifacts', 'run_events']) {
    assert.equal(count(table, run.id), 0, `${table} rows of the deleted run`);
    assert.equal(count(table, keep.id) > 0, true, `${table} rows of the other run survive`);
  }
  assert.equal(fs.existsSync(weightsDir), false, 'weight files removed from disk');
  assert.equal(listFiles(path.join(store.dataDir, 'weights', keep.id)).length, 2);
  assert.equal(store.runs.delete(run.id), false, 'deleting twice is harmless');
});

test('deleting a run removes its recorded training history (the history folder inside its weights folder)', (t) => {
  const store = tempStore(t);
  const run = store.runs.create({ name: 'history', config: {} });
  const dir = historyDirFor(store.dataDir, run.id);
  assert.equal(path.dirname(dir), path.join(store.dataDir, 'weights', run.id));
  writeWeightsFile(path.join(dir, 'rep0', 'r1-global.fmw'), [tensor(4)]);
  writeWeightsFile(path.join(dir, 'rep0', 'r1-c0.fmw'), [tensor(4)]);
  assert.equal(listFiles(dir).length, 2);
  assert.equal(store.runs.delete(run.id), true);
  assert.equal(fs.existsSync(dir), false, 'history removed with the run');
});

test('deleting an experiment deletes its runs and their files; a run may have no experiment', (t) => {
  const store = tempStore(t);
  const exp = store.experiments.create({ name: 'grid', config: { seeds: [1, 2] } });
  const r1 = store.runs.create({ name: 's1', config: {}, experimentId: exp.id });
  const solo = store.runs.create({ name: 'solo', config: {} });
  saveWeightsArtifact(store, r1.id, 'final', [tensor(4)]);
  assert.deepEqual(
    store.experiments.list({ text: 'seeds' }).map((e) => e.id),
    [exp.id],
  );
  assert.equal(store.experiments.delete(exp.id), true);
  assert.equal(store.experiments.get(exp.id), undefined);
  assert.equal(store.runs.get(r1.id), undefined);
  assert.equal(fs.existsSync(path.join(store.dataDir, 'weights', r1.id)), false);
  assert.equal(store.runs.require(solo.id).experimentId, null);
  // Raw SQL cannot orphan runs: experiments do not cascade to runs (their files need the repository).
  const e2 = store.experiments.create({ name: 'e2', config: {} });
  store.runs.create({ name: 'r', config: {}, experimentId: e2.id });
  assert.throws(() => store.db.prepare('DELETE FROM experiments WHERE id = ?').run(e2.id), /FOREIGN KEY/);
});

test('rename, note and tags: stored, read back sorted, replaced as a set, cascaded on delete', (t) => {
  const store = tempStore(t);
  const run = store.runs.create({ name: 'before', config: {} });
  const other = store.runs.create({ name: 'other', config: {} });
  assert.equal(store.runs.rename(run.id, 'after').name, 'after');
  assert.throws(
    () => store.runs.rename('missing', 'x'),
    (e: unknown) => e instanceof StoreError && e.code === 'STORE_NOT_FOUND',
  );

  const noted = store.runs.annotate(run.id, { note: 'lr too high?', tags: ['zeta', 'alpha', 'zeta'] });
  assert.equal(noted.note, 'lr too high?');
  assert.deepEqual(noted.tags, ['alpha', 'zeta'], 'sorted, duplicates dropped');
  // Omitted fields are left alone; tags replace the set; '' clears the note.
  assert.deepEqual(store.runs.annotate(run.id, { tags: ['beta'] }), { ...noted, tags: ['beta'] });
  assert.equal(store.runs.annotate(run.id, { note: '' }).note, null);
  assert.deepEqual(store.runs.get(run.id)!.tags, ['beta']);
  assert.deepEqual(store.runs.get(other.id)!.tags, []);
  assert.throws(
    () => store.runs.annotate('missing', { tags: ['a'] }),
    (e: unknown) => e instanceof StoreError && e.code === 'STORE_NOT_FOUND',
  );

  store.runs.annotate(other.id, { tags: ['beta', 'gamma'] });
  assert.deepEqual(
    store.runs
      .list({ tag: 'beta' })
      .map((r) => r.name)
      .sort(),
    ['after', 'other'],
  );
  assert.deepEqual(
    store.runs.list({ tag: 'gamma' }).map((r) => r.name),
    ['other'],
  );
  assert.deepEqual(store.runs.list({ tag: 'Gamma' }), [], 'tags match exactly');
  assert.deepEqual(store.runs.list({ tag: 'gamma', status: 'done' }), [], 'combines with the other filters');
  store.runs.annotate(other.id, { note: 'Dirichlet sweep' });
  assert.equal(store.runs.get(other.id)!.note, 'Dirichlet sweep');

  assert.ok(store.runs.delete(other.id));
  const left = store.db.prepare('SELECT run_id, tag FROM run_tags ORDER BY tag').all();
  assert.deepEqual(left, [{ run_id: run.id, tag: 'beta' }], "the deleted run's tags went with it");
});

test('an annotate that fails leaves the note and tags as they were', (t) => {
  const store = tempStore(t);
  const run = store.runs.create({ name: 'r', config: {} });
  store.runs.annotate(run.id, { note: 'kept', tags: ['a'] });
  // A tag that is not a string makes SQLite refuse the insert half-way: the transaction rolls back.
  assert.throws(() => store.runs.annotate(run.id, { note: 'lost', tags: ['b', {} as unknown as string] }));
  const after = store.runs.require(run.id);
  assert.equal(after.note, 'kept');
  assert.deepEqual(after.tags, ['a']);
});

test('migrations 3 to 6 on a version-2 database: existing runs get no note, no tags, no owner, no queue attempts, no cancel request', (t) => {
  const dir = tempDataDir(t);
  const dbPath = path.join(dir, 'v2.sqlite');
  const db = new Database(dbPath);
  t.after(() => db.close());
  db.pragma('foreign_keys = ON');
  applyMigrations(
    db,
    dbPath,
    MIGRATIONS.filter((m) => m.version <= 2),
  );
  db.prepare(
    "INSERT INTO runs (id, name, status, config_json, created_at) VALUES ('old', 'old run', 'done', '{}', '2026-01-01T00:00:00Z')",
  ).run();
  assert.deepEqual(applyMigrations(db, dbPath), [3, 4, 5, 6]);
  const old = createRunsRepo(db, dir).require('old');
  assert.equal(createQueueAttemptsRepo(db).latest('old'), undefined);
  assert.equal(old.note, null);
  assert.deepEqual(old.tags, []);
  assert.equal(old.owner, null);
  assert.equal(old.heartbeatAt, null);
  assert.equal(old.cancelRequestedAt, null);
});
