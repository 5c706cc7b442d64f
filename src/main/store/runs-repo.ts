/**
 * The `runs` table. A run is created 'queued', moves to 'running', and ends through `finish`.
 * Deleting a run removes its rows (the schema cascades) and its files under the data dir.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { StoreError } from '../files/errors';
import { currentFacts, ownedElsewhere, ownerIsGone } from './ownership';
import { registerStatusNow, SELECT_RUN, STATUS_NOW, toRun, type RunRow } from './run-rows';
import { engineLogFor, resolveInDataDir, weightsDirFor } from './paths';
import { type Run, type TerminalRunStatus } from './types';
import { durationMs, nowIso, toJson, toJsonOrNull } from './util';
import type { RunSummary } from '../../shared/results';
import { RESUMABLE_RUN_STATUSES } from '../../shared/catalog';

export type { CreateRunInput, ListRunsFilter, RunsRepo } from './runs-repo-types';
import type { RunsRepo } from './runs-repo-types';

export function createRunsRepo(db: Database.Database, dataDir: string, owner: string | null = null): RunsRepo {
  registerStatusNow(db, owner);
  const rows = runRows(db, owner);
  return {
    ...lifecycle(db, rows, owner),
    ...listing(db, rows),
    ...annotations(db, rows),
    ...ownership(db, rows, owner),
    delete: deletion(db, rows, dataDir),
  };
}

/** Reading one run back, and the checks every change makes. */
interface RunRows {
  byId: Database.Statement<[string], RunRow>;
  requireRun: (id: string) => Run;
  mustChange: (result: Database.RunResult, id: string) => void;
  /** Refuses to change a queued/running run that another live process records. */
  assertOurs: (run: Run, verb: string) => void;
  finishRun: (...args: Parameters<RunsRepo['finish']>) => ReturnType<RunsRepo['finish']>;
}

function runRows(db: Database.Database, owner: string | null): RunRows {
  const byId = db.prepare<[string], RunRow>(`${SELECT_RUN} WHERE id = ?`);
  const finish = db.prepare(
    `UPDATE runs SET status = @status, error = @error, summary_json = COALESCE(@summary, summary_json),
       ended_at = @endedAt, duration_ms = @durationMs WHERE id = @id`,
  );

  function requireRun(id: string): Run {
    const row = byId.get(id);
    if (!row) throw new StoreError('STORE_NOT_FOUND', `run ${id} does not exist`);
    return toRun(row);
  }

  function mustChange(result: Database.RunResult, id: string): void {
    if (result.changes === 0) throw new StoreError('STORE_NOT_FOUND', `run ${id} does not exist`);
  }

  function assertOurs(run: Run, verb: string): void {
    if (run.status !== 'queued' && run.status !== 'running') return;
    if (run.owner === null || run.owner === owner || ownerIsGone(run.owner, run.heartbeatAt, currentFacts())) return;
    throw new StoreError('RUN_OWNED_ELSEWHERE', ownedElsewhere(run.id, run.owner, run.heartbeatAt, verb));
  }

  function finishRun(id: string, status: TerminalRunStatus, error?: string | null, summary?: RunSummary | null): Run {
    const run = requireRun(id);
    assertOurs(run, 'finish');
    const endedAt = nowIso();
    finish.run({
      id,
      status,
      error: error ?? null,
      summary: toJsonOrNull(summary),
      endedAt,
      durationMs: durationMs(run.startedAt, endedAt),
    });
    return requireRun(id);
  }

  return { byId, requireRun, mustChange, assertOurs, finishRun };
}

/** A run's life: created, started, its phase and versions, finished; resumed or adopted after a stop. */
function lifecycle(
  db: Database.Database,
  { requireRun, mustChange, finishRun }: RunRows,
  owner: string | null,
): Pick<
  RunsRepo,
  'create' | 'updateStatus' | 'setPhase' | 'setBackend' | 'mergeVersions' | 'finish' | 'resume' | 'adopt'
