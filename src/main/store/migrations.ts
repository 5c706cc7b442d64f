/**
 * Numbered schema migrations. Append new entries; never edit one that has shipped.
 *
 * Applied versions are recorded in `schema_migrations` (version, name, applied_at) rather than only in
 * PRAGMA user_version: the table keeps a history a person can read when diagnosing a user's database,
 * and each migration and its record commit in the same transaction, so the two cannot disagree.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../files/errors';
import { nowIso } from './util';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE experiments (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        config_json TEXT NOT NULL CHECK (json_valid(config_json)),
        created_at  TEXT NOT NULL
      );

      -- experiment_id is optional (a one-off CLI run needs no experiment). No cascade from experiments:
      -- runs own files on disk, so they are deleted through the runs repository.
      CREATE TABLE runs (
        id            TEXT PRIMARY KEY,
        experiment_id TEXT REFERENCES experiments(id),
        name          TEXT NOT NULL,
        status        TEXT NOT NULL
                      CHECK (status IN ('queued','running','done','failed','cancelled','interrupted')),
        config_json   TEXT NOT NULL CHECK (json_valid(config_json)),
        seed          INTEGER,
        backend       TEXT,
        versions_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(versions_json)),
        phase         TEXT,
        error         TEXT,
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        ended_at      TEXT,
        duration_ms   INTEGER,
        summary_json  TEXT CHECK (summary_json IS NULL OR json_valid(summary_json))
      );
      CREATE INDEX runs_by_experiment ON runs(experiment_id);
      CREATE INDEX runs_by_created ON runs(created_at);

      CREATE TABLE round_metrics (
        run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        stage         TEXT NOT NULL,
        round         INTEGER NOT NULL,
        test_accuracy REAL,
        test_loss     REAL,
        train_loss    REAL,
        elapsed_ms    REAL,
        PRIMARY KEY (run_id, stage, round)
      ) WITHOUT ROWID;

      CREATE TABLE client_metrics (
        run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        stage        TEXT NOT NULL,
        round        INTEGER NOT NULL,
        client       INTEGER NOT NULL,
        train_loss   REAL,
        num_examples INTEGER,
        PRIMARY KEY (run_id, stage, round, client)
      ) WITHOUT ROWID;

      CREATE TABLE artifacts (
        id         TEXT PRIMARY KEY,
        run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind       TEXT NOT NULL,
        name       TEXT NOT NULL,
        path       TEXT,
        sha256     TEXT,
        json       TEXT CHECK (json IS NULL OR json_valid(json)),
        bytes      INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (run_id, kind, name)
      );

      CREATE TABLE run_events (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq    INTEGER NOT NULL,
        at     TEXT NOT NULL,
        type   TEXT NOT NULL,
        json   TEXT CHECK (json IS NULL OR json_valid(json)),
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      CREATE TRIGGER run_events_append_only BEFORE UPDATE ON run_events
      BEGIN SELECT RAISE(ABORT, 'run_events is append-only'); END;
    `,
  },
  {
    version: 2,
    name: 'studies',
    sql: `
      -- A study (issue 11): its definition (base config, axes, seeds) and the user's intent for it.
      CREATE TABLE studies (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        definition_json TEXT NOT NULL CHECK (json_valid(definition_json)),
        state           TEXT NOT NULL CHECK (state IN ('active','paused')),
        concurrency     INTEGER NOT NULL DEFAULT 1 CHECK (concurrency >= 1),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );

      -- One row per run the study stands for (cell x seed); it is the persistent queue. claimed_by
      -- names the process running it ("host:pid:token"), so a restart can tell its own dead claims.
      CREATE TABLE study_items (
        study_id    TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        item_key    TEXT NOT NULL,
        cell_key    TEXT NOT NULL,
        values_json TEXT NOT NULL CHECK (json_valid(values_json)),
        seed_index  INTEGER NOT NULL,
        seed        INTEGER NOT NULL,
        config_json TEXT NOT NULL CHECK (json_valid(config_json)),
        position    INTEGER NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('queued','running','done','failed','cancelled')),
        run_id      TEXT REFERENCES runs(id) ON DELETE SET NULL,
        claimed_by  TEXT,
        error       TEXT,
        PRIMARY KEY (study_id, item_key)
      ) WITHOUT ROWID;
      CREATE INDEX study_items_by_status ON study_items(status);

      -- Every attempt of a study's items is a run of the study, so deleting the study finds them all.
      ALTER TABLE runs ADD COLUMN study_id TEXT REFERENCES studies(id);
      CREATE INDEX runs_by_study ON runs(study_id);
    `,
  },
  {
    version: 3,
    name: 'run notes and tags',
    sql: `
      -- Issue 12: a free-text note per run, and tags in their own table rather than a JSON column:
      -- filtering by tag is an indexed lookup, the primary key keeps a run's tags distinct, and the
      -- cascade drops them with the run, none of which a JSON array in runs would give.
      ALTER TABLE runs ADD COLUMN note TEXT;
      CREATE TABLE run_tags (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        tag    TEXT NOT NULL,
        PRIMARY KEY (run_id, tag)
      ) WITHOUT ROWID;
      CREATE INDEX run_tags_by_tag ON run_tags(tag, run_id);
    `,
  },
  {
    version: 4,
    name: 'run owners and heartbeats',
    sql: `
      -- Issue 13: the process recording a run ("host:pid:token") and when it last said it is alive, so
      -- a process opening a shared data folder marks only orphaned runs interrupted (store/ownership.ts).
      ALTER TABLE runs ADD COLUMN owner TEXT;
      ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
    `,
  },
  {
    version: 5,
    name: 'queue attempts',
    sql: `
      -- Issue 16: a study run on a Redis queue may be attempted more than once (a worker lost mid-run is
      -- replaced). Each attempt's worker, backend and the last event sequence recorded from it: an event
      -- at or below last_seq was recorded already (a duplicate delivery, a coordinator reading again after
      -- a restart), and one from an attempt older than the newest is from a lost worker and ignored.
      CREATE TABLE queue_attempts (
        run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        attempt    INTEGER NOT NULL,
        worker     TEXT NOT NULL,
        backend    TEXT,
        last_seq   INTEGER NOT NULL DEFAULT 0,
        rounds     INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (run_id, attempt)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'cancel requests',
    sql: `
      -- Issue 24: the app may cancel a run another process on this machine records (fedmem run in a
      -- terminal). A signal would stop all that process does (the app quits on SIGTERM), so the request is
      -- stored here with who asked; the owner reads it at its next heartbeat and cancels the run as a local
      -- cancel does (runs/cancel-run.ts).
      ALTER TABLE runs ADD COLUMN cancel_requested_at TEXT;
      ALTER TABLE runs ADD COLUMN cancel_requested_by TEXT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

/** The highest applied version, or 0 for a fresh database. Reads only; creates nothing. */
export function currentSchemaVersion(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

export function assertSchemaNotNewer(db: Database.Database, dbPath: string, known = LATEST_SCHEMA_VERSION): void {
  const found = currentSchemaVersion(db);
  if (found > known) {
    throw new StoreError(
      'STORE_SCHEMA_TOO_NEW',
      `database ${dbPath} has schema version ${found}, but this version of FedMem Workbench only knows ` +
        `versions up to ${known}; it was written by a newer release. Upgrade the app or choose another ` +
        `data directory. The database was left untouched.`,
    );
  }
}

/**
 * Applies every migration newer than the database, each in its own IMMEDIATE transaction that re-checks
 * the recorded versions first (so two processes opening one fresh database cannot both apply one).
 * Returns the versions applied now.
 */
export function applyMigrations(
  db: Database.Database,
  dbPath: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1 || (i > 0 && sorted[i - 1].version === m.version)) {
      throw new StoreError('STORE_MIGRATION_FAILED', `migration list is invalid at version ${m.version}`);
    }
  });
  const known = sorted.length > 0 ? sorted[sorted.length - 1].version : 0;
  assertSchemaNotNewer(db, dbPath, known);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of sorted) {
    const apply = db.transaction(() => {
      if (isApplied.get(m.version) !== undefined) return false;
      db.exec(m.sql);
      record.run(m.version, m.name, nowIso());
      return true;
    });
    try {
      if (apply.immediate()) applied.push(m.version);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new StoreError(
        'STORE_MIGRATION_FAILED',
        `migration ${m.version} (${m.name}) failed on ${dbPath} and was rolled back: ${why}`,
        { cause: err },
      );
    }
  }
  return applied;
}
