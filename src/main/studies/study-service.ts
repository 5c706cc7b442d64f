/**
 * Studies over the store, for the IPC handlers and the CLI alike: create (validated and expanded
 * before anything runs), extend with more values or seeds (only missing runs are added), duplicate,
 * pause / resume / cancel / reorder, delete as one thing, and read back with their results.
 */
import fs from 'node:fs';
import { ApiFailure } from '../../shared/api-errors';
import { isActiveStatus } from '../../shared/catalog';
import { parseConfig } from '../../shared/config';
import {
  axisLabel,
  axisValues,
  expandStudy,
  studySchema,
  type StudyInput,
  type StudyProblem,
} from '../../shared/study';
import { canonicalJson } from '../../shared/study-sharing';
import {
  roundsPerMinute,
  STUDY_ITEM_STATUSES,
  studyItemKey,
  studyStatus,
  type StudyDetail,
  type StudyItem,
  type StudyListItem,
  type StudyRunResult,
} from '../../shared/study-types';
import type { NewStudyItem, Store, StoredStudy, StoredStudyItem } from '../store';
import { studyDirFor } from '../store/paths';
import { cachedFactsReader, dataIssues } from '../dataset-files/dataset-facts';

/** A study's problems as one refusal whose issues name the cell, field and rule. */
export function invalidStudy(problems: StudyProblem[]): ApiFailure {
  const issues = problems.map((p) => ({ path: p.cell ? `[${p.cell}] ${p.path}` : p.path, message: p.message }));
  return new ApiFailure(
    'INVALID_STUDY',
    `invalid study: ${issues.map((i) => `${i.path || '(study)'}: ${i.message}`).join('; ')}`,
    issues,
  );
}

/**
 * expandStudy, then every cell's config against what its dataset holds (dataset-files/dataset-facts.ts),
 * each dataset read once: a cell the data cannot honour is refused before any of the study is stored.
 */
export function expandStudyChecked(input: unknown): ReturnType<typeof expandStudy> {
  const expanded = expandStudy(input);
  if (!expanded.ok) return expanded;
  const read = cachedFactsReader();
  // Seeds change nothing the data decides, so each cell is checked once.
  const problems = expanded.runs
    .filter((r) => r.seedIndex === 0)
    .flatMap((r) => dataIssues(r.config, read).map((i) => ({ ...i, cell: r.cell.key })));
  return problems.length > 0 ? { ok: false, problems } : expanded;
}

/** The runs a study definition stands for, as queue items; throws INVALID_STUDY with every problem. */
export function studyItems(input: unknown): { definition: StudyInput; items: NewStudyItem[] } {
  const expanded = expandStudyChecked(input);
  if (!expanded.ok) throw invalidStudy(expanded.problems);
  const definition = studySchema.parse(input) as StudyInput;
  const items = expanded.runs.map((r) => ({
    key: studyItemKey(r.cell.key, r.seedIndex),
    cellKey: r.cell.key,
    values: r.cell.values,
    seedIndex: r.seedIndex,
    seed: r.config.seed,
    config: r.config,
  }));
  return { definition, items };
}

const defaultName = (d: StudyInput) => d.name ?? `Study of ${d.axes.map((a) => a.label ?? a.path).join(' × ')}`;

export class StudyService {
  constructor(private readonly store: Store) {}

  require(id: string): StoredStudy {
    const s = this.store.studies.get(id);
    if (!s) throw new ApiFailure('NOT_FOUND', `study ${id} does not exist`);
    return s;
  }

  create(input: unknown, o: { start?: boolean; concurrency?: number } = {}): StoredStudy {
    const { definition, items } = studyItems(input);
    return this.store.studies.create({
      name: defaultName(definition),
      definition,
      state: o.start === false ? 'paused' : 'active',
      concurrency: o.concurrency ?? 1,
      items,
    });
  }

  /**
   * More values or seeds for a study: the base config must be the same (else it would be another
   * study: duplicate it); runs it already has are kept, and only missing ones are queued.
   */
  extend(id: string, input: unknown): { added: number } {
    const study = this.require(id);
    const { definition, items } = studyItems(input);
    if (canonicalJson(definition.base) !== canonicalJson(studySchema.parse(study.definition).base)) {
      throw new ApiFailure(
        'INVALID_STUDY',
        'base: must stay the same when a study is extended (its runs would no longer compare); duplicate the study to change it',
      );
    }
    // Extending only adds: a definition without some existing runs would no longer describe the study.
    const keys = new Set(items.map((it) => it.key));
    const dropped = this.store.studies.items(id).filter((it) => !keys.has(it.key));
    if (dropped.length > 0) {
      throw new ApiFailure(
        'INVALID_STUDY',
        `axes: an extended study must keep every run it has; this definition leaves out ${dropped.map((it) => it.key).join(', ')} (delete the study or duplicate it to narrow it)`,
      );
    }
    return { added: this.store.studies.addItems(id, items, definition) };
  }