> {
  const insert = db.prepare(
    `INSERT INTO runs (id, experiment_id, name, status, config_json, seed, backend, versions_json, created_at, started_at, study_id, owner, heartbeat_at)
     VALUES (@id, @experimentId, @name, @status, @config, @seed, @backend, @versions, @createdAt, @startedAt, @studyId, @owner, @createdAt)`,
  );
  const setStatus = db.prepare<[string, string | null, string]>(
    'UPDATE runs SET status = ?, started_at = COALESCE(started_at, ?) WHERE id = ?',
  );
  const setPhase = db.prepare<[string | null, string]>('UPDATE runs SET phase = ? WHERE id = ?');
  const setBackend = db.prepare<[string | null, string]>('UPDATE runs SET backend = ? WHERE id = ?');
  const mergeVersions = db.prepare<[string, string]>(
    'UPDATE runs SET versions_json = json_patch(versions_json, ?) WHERE id = ?',
  );
  const claim = db.prepare<{ id: string; owner: string | null; now: string; statuses: string }>(
    `UPDATE runs SET status = 'running', owner = @owner, heartbeat_at = @now, error = NULL, ended_at = NULL,
       duration_ms = NULL, phase = NULL, cancel_requested_at = NULL, cancel_requested_by = NULL
     WHERE id = @id AND study_id IS NULL AND ${STATUS_NOW} IN (SELECT value FROM json_each(@statuses))`,
  );
  const adopt = db.prepare<{ id: string; owner: string | null; now: string; status: string }>(
    `UPDATE runs SET status = @status, owner = @owner, heartbeat_at = @now, error = NULL, ended_at = NULL,
       duration_ms = NULL, cancel_requested_at = NULL, cancel_requested_by = NULL
     WHERE id = @id AND study_id IS NOT NULL AND status IN ('queued', 'running', 'interrupted')`,
  );

  return {
    create(input) {
      const id = input.id ?? randomUUID();
      const status = input.status ?? 'queued';
      const createdAt = nowIso();
      insert.run({
        id,
        experimentId: input.experimentId ?? null,
        name: input.name,
        status,
        config: toJson(input.config),
        seed: input.seed ?? null,
        backend: input.backend ?? null,
        versions: toJson(input.versions ?? {}),
        createdAt,
        startedAt: status === 'running' ? createdAt : null,
        studyId: input.studyId ?? null,
        owner,
      });
      return requireRun(id);
    },

    updateStatus(id, status) {
      mustChange(setStatus.run(status, status === 'running' ? nowIso() : null, id), id);
      return requireRun(id);
    },

    setPhase(id, phase) {
      mustChange(setPhase.run(phase, id), id);
    },

    setBackend(id, backend) {
      mustChange(setBackend.run(backend, id), id);
    },

    mergeVersions(id, versions) {
      mustChange(mergeVersions.run(toJson(versions), id), id);
      return requireRun(id);
    },

    finish: finishRun,

    adopt(id, status) {
      mustChange(adopt.run({ id, owner, now: nowIso(), status }), id);
      return requireRun(id);
    },

    resume(id) {
      const run = requireRun(id);
      if (claim.run({ id, owner, now: nowIso(), statuses: JSON.stringify(RESUMABLE_RUN_STATUSES) }).changes === 0) {
        const why =
          run.studyId !== null ? 'it belongs to a study; resume the study instead' : `it is ${requireRun(id).status}`;
        throw new StoreError('RUN_NOT_RESUMABLE', `run ${id} cannot be resumed: ${why}`);
      }
      return requireRun(id);
    },
  };
}

