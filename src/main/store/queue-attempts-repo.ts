/**
 * The `queue_attempts` table (issue 16): one row per attempt of a run on the Redis queue, with the
 * last event sequence recorded from it, so the coordinator records every event exactly once
 * whatever Redis delivers twice, and shows which worker runs which run.
 */
import type Database from 'better-sqlite3';
import { nowIso } from './util';

export interface QueueAttempt {
  runId: string;
  attempt: number;
  worker: string;
  backend: string | null;
  lastSeq: number;
  /** Rounds this attempt trained so far (replayed ones left out), for its throughput. */
  rounds: number;
  startedAt: string;
  updatedAt: string;
}

interface Row {
  run_id: string;
  attempt: number;
  worker: string;
  backend: string | null;
  last_seq: number;
  rounds: number;
  started_at: string;
  updated_at: string;
}

const toAttempt = (r: Row): QueueAttempt => ({
  runId: r.run_id,
  attempt: r.attempt,
  worker: r.worker,
  backend: r.backend,
  lastSeq: r.last_seq,
  rounds: r.rounds,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
});

export interface QueueAttemptsRepo {
  /** The run's newest attempt, if any. */
  latest(runId: string): QueueAttempt | undefined;
  begin(runId: string, attempt: number, worker: string): void;
  /**
   * Marks `seq` recorded; `backend` once the engine named it; `trained`, from each round event, the
   * rounds trained so far (done - replayed: a reused stage's rounds arrive at once and are no pace).
   */
  advance(runId: string, attempt: number, seq: number, o?: { backend?: string; trained?: number }): void;
  /** The newest attempt of each of a study's runs. */
  ofStudy(studyId: string): QueueAttempt[];
}

export function createQueueAttemptsRepo(db: Database.Database): QueueAttemptsRepo {
  const latest = db.prepare<[string], Row>(
    'SELECT * FROM queue_attempts WHERE run_id = ? ORDER BY attempt DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT OR IGNORE INTO queue_attempts (run_id, attempt, worker, last_seq, started_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)`,
  );
  const advance = db.prepare<{
    runId: string;
    attempt: number;
    seq: number;
    backend: string | null;
    trained: number | null;
    now: string;
  }>(
    `UPDATE queue_attempts SET last_seq = @seq, backend = COALESCE(@backend, backend), rounds = COALESCE(@trained, rounds), updated_at = @now
     WHERE run_id = @runId AND attempt = @attempt`,
  );
  const ofStudy = db.prepare<[string], Row>(
    `SELECT a.* FROM queue_attempts a JOIN runs r ON r.id = a.run_id
     WHERE r.study_id = ? AND a.attempt = (SELECT MAX(attempt) FROM queue_attempts b WHERE b.run_id = a.run_id)`,
  );
  return {
    latest: (runId) => {
      const row = latest.get(runId);
      return row && toAttempt(row);
    },
    begin: (runId, attempt, worker) => {
      const now = nowIso();
      insert.run(runId, attempt, worker, now, now);
    },
    advance: (runId, attempt, seq, o = {}) =>
      void advance.run({ runId, attempt, seq, backend: o.backend ?? null, trained: o.trained ?? null, now: nowIso() }),
    ofStudy: (studyId) => ofStudy.all(studyId).map(toAttempt),
  };
}
