/**
 * The runs-list filter beyond status and tag (which the store applies in SQL): a free-text query over
 * what a run is, its dataset, a method it includes, and conditions on its metrics (run-metrics.ts).
 * Main applies it in runs:list, so the app, browser mode and `fedmem list` filter alike, and a list of
 * thousands of runs crosses the bridge already filtered.
 */
import { configSummary } from './config-summary';
import type { RunSummary } from './results';
import { conditionHolds, type MetricCondition } from './run-metrics';

export interface RunFilter {
  /** Every word must appear (any case) in the name, note, tags, settings summary or config. */
  text?: string;
  /** A dataset id ('mnist'). */
  dataset?: string;
  /** A method id ('fedmemeraser') or a method's label as the run names it. */
  method?: string;
  /** All must hold. */
  conditions?: readonly MetricCondition[];
}

/** What the filter reads of a run. */
export interface FilterableRun {
  name: string;
  note: string | null;
  tags: readonly string[];
  dataset: string;
  /** Method labels, as the list shows them. */
  methods: readonly string[];
  config: unknown;
  summary: RunSummary | null;
}

export function hasRunFilter(f: RunFilter): boolean {
  return !!(f.text?.trim() || f.dataset || f.method || f.conditions?.length);
}

/** The words of a query, lower-cased; quotes keep a phrase together ("label noise"). */
export function queryTerms(query: string): string[] {
  const terms: string[] = [];
  for (const m of query.toLowerCase().matchAll(/"([^"]*)"|(\S+)/g)) {
    const t = (m[1] ?? m[2]).trim();
    if (t) terms.push(t);
  }
  return terms;
}

/**
 * The config's part of the searchable text: the settings summary the run page shows (so "dirichlet"
 * or "label noise" find runs as they read) and the config JSON (so "vgg9" or a field name do too).
 * A run's config never changes: callers may keep this per run id.
 */
export function configSearchText(config: unknown): string {
  // Settings that are off ("Label noise: none") are left out, so "label noise" finds only runs that have it.
  const summary = (configSummary(config) ?? []).filter((s) => !s.value.startsWith('none'));
  return [...summary.map((s) => `${s.label}: ${s.value}`), JSON.stringify(config ?? null)].join('\n').toLowerCase();
}

/** True when the run passes every part of the filter. `configText` supplies configSearchText (e.g. cached). */
export function matchesRunFilter(
  run: FilterableRun,
  f: RunFilter,
  configText: (run: FilterableRun) => string = (r) => configSearchText(r.config),
): boolean {
  if (f.dataset && run.dataset !== f.dataset) return false;
  if (f.method && !includesMethod(run, f.method)) return false;
  if (f.conditions?.some((c) => !conditionHolds(run.summary, c))) return false;
  const terms = queryTerms(f.text ?? '');
  if (terms.length === 0) return true;
  const own = [run.name, run.note ?? '', run.tags.join(' '), run.dataset, run.methods.join(' ')]
    .join('\n')
    .toLowerCase();
  let config: string | null = null;
  return terms.every((t) => own.includes(t) || (config ??= configText(run)).includes(t));
}

function includesMethod(run: FilterableRun, method: string): boolean {
  const wanted = method.toLowerCase();
  if (run.methods.some((l) => l.toLowerCase() === wanted)) return true;
  const methods = (run.config as { unlearning?: { methods?: unknown } } | null)?.unlearning?.methods;
  return (
    Array.isArray(methods) &&
    methods.some((m: { id?: unknown }) => typeof m?.id === 'string' && m.id.toLowerCase() === wanted)
  );
}