function listing(db: Database.Database, { byId, requireRun }: RunRows): Pick<RunsRepo, 'get' | 'require' | 'list'> {
  const list = db.prepare<
    {
      statuses: string | null;
      experimentId: string | null;
      studyId: string | null;
      tag: string | null;
      limit: number;
      offset: number;
    },
    RunRow
  >(
    `${SELECT_RUN}
     WHERE (@statuses IS NULL OR ${STATUS_NOW} IN (SELECT value FROM json_each(@statuses)))
       AND (@experimentId IS NULL OR experiment_id = @experimentId)
       AND (@studyId IS NULL OR study_id = @studyId)
       AND (@tag IS NULL OR EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = runs.id AND t.tag = @tag))
     ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
  );

  return {
    get(id) {
      const row = byId.get(id);
      return row && toRun(row);
    },

    require: requireRun,

    list(filter = {}) {
      const statuses = filter.status === undefined ? null : [filter.status].flat();
      return list
        .all({
          statuses: statuses ? JSON.stringify(statuses) : null,
          experimentId: filter.experimentId ?? null,
          studyId: filter.studyId ?? null,
          tag: filter.tag ?? null,
          limit: filter.limit ?? -1,
          offset: filter.offset ?? 0,
        })
        .map(toRun);
    },
  };
}

/** What people add to a run: its name, note and tags. */
function annotations(
  db: Database.Database,
  { requireRun, mustChange }: RunRows,
): Pick<RunsRepo, 'rename' | 'annotate'> {
  const setName = db.prepare<[string, string]>('UPDATE runs SET name = ? WHERE id = ?');
  const setNote = db.prepare<[string | null, string]>('UPDATE runs SET note = ? WHERE id = ?');
  const clearTags = db.prepare<[string]>('DELETE FROM run_tags WHERE run_id = ?');
  const addTag = db.prepare<[string, string]>('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)');

  return {
    rename(id, name) {
      mustChange(setName.run(name, id), id);
      return requireRun(id);
    },

    annotate(id, { note, tags }) {
      db.transaction(() => {
        requireRun(id);
        if (note !== undefined) setNote.run(note === '' ? null : note, id);
        if (tags !== undefined) {
          clearTags.run(id);
          for (const tag of tags) addTag.run(id, tag);
        }
      }).immediate();
      return requireRun(id);
    },
  };
}

/** Which process records a run: heartbeats, orphans of a gone process, cancel requests across processes. */
function ownership(
  db: Database.Database,
  { finishRun }: RunRows,
  owner: string | null,
): Pick<RunsRepo, 'interruptOrphans' | 'heartbeat' | 'requestCancel' | 'cancelRequests'> {
  const active = db.prepare<[], RunRow>(`${SELECT_RUN} WHERE status IN ('queued', 'running')`);
  const renew = db.prepare<[string, string]>(
    `UPDATE runs SET heartbeat_at = ? WHERE owner = ? AND status IN ('queued', 'running')`,
  );
  const askCancel = db.prepare<[string, string, string]>(
    `UPDATE runs SET cancel_requested_at = ?, cancel_requested_by = ? WHERE id = ? AND status IN ('queued', 'running')`,
  );
  const askedToCancel = db.prepare<[string], { id: string; cancel_requested_by: string | null }>(
    `SELECT id, cancel_requested_by FROM runs
     WHERE owner = ? AND status IN ('queued', 'running') AND cancel_requested_at IS NOT NULL`,
  );

  return {
    interruptOrphans(reason) {
      return db
        .transaction(() => {
          const facts = currentFacts();
          return active
            .all()
            .filter((row) => row.owner !== owner && ownerIsGone(row.owner, row.heartbeat_at, facts))
            .map((row) => {
              finishRun(row.id, 'interrupted', reason);
              return row.id;
            });
        })
        .immediate();
    },

    heartbeat() {
      if (owner) renew.run(nowIso(), owner);
    },

    requestCancel: (id, by) => askCancel.run(nowIso(), by, id).changes > 0,

    cancelRequests() {
      if (!owner) return [];
      return askedToCancel.all(owner).map((r) => ({ runId: r.id, by: r.cancel_requested_by }));
    },
  };
}

/** Deleting a run: its rows, then its files. */
function deletion(db: Database.Database, { byId, assertOurs }: RunRows, dataDir: string): RunsRepo['delete'] {
  const artifactPaths = db.prepare<[string], { path: string }>(
    'SELECT path FROM artifacts WHERE run_id = ? AND path IS NOT NULL',
  );
  const remove = db.prepare<[string]>('DELETE FROM runs WHERE id = ?');

  return (id) => {
    const row = byId.get(id);
    if (row) assertOurs(toRun(row), 'delete');
    const paths = artifactPaths.all(id).map((r) => r.path);
    const existed = remove.run(id).changes > 0;
    // Files go after the rows commit: a failed unlink leaves an orphan file, never a row pointing nowhere.
    for (const rel of paths) {
      const abs = resolveInDataDir(dataDir, rel);
      if (abs) fs.rmSync(abs, { force: true });
    }
    fs.rmSync(weightsDirFor(dataDir, id), { recursive: true, force: true });
    fs.rmSync(engineLogFor(dataDir, id), { force: true });
    return existed;
  };
}
