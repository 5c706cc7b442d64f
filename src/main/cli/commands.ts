/**
 * `fedmem` subcommands. Each prints to stdout and throws a CliError (one sentence, exit code) on
 * failure; index.ts turns that into stderr text without a stack trace unless --debug.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../../shared/config';
import { requireDataFits } from '../dataset-files/dataset-facts';
import { configSummary } from '../../shared/config-summary';
import { parseCondition } from '../../shared/run-metrics';
import type { EngineEvent } from '../../shared/events';
import { formatBytes } from '../../shared/format';
import { parseLatexOptions, type LatexOptions } from '../../shared/latex-options';
import { canResume, type RunStatus } from '../../shared/catalog';
import { failedForItsConfig } from '../../shared/run-failure';
import { EXPORT_FORMATS, isRunTable, RUN_TABLE_NAMES } from '../../shared/data-table';
import { artifactOf } from '../../shared/results';
import { getPreset, presetNeedsPath } from '../../shared/presets';
import { estimateHistoryBytes } from '../runs/estimate';
import { resumeRun, startRun, type RunHandle } from '../runs/record-run';
import { openDatabase, resolveDataDir, type Run, type Store } from '../store';
import { withApi } from './api-client';
import { CANCELLED_EXIT, CliError, onStopSignals } from '../process-exit';
import type { GlobalOptions } from './global-options';
import { readJsonFile } from './json-file';
import { numberFlag } from './numbers';
import { createProgressView } from './progress-view';
import { artifactLines, inlineArtifactRows, roundLines } from './show-text';
import { table1Text } from './table1-text';

/** The store `run` writes to; the read commands go through api-client.ts instead. */
function open(opts: GlobalOptions): Store {
  return openDatabase(resolveDataDir({ flag: opts.dataDir, env: process.env }));
}

export function loadConfigInput(opts: { config?: string; preset?: string; datasetPath?: string }): unknown {
  const input = readConfigInput(opts) as { dataset?: { path?: string } };
  if (opts.datasetPath && input && typeof input === 'object' && input.dataset && typeof input.dataset === 'object') {
    input.dataset.path = opts.datasetPath;
  }
  if (opts.preset && presetNeedsPath(opts.preset) && !input.dataset?.path) {
    throw new CliError(`preset ${opts.preset} reads dataset files: give their folder with --dataset-path DIR`);
  }
  return input;
}

function readConfigInput(opts: { config?: string; preset?: string }): unknown {
  if (opts.config && opts.preset) throw new CliError('give either --config or --preset, not both');
  if (opts.preset) return getPreset(opts.preset);
  if (!opts.config) throw new CliError('give a config file with --config FILE or a preset with --preset NAME');
  return readJsonFile(opts.config, 'config file');
}

/** Event as one JSON line; weights are summarised, not dumped. */
export function eventToJson(runId: string, e: EngineEvent): string {
  if (e.type === 'weights') {
    return JSON.stringify({
      type: 'weights',
      runId,
      name: e.name,
      tensors: e.tensors.length,
      scalars: e.tensors.reduce((a, t) => a + t.data.length, 0),
    });
  }
  return JSON.stringify({ ...e, runId });
}

export async function runCommand(
  opts: GlobalOptions & { config?: string; preset?: string; datasetPath?: string },
): Promise<string> {
  const config = requireDataFits(parseConfig(loadConfigInput(opts)));
  const historyBytes = estimateHistoryBytes(config);
  // Said before anything starts, so a user short of disk can stop here.
  if (historyBytes > 0)
    process.stderr.write(
      `recording the original training's per-round history: about ${formatBytes(historyBytes)} of disk, kept with the run\n`,
    );
  const store = open(opts);
  try {
    return await followRun(store, opts, (onEvent) => startRun(store, config, { onEvent }));
  } finally {
    store.close();
  }
}

