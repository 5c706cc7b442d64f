/**
 * How a row of the `runs` table reads: its columns, the one SELECT every read uses (the row, the status
 * readers see, its tags) and the Run it becomes. Split from runs-repo.ts, which holds the statements.
 */
import type Database from 'better-sqlite3';
import { currentFacts, statusNow } from './ownership';
import { INTERRUPTED_REASON, type Run, type RunStatus } from './types';
import { parseJson, parseJsonOrNull } from './util';
import type { RunSummary } from '../../shared/results';

export interface RunRow {
  id: string;
  experiment_id: string | null;
  name: string;
  status: RunStatus;
  config_json: string;
  seed: number | null;
  backend: string | null;
  versions_json: string;
  phase: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  summary_json: string | null;
  study_id: string | null;
  note: string | null;
  /** JSON array of the run's tags, sorted (a subquery over run_tags). */
  tags_json: string;
  /** `status` as readers see it (STATUS_NOW). */
  status_now: RunStatus;
  owner: string | null;
  heartbeat_at: string | null;
  cancel_requested_at: string | null;
}

/**
 * The status readers see (ownership.ts statusNow): a queued/running run whose recorder is gone reads as
 * 'interrupted' before any writer marks it. Computed in SQL, through a function the repository registers
 * on its connection, so a status filter and LIMIT agree with what is shown.
 */
export const STATUS_NOW = `CASE WHEN runs.status IN ('queued', 'running')
  THEN run_status_now(runs.status, runs.owner, runs.heartbeat_at) ELSE runs.status END`;

/** Every read selects the row plus its tags in one statement. */
export const SELECT_RUN = `SELECT runs.*, ${STATUS_NOW} AS status_now,
  (SELECT json_group_array(tag) FROM (SELECT tag FROM run_tags WHERE run_id = runs.id ORDER BY tag)) AS tags_json
  FROM runs`;

export function toRun(row: RunRow): Run {
  const where = (col: string) => `runs.${col} (id ${row.id})`;
  return {
    id: row.id,
    experimentId: row.experiment_id,
    name: row.name,
    status: row.status_now,
    config: parseJson(row.config_json, where('config_json')),
    seed: row.seed,
    backend: row.backend,
    versions: parseJson<Record<string, string>>(row.versions_json, where('versions_json')),
    phase: row.phase,
    // A run read as interrupted before a writer marked it says why, as the marked one will.
    error: row.error ?? (row.status_now === 'interrupted' ? INTERRUPTED_REASON : null),
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
    summary: parseJsonOrNull<RunSummary>(row.summary_json, where('summary_json')),
    studyId: row.study_id,
    note: row.note,
    tags: parseJson<string[]>(row.tags_json, where('tags')),
    owner: row.owner,
    heartbeatAt: row.heartbeat_at,
    cancelRequestedAt: row.cancel_requested_at,
  };
}

/** Registers the SQL function STATUS_NOW calls, judging owners as seen from the store whose owner id is `owner`. */
export function registerStatusNow(db: Database.Database, owner: string | null): void {
  db.function('run_status_now', { deterministic: false }, (status, runOwner, heartbeatAt) =>
    statusNow(status as string, runOwner as string | null, heartbeatAt as string | null, owner, currentFacts()),
  );
}
