/**
 * `run_events`: an append-only log of engine events (phase changes, warnings, errors) so a failed run
 * explains itself. seq is 1, 2, 3... per run, assigned inside the INSERT so appends never race.
 * A trigger rejects UPDATEs; rows leave only when their run is deleted.
 */
import type Database from 'better-sqlite3';
import type { RunEvent } from './types';
import { nowIso, parseJsonOrNull, toJsonOrNull } from './util';

interface EventRow {
  run_id: string;
  seq: number;
  at: string;
  type: string;
  json: string | null;
}

export interface ListEventsFilter {
  /** Only events with seq greater than this (for tailing). */
  afterSeq?: number;
  type?: string;
  limit?: number;
}

export interface EventsRepo {
  /** Appends and returns the stored event. `data` must be JSON-serialisable. */
  append(runId: string, type: string, data?: unknown): RunEvent;
  /** Ordered by seq. */
  list(runId: string, filter?: ListEventsFilter): RunEvent[];
}

const toEvent = (r: EventRow): RunEvent => ({
  runId: r.run_id,
  seq: r.seq,
  at: r.at,
  type: r.type,
  data: parseJsonOrNull(r.json, `run_events.json (run ${r.run_id}, seq ${r.seq})`),
});

export function createEventsRepo(db: Database.Database): EventsRepo {
  const insert = db.prepare<{ runId: string; at: string; type: string; json: string | null }, EventRow>(
    `INSERT INTO run_events (run_id, seq, at, type, json)
     SELECT @runId, COALESCE(MAX(seq), 0) + 1, @at, @type, @json FROM run_events WHERE run_id = @runId
     RETURNING *`,
  );
  const list = db.prepare<{ runId: string; afterSeq: number; type: string | null; limit: number }, EventRow>(
    `SELECT * FROM run_events WHERE run_id = @runId AND seq > @afterSeq AND (@type IS NULL OR type = @type)
     ORDER BY seq LIMIT @limit`,
  );

  return {
    append(runId, type, data) {
      const row = insert.get({ runId, at: nowIso(), type, json: toJsonOrNull(data) });
      return toEvent(row!);
    },
    list: (runId, filter = {}) =>
      list
        .all({ runId, afterSeq: filter.afterSeq ?? 0, type: filter.type ?? null, limit: filter.limit ?? -1 })
        .map(toEvent),
  };
}
