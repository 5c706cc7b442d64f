/**
 * The `artifacts` table: things a run produced. Large ones (weights) live in files beside the database
 * and the row holds the relative path and sha256; small ones (partition class counts, tables) live inline
 * in `json`. (run_id, kind, name) is unique, and `put` replaces the previous row for that key.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ArtifactKind, ArtifactShapes } from '../../shared/results';
import type { Artifact } from './types';
import { nowIso, parseJsonOrNull, toJsonOrNull } from './util';

interface ArtifactRow {
  id: string;
  run_id: string;
  kind: string;
  name: string;
  path: string | null;
  sha256: string | null;
  json: string | null;
  bytes: number;
  created_at: string;
}

export interface PutArtifactInput {
  runId: string;
  kind: string;
  name: string;
  /** Relative to the data dir, '/'-separated. */
  path?: string | null;
  sha256?: string | null;
  /** Inline value for small artifacts. */
  json?: unknown;
  /** Defaults to the UTF-8 size of `json` (0 when there is none); pass the file size for file artifacts. */
  bytes?: number;
}

export interface ArtifactsRepo {
  /** Inserts or replaces the artifact (run, kind, name); the id is kept on replace. */
  put(input: PutArtifactInput): Artifact;
  get(runId: string, kind: string, name: string): Artifact | undefined;
  /** An inline artifact's value, typed by its kind (results.ts ArtifactShapes); the name defaults to the kind. */
  json<K extends ArtifactKind>(runId: string, kind: K, name?: string): ArtifactShapes[K] | undefined;
  getById(id: string): Artifact | undefined;
  /** Ordered by kind, then name. */
  list(runId: string, kind?: string): Artifact[];
}

const toArtifact = (r: ArtifactRow): Artifact => ({
  id: r.id,
  runId: r.run_id,
  kind: r.kind,
  name: r.name,
  path: r.path,
  sha256: r.sha256,
  json: parseJsonOrNull(r.json, `artifacts.json (id ${r.id})`),
  bytes: r.bytes,
  createdAt: r.created_at,
});

export function createArtifactsRepo(db: Database.Database): ArtifactsRepo {
  const upsert = db.prepare(
    `INSERT INTO artifacts (id, run_id, kind, name, path, sha256, json, bytes, created_at)
     VALUES (@id, @runId, @kind, @name, @path, @sha256, @json, @bytes, @createdAt)
     ON CONFLICT (run_id, kind, name) DO UPDATE SET
       path = excluded.path, sha256 = excluded.sha256, json = excluded.json,
       bytes = excluded.bytes, created_at = excluded.created_at`,
  );
  const byKey = db.prepare<[string, string, string], ArtifactRow>(
    'SELECT * FROM artifacts WHERE run_id = ? AND kind = ? AND name = ?',
  );
  const byId = db.prepare<[string], ArtifactRow>('SELECT * FROM artifacts WHERE id = ?');
  const list = db.prepare<{ runId: string; kind: string | null }, ArtifactRow>(
    'SELECT * FROM artifacts WHERE run_id = @runId AND (@kind IS NULL OR kind = @kind) ORDER BY kind, name',
  );

  return {
    put(input) {
      const json = toJsonOrNull(input.json);
      upsert.run({
        id: randomUUID(),
        runId: input.runId,
        kind: input.kind,
        name: input.name,
        path: input.path ?? null,
        sha256: input.sha256 ?? null,
        json,
        bytes: input.bytes ?? (json === null ? 0 : Buffer.byteLength(json, 'utf8')),
        createdAt: nowIso(),
      });
      return toArtifact(byKey.get(input.runId, input.kind, input.name)!);
    },
    get: (runId, kind, name) => {
      const row = byKey.get(runId, kind, name);
      return row && toArtifact(row);
    },
    json: <K extends ArtifactKind>(runId: string, kind: K, name: string = kind) => {
      const row = byKey.get(runId, kind, name);
      return row ? (toArtifact(row).json as ArtifactShapes[K]) : undefined;
    },
    getById: (id) => {
      const row = byId.get(id);
      return row && toArtifact(row);
    },
    list: (runId, kind) => list.all({ runId, kind: kind ?? null }).map(toArtifact),
  };
}
