/**
 * The `studies` and `study_items` tables: a study's definition and state, and its items, which are
 * the persistent queue. Claiming an item is one IMMEDIATE transaction, so two processes on one
 * database (the app and `fedmem study resume`) never run the same item.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AxisValue, StudyInput } from '../../shared/study';
import type { StudyItemStatus, StudyState } from '../../shared/study-types';
import { StoreError } from '../files/errors';
import { nowIso, parseJson, toJson } from './util';

export interface StoredStudy {
  id: string;
  name: string;
  definition: StudyInput;
  state: StudyState;
  concurrency: number;
  createdAt: string;
  updatedAt: string;
}

export interface StoredStudyItem {
  studyId: string;
  key: string;
  cellKey: string;
  values: AxisValue[];
  seedIndex: number;
  seed: number;
  /** The validated run config of this item. */
  config: unknown;
  position: number;
  status: StudyItemStatus;
  runId: string | null;
  claimedBy: string | null;
  error: string | null;
}

export type NewStudyItem = Pick<StoredStudyItem, 'key' | 'cellKey' | 'values' | 'seedIndex' | 'seed' | 'config'>;

interface StudyRow {
  id: string;
  name: string;
  definition_json: string;
  state: StudyState;
  concurrency: number;
  created_at: string;
  updated_at: string;
}

interface ItemRow {
  study_id: string;
  item_key: string;
  cell_key: string;
  values_json: string;
  seed_index: number;
  seed: number;
  config_json: string;
  position: number;
  status: StudyItemStatus;
  run_id: string | null;
  claimed_by: string | null;
  error: string | null;
}

