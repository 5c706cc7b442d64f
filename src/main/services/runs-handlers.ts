/** The `runs:*` channels: listing, detail, start/cancel/delete, and table export, over the store. */
import { parseConfig } from '../../shared/config';
import { requireDataFits } from '../dataset-files/dataset-facts';
import type { RunDetail, RunListItem } from '../../shared/contract';
import { methodLabel } from '../../shared/catalog';
import { METHOD_IDS, type MethodConfig, type MethodId } from '../../shared/method-schemas';
import { DEFAULT_LATEX_OPTIONS } from '../../shared/latex-options';
import { EXPORT_FILE_TYPES } from '../../shared/data-table';
import { availableTables, buildLatex, buildTable, LatexRefused } from '../export/run-tables';
import { toCsv, toJson } from '../export/data-files';
import { fileStem } from '../export/study-export';
import type { Run, Store } from '../store';
import type { Handlers } from './dispatch';
import { ApiFailure } from '../../shared/api-errors';
import { configSearchText, hasRunFilter, matchesRunFilter, type RunFilter } from '../../shared/run-filter';
import type { RunManager } from './run-manager';
import { cancelRun } from '../runs/cancel-run';

type RunsHandlers = Pick<
  Handlers,
  | 'runs:list'
  | 'runs:get'
  | 'runs:start'
  | 'runs:resume'
  | 'runs:cancel'
  | 'runs:delete'
  | 'runs:tables'
  | 'runs:export'
  | 'runs:rename'
  | 'runs:annotate'
>;

/** Reads display fields from a stored config without trusting its shape (old rows, other versions). */
function configFacts(config: unknown): { dataset: string; model: string; methods: string[] } {
  const c = (config ?? {}) as {
    dataset?: { id?: unknown };
    model?: { id?: unknown };
    unlearning?: { methods?: unknown };
  };
  const methods = Array.isArray(c.unlearning?.methods)
    ? c.unlearning.methods.map((m: { id?: unknown; label?: unknown }) =>
        typeof m?.label === 'string'
          ? m.label
          : METHOD_IDS.includes(m?.id as MethodId)
            ? methodLabel(m as MethodConfig)
            : // eslint-disable-next-line @typescript-eslint/no-base-to-string -- stored config, any shape
              String(m?.id ?? '?'),
      )
    : [];
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- stored config, any shape
  return { dataset: String(c.dataset?.id ?? '?'), model: String(c.model?.id ?? 'cnn'), methods };
}

export function createRunsHandlers(store: Store, runs: RunManager): RunsHandlers {
  const listItem = (r: Run): RunListItem => ({
    id: r.id,
    name: r.name,
    status: r.status,
    createdAt: r.createdAt,
    durationMs: r.durationMs,
    ...configFacts(r.config),
    seed: r.seed,
    backend: r.backend,
    phase: r.phase,
    error: r.error,
    summary: r.summary,
    active: runs.isActive(r.id),
    studyId: r.studyId,
    note: r.note,
    tags: r.tags,
  });

  // A run's config never changes, so its searchable text is built once per run (thousands of runs stay quick to
  // filter).
  const configTexts = new Map<string, string>();
  const configText = (run: Run): string => {
    let text = configTexts.get(run.id);
    if (text === undefined) configTexts.set(run.id, (text = configSearchText(run.config)));
    return text;
  };

  const requireRun = (id: string): Run => {
    const run = store.runs.get(id);
    if (!run) throw new ApiFailure('NOT_FOUND', `run ${id} does not exist`);
    return run;
  };

  return {
    'runs:list': ({ status, search, limit, tag, dataset, method, conditions }) => {
      const filter: RunFilter = { text: search, dataset, method, conditions };
      // Status and tag are indexed columns (SQL); the rest reads configs and summaries here.
      if (!hasRunFilter(filter)) return store.runs.list({ status, limit, tag }).map(listItem);
      const matches: RunListItem[] = [];
      for (const run of store.runs.list({ status, tag })) {
        const item = listItem(run);
        if (matchesRunFilter({ ...item, config: run.config }, filter, () => configText(run))) matches.push(item);
        if (limit !== undefined && matches.length >= limit) break;
      }
      return matches;
    },

    'runs:rename': ({ id, name }) => {
      requireRun(id);
      return listItem(store.runs.rename(id, name));
    },

    'runs:annotate': ({ id, note, tags }) => {
      requireRun(id);
      return listItem(store.runs.annotate(id, { note: note?.trim() ?? note, tags: tags && [...new Set(tags)] }));
    },

    'runs:get': ({ id }): RunDetail => {
      const run = requireRun(id);
      const artifacts: Record<string, unknown> = {};
      const files: RunDetail['files'] = [];
      for (const a of store.artifacts.list(id)) {
        // File artifacts (weights) are listed by location only: their bytes never go to the renderer.
        if (a.path !== null) files.push({ kind: a.kind, name: a.name, path: a.path, sha256: a.sha256, bytes: a.bytes });
        else artifacts[`${a.kind}/${a.name}`] = a.json;
      }
      return {
        ...listItem(run),
        config: run.config,
        versions: run.versions,
        startedAt: run.startedAt,
        endedAt: run.endedAt,
        rounds: store.metrics.roundsFor(id).map(({ runId: _runId, ...r }) => r),
        artifacts,
        files,
        events: store.events.list(id).map(({ runId: _runId, ...e }) => e),
      };
    },

    'runs:start': ({ config }) => ({ runId: runs.start(requireDataFits(parseConfig(config))).runId }),

    'runs:resume': ({ id }) => {
      requireRun(id);
      return { runId: runs.resume(id).runId };
    },

    'runs:cancel': ({ id }) => {
      requireRun(id);
      return cancelRun(store, runs, id);
    },

    'runs:delete': ({ id }) => {
      const run = store.runs.get(id);
      if (!run) return { deleted: false };
      if (runs.isActive(id))
        throw new ApiFailure('RUN_ACTIVE', `run ${id} is ${run.status}; cancel it before deleting it`);
      // A run another live process records (the CLI on the same data dir) is refused by the store, in one sentence.
      const deleted = store.runs.delete(id);
      // startRun makes one experiment per run; drop it once it holds no runs, so nothing is left behind.
      if (run.experimentId && store.runs.list({ experimentId: run.experimentId, limit: 1 }).length === 0) {
        store.experiments.delete(run.experimentId);
      }
      return { deleted };
    },

    /** The tables this run has data for, main one first (what runs:export gives without `table`). */
    'runs:tables': ({ id }) => {
      requireRun(id);
      return availableTables(store, id);
    },

    'runs:export': ({ id, format, table, latex }) => {
      const run = requireRun(id);
      let built: { name: string; text: string };
      if (format === 'latex') {
        try {
          built = buildLatex(store, id, table, latex ?? DEFAULT_LATEX_OPTIONS);
        } catch (e) {
          if (e instanceof LatexRefused) throw new ApiFailure('NOT_IN_LATEX', e.message);
          throw e;
        }
      } else {
        const t = buildTable(store, id, table, format);
        built = { name: t.name, text: format === 'csv' ? toCsv(t) : toJson(t) };
      }
      const text = built.text;
      return { fileName: `${fileStem(run.name, built.name)}.${EXPORT_FILE_TYPES[format].extension}`, text };
    },
  };
}
