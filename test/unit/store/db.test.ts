import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../src/main/store/db';
import { StoreError } from '../../../src/main/files/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, applyMigrations } from '../../../src/main/store/migrations';
import { INTERRUPTED_REASON } from '../../../src/main/store/types';
import { tempDataDir } from './helpers';

const migrationRows = (dbPath: string) => {
  const raw = new Database(dbPath, { readonly: true });
  try {
    return raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
  } finally {
    raw.close();
  }
};

test('creates the data dir and the database file, and applies migrations once', (t) => {
  const dir = path.join(tempDataDir(t), 'nested', 'data');
  const first = openDatabase(dir);
  assert.equal(first.dbPath, path.join(dir, 'fedmem.sqlite'));
  assert.ok(fs.existsSync(first.dbPath));
  assert.deepEqual(
    first.migrationsApplied,
    MIGRATIONS.map((m) => m.version),
  );
  assert.equal(first.schemaVersion, LATEST_SCHEMA_VERSION);
  first.runs.create({ name: 'keep me', config: { a: 1 } });
  first.close();

  const second = openDatabase(dir);
  t.after(() => second.close());
  assert.deepEqual(second.migrationsApplied, []);
  assert.equal(second.schemaVersion, LATEST_SCHEMA_VERSION);
  assert.equal(second.runs.list().length, 1, 'reopening keeps the data');
  second.close();
  assert.deepEqual(
    migrationRows(second.dbPath),
    MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
  );
});

test('WAL is on (in the file, seen from a fresh connection) and foreign keys are enforced', (t) => {
  const store = openDatabase(tempDataDir(t));
  t.after(() => store.close());
  assert.equal(store.journalMode, 'wal');
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
  assert.ok((store.db.pragma('busy_timeout', { simple: true }) as number) > 0);
  const other = new Database(store.dbPath);
  t.after(() => other.close());
  assert.equal(other.pragma('journal_mode', { simple: true }), 'wal');
  assert.throws(() => store.runs.create({ name: 'x', config: {}, experimentId: 'no-such-experiment' }), /FOREIGN KEY/);
});

test('a database from a newer schema version is refused with a clear error and left untouched', (t) => {
  const dir = tempDataDir(t);
  const store = openDatabase(dir);
  const run = store.runs.create({ name: 'from the future', config: {}, status: 'running' });
  store.close();
  const raw = new Database(store.dbPath);
  raw
    .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')")
    .run(LATEST_SCHEMA_VERSION + 7);
  raw.close();

  assert.throws(
    () => openDatabase(dir),
    (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'STORE_SCHEMA_TOO_NEW');
      assert.match(err.message, new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 7}`));
      assert.match(err.message, new RegExp(`up to ${LATEST_SCHEMA_VERSION}`));
      assert.match(err.message, /newer release/);
      assert.ok(err.message.includes(store.dbPath), 'names the file');
      return true;
    },
  );
  const check = new Database(store.dbPath, { readonly: true });
  t.after(() => check.close());
  const row = check.prepare('SELECT status FROM runs WHERE id = ?').get(run.id) as { status: string };
  assert.equal(row.status, 'running', 'the refused open did not mark runs interrupted');
  assert.equal(
    (check.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n,
    MIGRATIONS.length + 1,
    'the known migrations plus the future one: nothing added or removed',
  );
});

test('a failing migration rolls back and is not recorded', (t) => {
  const dbPath = path.join(tempDataDir(t), 'm.sqlite');
  const db = new Database(dbPath);
  t.after(() => db.close());
  const bad = [
    ...MIGRATIONS,
    {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'half done',
      sql: 'CREATE TABLE extra (x); SELECT * FROM missing_table;',
    },
  ];
  assert.throws(
    () => applyMigrations(db, dbPath, bad),
    (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'STORE_MIGRATION_FAILED');
      assert.match(err.message, /half done/);
      return true;
    },
  );
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'extra'").all();
  assert.deepEqual(tables, [], 'the partial migration was rolled back');
  const versions = db.prepare('SELECT version FROM schema_migrations').pluck().all();
  assert.deepEqual(
    versions,
    MIGRATIONS.map((m) => m.version),
  );
});

test('runs left running or queued by a crashed process become interrupted on reopen', (t) => {
  const dir = tempDataDir(t);
  const crashed = openDatabase(dir);
  const running = crashed.runs.create({ name: 'was running', config: {} });
  crashed.runs.updateStatus(running.id, 'running');
  crashed.runs.setPhase(running.id, 'original:round 3');
  const queued = crashed.runs.create({ name: 'was queued', config: {} });
  const done = crashed.runs.create({ name: 'finished', config: {}, status: 'running' });
  crashed.runs.finish(done.id, 'done', null, { testAccuracy: 0.9 });
  crashed.close(); // the process "dies": nobody calls finish

  const store = openDatabase(dir);
  t.after(() => store.close());
  assert.equal(store.interruptedOnOpen, 2);
  for (const id of [running.id, queued.id]) {
    const r = store.runs.require(id);
    assert.equal(r.status, 'interrupted');
    assert.equal(r.error, INTERRUPTED_REASON);
    assert.equal(r.error, 'the process stopped while this run was in progress');
    assert.ok(r.endedAt);
    const events = store.events.list(id);
    assert.equal(events.at(-1)?.type, 'interrupted');
  }
  const r = store.runs.require(running.id);
  assert.equal(r.phase, 'original:round 3', 'the last phase is kept so the user sees where it stopped');
  assert.ok(r.durationMs !== null && r.durationMs >= 0);
  assert.equal(store.runs.require(queued.id).durationMs, null, 'a queued run never started');
  assert.equal(store.runs.require(done.id).status, 'done');
});

test('recoverInterrupted: false leaves active runs alone (for read-only commands)', (t) => {
  const dir = tempDataDir(t);
  const a = openDatabase(dir);
  const run = a.runs.create({ name: 'live', config: {}, status: 'running' });
  const reader = openDatabase(dir, { recoverInterrupted: false });
  t.after(() => reader.close());
  assert.equal(reader.interruptedOnOpen, 0);
  assert.equal(reader.runs.require(run.id).status, 'running');
  a.close();
});

test('close is idempotent', (t) => {
  const store = openDatabase(tempDataDir(t));
  store.close();
  store.close();
  assert.equal(store.isOpen, false);
});

test('a native binding given explicitly is the one loaded (how Electron gets its own ABI build)', (t) => {
  const require = createRequire(import.meta.url);
  const nodeBuild = path.join(
    path.dirname(require.resolve('better-sqlite3/package.json')),
    'build',
    'Release',
    'better_sqlite3.node',
  );
  const dir = tempDataDir(t);
  const store = openDatabase(dir, { nativeBinding: nodeBuild });
  assert.equal(store.journalMode, 'wal');
  store.close();
  assert.throws(() => openDatabase(dir, { nativeBinding: path.join(dir, 'missing.node') }), /missing\.node/);
});