/** `fedmem resume RUN`: continues a stopped run from its checkpoint, showing it as `run` does. */
export async function resumeCommand(runId: string, opts: GlobalOptions): Promise<string> {
  // Opening the store marks a run whose recorder died 'interrupted', so it can be resumed at once.
  const store = open(opts);
  try {
    if (!store.runs.get(runId)) throw new CliError(`run ${runId} does not exist`);
    return await followRun(store, opts, (onEvent) => {
      try {
        return resumeRun(store, runId, { onEvent });
      } catch (e) {
        throw new CliError((e as Error).message);
      }
    });
  } finally {
    store.close();
  }
}

/** Shows a starting run's progress (or its events as JSON lines), stops it on Ctrl+C, and reports how it ended. */
async function followRun(
  store: Store,
  opts: GlobalOptions,
  begin: (onEvent: (runId: string, e: EngineEvent) => void) => RunHandle,
): Promise<string> {
  const view = opts.json ? null : createProgressView(process.stderr);
  try {
    const handle = begin((runId, e) =>
      opts.json ? process.stdout.write(eventToJson(runId, e) + '\n') : view!.update(e),
    );
    const release = onStopSignals(() => handle.cancel());
    const run = await handle.finished.finally(release);
    view?.stop();
    if (opts.json) {
      process.stdout.write(
        JSON.stringify({ type: 'finished', runId: run.id, status: run.status, error: run.error }) + '\n',
      );
    } else {
      // The table is for people (stderr, beside the progress); stdout stays the run id for scripts.
      const report = run.status === 'done' ? store.artifacts.json(run.id, 'report') : undefined;
      if (report) process.stderr.write(table1Text(report).join('\n') + '\n\n');
      process.stdout.write(`${run.id}\n`);
    }
    const hint = resumeHint(store, run);
    if (run.status !== 'done')
      throw new CliError(
        `run ${run.id} ${run.status}: ${run.error ?? 'no reason recorded'}${hint}`,
        run.status === 'cancelled' ? CANCELLED_EXIT : 1,
      );
    return run.id;
  } finally {
    view?.stop();
  }
}

/** What to do after a run that did not finish: resume it, unless it failed for its config (shared/run-failure.ts). */
function resumeHint(store: Store, run: Run): string {
  if (run.status === 'done') return '';
  if (!canResume({ ...run, failedForItsConfig: failedForItsConfig(store.events.list(run.id)) })) {
    return run.status === 'failed' ? '; change the config and start a new run (resuming would fail the same way)' : '';
  }
  return `; continue it with: fedmem resume ${run.id}`;
}

export interface ListOptions extends GlobalOptions {
  status?: string;
  search?: string;
  tag?: string;
  dataset?: string;
  method?: string;
  where?: string[];
}

export function listCommand(opts: ListOptions): Promise<void> {
  const conditions = (opts.where ?? []).map((text) => {
    const parsed = parseCondition(text);
    if (!parsed.ok) throw new CliError(`--where: ${parsed.message}`);
    return parsed.condition;
  });
  return withApi(opts, async (call) => {
    const runs = await call('runs:list', {
      ...(opts.status && { status: opts.status as RunStatus }),
      ...(opts.search && { search: opts.search }),
      ...(opts.tag && { tag: opts.tag }),
      ...(opts.dataset && { dataset: opts.dataset }),
      ...(opts.method && { method: opts.method }),
      ...(conditions.length && { conditions }),
    });
    if (opts.json) return void process.stdout.write(JSON.stringify(runs) + '\n');
    if (runs.length === 0) {
      const filtered = opts.status || opts.search || opts.tag || opts.dataset || opts.method || conditions.length;
      return void process.stdout.write(
        filtered ? 'no run matches the filter\n' : 'no runs yet; start one with: fedmem run --preset quick\n',
      );
    }
    for (const r of runs) {
      const acc = typeof r.summary?.testAccuracy === 'number' ? `acc ${r.summary.testAccuracy.toFixed(4)}` : '';
      const tags = r.tags.length ? `  [${r.tags.join(', ')}]` : '';
      process.stdout.write(`${r.id}  ${r.status.padEnd(11)} ${r.createdAt}  ${r.name}  ${acc}${tags}\n`);
    }
  });
}