const toStudy = (r: StudyRow): StoredStudy => ({
  id: r.id,
  name: r.name,
  definition: parseJson<StudyInput>(r.definition_json, `studies.definition_json (id ${r.id})`),
  state: r.state,
  concurrency: r.concurrency,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toItem = (r: ItemRow): StoredStudyItem => ({
  studyId: r.study_id,
  key: r.item_key,
  cellKey: r.cell_key,
  values: parseJson<AxisValue[]>(r.values_json, `study_items.values_json (${r.study_id}/${r.item_key})`),
  seedIndex: r.seed_index,
  seed: r.seed,
  config: parseJson(r.config_json, `study_items.config_json (${r.study_id}/${r.item_key})`),
  position: r.position,
  status: r.status,
  runId: r.run_id,
  claimedBy: r.claimed_by,
  error: r.error,
});

export interface StudiesRepo {
  create(input: {
    name: string;
    definition: StudyInput;
    state: StudyState;
    concurrency: number;
    items: NewStudyItem[];
  }): StoredStudy;
  get(id: string): StoredStudy | undefined;
  require(id: string): StoredStudy;
  /** Newest first. */
  list(): StoredStudy[];
  items(studyId: string): StoredStudyItem[];
  item(studyId: string, key: string): StoredStudyItem | undefined;
  /** Adds the items the study does not have yet (by key), queued after the others; returns how many. */
  addItems(studyId: string, items: NewStudyItem[], definition: StudyInput): number;
  setState(id: string, state: StudyState): void;
  setConcurrency(id: string, concurrency: number): void;
  rename(id: string, name: string): void;
  /**
   * Claims the first queued item (by study age, then position) of an active study that `eligible`
   * accepts, marking it running for `claimer`; restricted to `studyId` when given.
   */
  claimNext(
    claimer: string,
    eligible: (item: StoredStudyItem, running: StoredStudyItem[]) => boolean,
    studyId?: string,
  ): StoredStudyItem | undefined;
  /** The item's run (null: none, e.g. a run never started was withdrawn). */
  attachRun(studyId: string, key: string, runId: string | null): void;
  finishItem(
    studyId: string,
    key: string,
    status: Exclude<StudyItemStatus, 'queued' | 'running'>,
    error: string | null,
  ): void;
  /** Running items whose claimer `isDead` says is gone go back to the queue; returns them. */
  requeueOrphans(isDead: (claimer: string) => boolean): StoredStudyItem[];
  /** One item back to the queue (its run was stopped by a quit, not by the user). */
  requeueItem(studyId: string, key: string): void;
  /** Items with one of `from` statuses go back to the queue (resume); returns how many. */
  requeue(studyId: string, from: StudyItemStatus[]): number;
  /** Queued items become cancelled; returns how many. */
  cancelQueued(studyId: string): number;
  /** New queue order: the keys given first, in that order, then the rest as they were. */
  reorder(studyId: string, keys: string[]): void;
  /** Removes the study and its items (its runs are deleted by the caller, who owns their files). */
  delete(id: string): boolean;
}

export function createStudiesRepo(db: Database.Database): StudiesRepo {
  const insertStudy = db.prepare(
    `INSERT INTO studies (id, name, definition_json, state, concurrency, created_at, updated_at)
     VALUES (@id, @name, @definition, @state, @concurrency, @now, @now)`,
  );
  const insertItem = db.prepare(
    `INSERT OR IGNORE INTO study_items (study_id, item_key, cell_key, values_json, seed_index, seed, config_json, position, status)
     VALUES (@studyId, @key, @cellKey, @values, @seedIndex, @seed, @config, @position, 'queued')`,
  );
  const byId = db.prepare<[string], StudyRow>('SELECT * FROM studies WHERE id = ?');
  const all = db.prepare<[], StudyRow>('SELECT * FROM studies ORDER BY created_at DESC, rowid DESC');
  const itemsOf = db.prepare<[string], ItemRow>(
    'SELECT * FROM study_items WHERE study_id = ? ORDER BY position, item_key',
  );
  const oneItem = db.prepare<[string, string], ItemRow>(
    'SELECT * FROM study_items WHERE study_id = ? AND item_key = ?',
  );
  const maxPosition = db.prepare<[string], { p: number | null }>(
    'SELECT MAX(position) AS p FROM study_items WHERE study_id = ?',
  );
  const touch = db.prepare<[string, string]>('UPDATE studies SET updated_at = ? WHERE id = ?');
  const queued = db.prepare<{ studyId: string | null }, ItemRow>(
    `SELECT i.* FROM study_items i JOIN studies s ON s.id = i.study_id
     WHERE i.status = 'queued' AND s.state = 'active' AND (@studyId IS NULL OR i.study_id = @studyId)
     ORDER BY s.created_at, s.rowid, i.position, i.item_key`,
  );
  const runningItems = db.prepare<[], ItemRow>("SELECT * FROM study_items WHERE status = 'running'");
  const setItem = db.prepare(
    `UPDATE study_items SET status = @status, claimed_by = @claimedBy, error = @error WHERE study_id = @studyId AND item_key = @key`,
  );

  const mustExist = (id: string) => {
    const row = byId.get(id);
    if (!row) throw new StoreError('STORE_NOT_FOUND', `study ${id} does not exist`);
    return toStudy(row);
  };
  const update = (sql: string) => {
    const stmt = db.prepare(sql);
    return (...args: unknown[]) => stmt.run(...args);
  };
  const setState = update('UPDATE studies SET state = ?, updated_at = ? WHERE id = ?');
  const setConcurrency = update('UPDATE studies SET concurrency = ?, updated_at = ? WHERE id = ?');
  const rename = update('UPDATE studies SET name = ?, updated_at = ? WHERE id = ?');
  const setDefinition = update('UPDATE studies SET definition_json = ?, updated_at = ? WHERE id = ?');
  const attach = update('UPDATE study_items SET run_id = ? WHERE study_id = ? AND item_key = ?');
  const requeueFrom = db.prepare<[string, string]>(
    "UPDATE study_items SET status = 'queued', claimed_by = NULL, error = NULL WHERE study_id = ? AND status IN (SELECT value FROM json_each(?))",
  );
  const cancelQueued = update(
    "UPDATE study_items SET status = 'cancelled', error = 'cancelled before it started' WHERE study_id = ? AND status = 'queued'",
  );
  const setPosition = db.prepare<[number, string, string]>(
    'UPDATE study_items SET position = ? WHERE study_id = ? AND item_key = ?',
  );
  const removeStudy = update('DELETE FROM studies WHERE id = ?');
  const unlinkRuns = update('UPDATE runs SET study_id = NULL WHERE study_id = ?');

  const insertItems = (studyId: string, items: NewStudyItem[], from: number) => {
    let added = 0;
    items.forEach((it, i) => {
      added += insertItem.run({
        studyId,
        key: it.key,
        cellKey: it.cellKey,
        values: toJson(it.values),
        seedIndex: it.seedIndex,
        seed: it.seed,
        config: toJson(it.config),
        position: from + i,
      }).changes;
    });
    return added;
  };

  return {
    create(input) {
      const id = randomUUID();
      db.transaction(() => {
        insertStudy.run({
          id,
          name: input.name,
          definition: toJson(input.definition),
          state: input.state,
          concurrency: input.concurrency,
          now: nowIso(),
        });
        insertItems(id, input.items, 0);
      }).immediate();
      return mustExist(id);
    },
    get: (id) => {
      const row = byId.get(id);
      return row && toStudy(row);
    },
    require: mustExist,
    list: () => all.all().map(toStudy),
    items: (studyId) => itemsOf.all(studyId).map(toItem),
    item: (studyId, key) => {
      const row = oneItem.get(studyId, key);
      return row && toItem(row);
    },
    addItems(studyId, items, definition) {
      return db
        .transaction(() => {
          mustExist(studyId);
          const known = new Set(itemsOf.all(studyId).map((r) => r.item_key));
          const fresh = items.filter((it) => !known.has(it.key));
          setDefinition(toJson(definition), nowIso(), studyId);
          return insertItems(studyId, fresh, (maxPosition.get(studyId)?.p ?? -1) + 1);
        })
        .immediate();
    },
    setState: (id, state) => void mustExistChange(setState(state, nowIso(), id), id),
    setConcurrency: (id, n) => void mustExistChange(setConcurrency(n, nowIso(), id), id),
    rename: (id, name) => void mustExistChange(rename(name, nowIso(), id), id),
    claimNext(claimer, eligible, studyId) {
      return db
        .transaction(() => {
          const running = runningItems.all().map(toItem);
          const item = queued
            .all({ studyId: studyId ?? null })
            .map(toItem)
            .find((it) => eligible(it, running));
          if (!item) return undefined;
          setItem.run({ studyId: item.studyId, key: item.key, status: 'running', claimedBy: claimer, error: null });
          touch.run(nowIso(), item.studyId);
          return { ...item, status: 'running' as const, claimedBy: claimer, error: null };
        })
        .immediate();
    },
    attachRun: (studyId, key, runId) => void attach(runId, studyId, key),
    finishItem(studyId, key, status, error) {
      setItem.run({ studyId, key, status, claimedBy: null, error });
      touch.run(nowIso(), studyId);
    },
    requeueOrphans(isDead) {
      return db
        .transaction(() => {
          const orphans = runningItems
            .all()
            .map(toItem)
            .filter((it) => it.claimedBy === null || isDead(it.claimedBy));
          for (const it of orphans)
            setItem.run({ studyId: it.studyId, key: it.key, status: 'queued', claimedBy: null, error: null });
          return orphans;
        })
        .immediate();
    },
    requeueItem: (studyId, key) => void setItem.run({ studyId, key, status: 'queued', claimedBy: null, error: null }),
    requeue: (studyId, from) => requeueFrom.run(studyId, JSON.stringify(from)).changes,
    cancelQueued: (studyId) => cancelQueued(studyId).changes,
    reorder(studyId, keys) {
      db.transaction(() => {
        const current = itemsOf.all(studyId).map((r) => r.item_key);
        const wanted = keys.filter((k) => current.includes(k));
        const order = [...new Set(wanted), ...current.filter((k) => !wanted.includes(k))];
        order.forEach((k, i) => setPosition.run(i, studyId, k));
        touch.run(nowIso(), studyId);
      }).immediate();
    },
    delete(id) {
      return db
        .transaction(() => {
          unlinkRuns(id);
          return removeStudy(id).changes > 0;
        })
        .immediate();
    },
  };
}

function mustExistChange(result: Database.RunResult, id: string): void {
  if (result.changes === 0) throw new StoreError('STORE_NOT_FOUND', `study ${id} does not exist`);
}
