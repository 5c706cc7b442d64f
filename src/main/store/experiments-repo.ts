/** The `experiments` table: a named config that groups runs. */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { StoreError } from '../files/errors';
import type { RunsRepo } from './runs-repo';
import type { Experiment } from './types';
import { containsPattern, nowIso, parseJson, toJson } from './util';

interface ExperimentRow {
  id: string;
  name: string;
  config_json: string;
  created_at: string;
}

export interface CreateExperimentInput {
  id?: string;
  name: string;
  config: unknown;
}

export interface ListExperimentsFilter {
  /** Case-insensitive substring of the name or the config JSON. */
  text?: string;
  limit?: number;
  offset?: number;
}

export interface ExperimentsRepo {
  create(input: CreateExperimentInput): Experiment;
  get(id: string): Experiment | undefined;
  /** Like `get` but throws STORE_NOT_FOUND. */
  require(id: string): Experiment;
  /** Newest first. */
  list(filter?: ListExperimentsFilter): Experiment[];
  /** Deletes the experiment and all its runs (rows and weight files). Returns false if it did not exist. */
  delete(id: string): boolean;
}

function toExperiment(row: ExperimentRow): Experiment {
  return {
    id: row.id,
    name: row.name,
    config: parseJson(row.config_json, `experiments.config_json (id ${row.id})`),
    createdAt: row.created_at,
  };
}

export function createExperimentsRepo(db: Database.Database, runs: RunsRepo): ExperimentsRepo {
  const insert = db.prepare<[string, string, string, string]>(
    'INSERT INTO experiments (id, name, config_json, created_at) VALUES (?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], ExperimentRow>('SELECT * FROM experiments WHERE id = ?');
  const list = db.prepare<{ q: string | null; limit: number; offset: number }, ExperimentRow>(
    `SELECT * FROM experiments
     WHERE @q IS NULL OR name LIKE @q ESCAPE '\\' OR config_json LIKE @q ESCAPE '\\'
     ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
  );
  const runIds = db.prepare<[string], { id: string }>('SELECT id FROM runs WHERE experiment_id = ?');
  const remove = db.prepare<[string]>('DELETE FROM experiments WHERE id = ?');

  return {
    create(input: CreateExperimentInput): Experiment {
      const id = input.id ?? randomUUID();
      insert.run(id, input.name, toJson(input.config), nowIso());
      return toExperiment(byId.get(id)!);
    },

    get(id: string): Experiment | undefined {
      const row = byId.get(id);
      return row && toExperiment(row);
    },

    require(id: string): Experiment {
      const row = byId.get(id);
      if (!row) throw new StoreError('STORE_NOT_FOUND', `experiment ${id} does not exist`);
      return toExperiment(row);
    },

    list(filter: ListExperimentsFilter = {}): Experiment[] {
      return list
        .all({
          q: filter.text ? containsPattern(filter.text) : null,
          limit: filter.limit ?? -1,
          offset: filter.offset ?? 0,
        })
        .map(toExperiment);
    },

    delete(id: string): boolean {
      for (const { id: runId } of runIds.all(id)) runs.delete(runId);
      return remove.run(id).changes > 0;
    },
  };
}