export function showCommand(runId: string, opts: GlobalOptions): Promise<void> {
  return withApi(opts, async (call) => {
    const detail = await call('runs:get', { id: runId });
    const { rounds, artifacts: inline, files, events, ...run } = detail;
    const artifacts = [...files, ...inlineArtifactRows(inline)];
    if (opts.json) return void process.stdout.write(JSON.stringify({ run, rounds, artifacts, events }) + '\n');
    const report = artifactOf(inline, 'report');
    const settings = configSummary(run.config);
    const out = [
      `run        ${run.id}  (${run.name})`,
      // The settings that matter first (shared/config-summary.ts, as the run page shows them); the raw config is
      // further down.
      ...(settings ? ['settings', ...settings.map((s) => `  ${s.label.toLowerCase().padEnd(18)}${s.value}`)] : []),
      `tags       ${run.tags.length ? run.tags.join(', ') : '-'}`,
      ...(run.note ? [`note       ${run.note.replace(/\n/g, '\n           ')}`] : []),
      `status     ${run.status}${run.error ? `: ${run.error}` : ''}`,
      `seed       ${run.seed}    backend ${run.backend ?? '-'}`,
      `versions   ${Object.entries(run.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
      `timing     created ${run.createdAt}, ended ${run.endedAt ?? '-'}, ${run.durationMs !== null ? (run.durationMs / 1000).toFixed(1) + ' s' : '-'}`,
      `summary    ${JSON.stringify(run.summary ?? {})}`,
      `config     ${JSON.stringify(run.config)}`,
      '',
      ...roundLines(rounds),
      ...(report ? table1Text(report) : []),
      '',
      'artifacts',
      ...artifactLines(artifacts),
    ];
    process.stdout.write(out.join('\n') + '\n');
  });
}

/** What `fedmem export` reads from its LaTeX flags (commander's shapes: strings, and booleans for --no-*). */
export interface LatexFlags {
  columns?: string;
  decimals?: string;
  std?: boolean;
  delta?: boolean;
  float?: string;
  scaleToWidth?: boolean;
  fontSize?: string;
}

/** The LaTeX flags as validated options; a bad value is a CliError naming the flag. */
export function latexOptionsFromFlags(f: LatexFlags): LatexOptions {
  // The range (0-4) is the schema's rule, said by parseLatexOptions.
  const decimals = numberFlag('--decimals', f.decimals);
  const parsed = parseLatexOptions({
    ...(f.columns !== undefined && {
      columns: f.columns
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    }),
    ...(decimals !== undefined && { decimals }),
    ...(f.std === false && { std: false }),
    ...(f.delta === false && { delta: false }),
    ...(f.float !== undefined && { float: f.float }),
    ...(f.scaleToWidth && { scaleToWidth: true }),
    ...(f.fontSize !== undefined && { fontSize: f.fontSize }),
  });
  if (!parsed.ok) throw new CliError(parsed.message);
  return parsed.options;
}

export function exportCommand(
  runId: string,
  opts: GlobalOptions & LatexFlags & { format: string; table?: string; out?: string },
): Promise<void> {
  const format = exportFormat(opts.format);
  const latex = format === 'latex' ? latexOptionsFromFlags(opts) : undefined;
  const table = opts.table;
  if (table !== undefined && !isRunTable(table))
    throw new CliError(`--table must be one of ${RUN_TABLE_NAMES.join(', ')} (got "${table}")`);
  return withApi(opts, async (call) => {
    const { text } = await call('runs:export', { id: runId, format, ...(table && { table }), ...(latex && { latex }) });
    writeExport(text, opts.out, `${opts.table ?? 'the main table'} as ${format}`);
  });
}

/** An export to `out` (folders made as needed, a line on stderr saying what went where) or to stdout. */
export function writeExport(text: string, out: string | undefined, what: string): void {
  if (!out) return void process.stdout.write(text);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, text);
  process.stderr.write(`wrote ${what} to ${out}\n`);
}

/** `--format` as one of the export formats, or a CliError listing them. */
export function exportFormat(value: string) {
  const format = EXPORT_FORMATS.find((f) => f === value);
  if (!format) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, not "${value}"`);
  return format;
}