  /** A new study with the same definition (paused, nothing run), to change and start. */
  duplicate(id: string, name?: string): StoredStudy {
    const study = this.require(id);
    const definition = { ...study.definition, name: name ?? `${study.name} (copy)` };
    return this.create(definition, { start: false, concurrency: study.concurrency });
  }

  pause(id: string): void {
    this.require(id);
    this.store.studies.setState(id, 'paused');
  }

  /** Active again; cancelled and failed items go back to the queue. */
  resume(id: string): { requeued: number } {
    this.require(id);
    const requeued = this.store.studies.requeue(id, ['cancelled', 'failed']);
    this.store.studies.setState(id, 'active');
    return { requeued };
  }

  /** Queued items are cancelled and the study paused; the caller stops its running items. */
  cancel(id: string): { cancelled: number } {
    this.require(id);
    this.store.studies.setState(id, 'paused');
    return { cancelled: this.store.studies.cancelQueued(id) };
  }

  reorder(id: string, keys: string[]): void {
    this.require(id);
    this.store.studies.reorder(id, keys);
  }

  setConcurrency(id: string, concurrency: number): void {
    this.require(id);
    this.store.studies.setConcurrency(id, concurrency);
  }

  /** The study, every run of it (each attempt) and its shared trainings; refused while any of it runs. */
  delete(id: string): { deleted: boolean; runs: number } {
    const study = this.store.studies.get(id);
    if (!study) return { deleted: false, runs: 0 };
    const runs = this.store.runs.list({ studyId: id });
    const items = this.store.studies.items(id);
    if (items.some((it) => it.status === 'running') || runs.some((r) => isActiveStatus(r.status))) {
      throw new ApiFailure(
        'STUDY_ACTIVE',
        `study "${study.name}" has a run in progress; cancel the study before deleting it`,
      );
    }
    for (const r of runs) this.store.runs.delete(r.id);
    const deleted = this.store.studies.delete(id);
    fs.rmSync(studyDirFor(this.store.dataDir, id), { recursive: true, force: true });
    return { deleted, runs: runs.length };
  }

  listItem(study: StoredStudy, items: StoredStudyItem[] = this.store.studies.items(study.id)): StudyListItem {
    const def = studySchema.parse(study.definition);
    const counts = Object.fromEntries(
      STUDY_ITEM_STATUSES.map((s) => [s, items.filter((it) => it.status === s).length]),
    ) as StudyListItem['counts'];
    return {
      id: study.id,
      name: study.name,
      createdAt: study.createdAt,
      state: study.state,
      status: studyStatus(study.state, counts),
      axes: def.axes.map((a) => ({ path: a.path, label: axisLabel(a), values: axisValues(a) })),
      combine: def.combine,
      cells: new Set(items.map((it) => it.cellKey)).size,
      seeds: def.seeds,
      counts,
    };
  }

  list(): StudyListItem[] {
    return this.store.studies.list().map((s) => this.listItem(s));
  }

  detail(id: string): StudyDetail {
    const study = this.require(id);
    const stored = this.store.studies.items(id);
    const attempts = new Map(this.store.queueAttempts.ofStudy(id).map((a) => [a.runId, a]));
    const items: StudyItem[] = stored.map((it) => {
      const a = it.runId ? attempts.get(it.runId) : undefined;
      const run = it.runId ? this.store.runs.get(it.runId) : undefined;
      return {
        key: it.key,
        cellKey: it.cellKey,
        values: it.values,
        seedIndex: it.seedIndex,
        seed: it.seed,
        position: it.position,
        status: it.status,
        runId: it.runId,
        error: it.error,
        shared: it.runId ? (this.store.artifacts.json(it.runId, 'shared', 'shared') ?? null) : null,
        durationMs: run?.durationMs ?? null,
        remote: a
          ? {
              worker: a.worker,
              backend: a.backend,
              attempt: a.attempt,
              roundsPerMinute: roundsPerMinute(a.rounds, a.startedAt, a.updatedAt),
            }
          : null,
      };
    });
    return {
      ...this.listItem(study, stored),
      definition: study.definition,
      concurrency: study.concurrency,
      items,
      results: this.results(stored),
    };
  }

  items(id: string): StoredStudyItem[] {
    return this.store.studies.items(id);
  }

  /** The done items' reports (and time curves), in item order. */
  results(items: StoredStudyItem[]): StudyRunResult[] {
    return items.flatMap((it) => {
      if (it.status !== 'done' || !it.runId) return [];
      const report = this.store.artifacts.json(it.runId, 'report', 'report');
      if (!report) return [];
      const time = this.store.artifacts.json(it.runId, 'time', 'time') ?? null;
      return [{ cellKey: it.cellKey, values: it.values, seedIndex: it.seedIndex, runId: it.runId, report, time }];
    });
  }

  /** The item configs (validated), e.g. for the estimate of what is left. */
  configs(id: string) {
    return this.store.studies
      .items(id)
      .map((it) => ({ status: it.status, cellKey: it.cellKey, config: parseConfig(it.config) }));
  }
}
