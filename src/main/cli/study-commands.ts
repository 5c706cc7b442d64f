/**
 * `fedmem study …`: run a study headless (`run FILE.json`, `resume ID`) through the same queue the
 * app uses, restricted to that study, and read studies back (`list`, `show`, `export`) through the
 * handlers. Ctrl-C stops the running run and puts it back in the queue: `study resume` continues.
 */
import { getStudyPreset } from '../../shared/study-presets';
import { studyStatus, type StudyListItem } from '../../shared/study-types';
import { formatSeconds } from '../../shared/format';
import { startRun } from '../runs/record-run';
import { openDatabase, resolveDataDir, type Store } from '../store';
import { LocalStudyQueue, type StudyQueue } from '../studies/local-queue';
import { RedisStudyQueue } from '../queue/coordinator';
import { QueueUrlError, redactQueueUrl } from '../../shared/queue-url';
import { calibrated, estimateItems, machineFactor } from '../studies/study-estimate';
import { StudyService } from '../studies/study-service';
import { withApi } from './api-client';
import { readJsonFile } from './json-file';
import { numberFlag } from './numbers';
import { CANCELLED_EXIT, CliError, onStopSignals } from '../process-exit';
import type { GlobalOptions } from './global-options';
import { eventToJson, exportFormat, latexOptionsFromFlags, writeExport, type LatexFlags } from './commands';
import { QUEUE_URL_ENV, takeQueueUrl, type QueueFlags } from './queue-source';
import { STUDY_CONCURRENCY } from '../../shared/study-concurrency';

/** How to give the queue again, for hints: never the URL itself (it may hold the password). */
const SAME_QUEUE = `the same queue (${QUEUE_URL_ENV}, --queue-file or --queue)`;

type RunOptions = GlobalOptions &
  QueueFlags & { concurrency?: string; json?: boolean; paused?: boolean; preset?: string };

/** The study to run: a file, or a named preset (exactly one). */
function studyInput(file: string | undefined, preset: string | undefined): unknown {
  if ((file === undefined) === (preset === undefined))
    throw new CliError('give a study file or --preset NAME (one of the two)');
  if (preset === undefined) return readJsonFile(file!, 'study file');
  try {
    return getStudyPreset(preset);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

function concurrencyOf(value: string | undefined): number {
  return numberFlag('--concurrency', value, STUDY_CONCURRENCY, 1);
}

const say = (s: string) => process.stderr.write(s + '\n');

/** The embedded queue, running the study's items in this process (printing as they go). */
function localQueue(store: Store, studyId: string, json: boolean): StudyQueue {
  const position = () => {
    const items = store.studies.items(studyId);
    return `${items.filter((i) => i.status === 'done').length}/${items.length}`;
  };
  return new LocalStudyQueue(store, {
    studyId,
    launch: (config, study) => {
      const handle = startRun(store, config, {
        study,
        onEvent: (runId, e) => {
          if (json) return void process.stdout.write(eventToJson(runId, e) + '\n');
          if (e.type === 'phase' || (e.type === 'log' && e.level === 'warn'))
            say(`  ${e.type === 'phase' ? e.label : `warning: ${e.message}`}`);
        },
      });
      const item = store.studies.items(studyId).find((i) => i.status === 'running' && i.runId === null);
      if (!json)
        say(`[${position()} done] ${item ? `${item.cellKey}, seed ${item.seed}` : 'next run'}: run ${handle.runId}`);
      return handle;
    },
  });
}

/**
 * The Redis queue: `fedmem worker` processes run the items; this process records them. Unreachable: one sentence, the
 * study stays queued.
 */
async function redisQueue(store: Store, studyId: string, url: string, json: boolean): Promise<StudyQueue> {
  let queue: RedisStudyQueue;
  try {
    queue = await RedisStudyQueue.open(store, url, {
      studyId,
      log: say,
      onChange: () => {
        if (json) return;
        const items = store.studies.items(studyId);
        const n = (s: string) => items.filter((i) => i.status === s).length;
        say(`[${n('done')}/${items.length} done] ${n('running')} on the queue, ${n('queued')} waiting`);
      },
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (e instanceof QueueUrlError || code === 'QUEUE_UNREACHABLE') {
      throw new CliError(
        `${(e as Error).message}; study ${studyId} stays queued here: \`fedmem study resume ${studyId}\` with ${SAME_QUEUE} hands it to the queue later`,
      );
    }
    throw e;
  }
  if (!json)
    say(
      `study ${studyId}: runs go to the Redis queue at ${redactQueueUrl(url)}; start workers with \`fedmem worker\` and ${SAME_QUEUE}`,
    );
  return queue;
}

/**
 * Runs the study's queued items (here, or on the queue at `queueUrl`) until none is left; returns its final
 * summary.
 */
async function drive(
  store: Store,
  service: StudyService,
  studyId: string,
  queueUrl: string | null,
  opts: RunOptions,
): Promise<StudyListItem & { stopped: boolean }> {
  const json = Boolean(opts.json);
  const queue = queueUrl !== null ? await redisQueue(store, studyId, queueUrl, json) : localQueue(store, studyId, json);
  let stopping = false;
  const release = onStopSignals(() => {
    if (stopping) return;
    stopping = true;
    say(
      queueUrl !== null
        ? `stopping: the workers go on with the study's runs; \`fedmem study resume ${studyId}\` with ${SAME_QUEUE} records the rest`
        : 'stopping: the running run is cancelled and goes back to the queue; continue with `fedmem study resume ' +
            studyId +
            '`',
    );
    void queue.close(20_000);
  });
  try {
    for (;;) {
      await queue.idle();
      const s = service.listItem(service.require(studyId));
      if (stopping || s.counts.queued === 0 || s.state === 'paused') return { ...s, stopped: stopping };
      // Queued items wait on another process (it is training what they share): look again shortly.
      await new Promise((r) => setTimeout(r, 1000));
      queue.poke();
    }
  } finally {
    release();
    await queue.close(0);
  }
}

function finish(s: StudyListItem & { stopped: boolean }, json: boolean): string {
  const line = `study ${s.id} ${s.status}: ${s.counts.done} done, ${s.counts.failed} failed, ${s.counts.cancelled} cancelled, ${s.counts.queued} queued`;
  if (json)
    process.stdout.write(JSON.stringify({ type: 'study', id: s.id, status: s.status, counts: s.counts }) + '\n');
  else {
    say(line);
    process.stdout.write(`${s.id}\n`);
  }
  if (s.status !== 'done') throw new CliError(line, s.stopped ? CANCELLED_EXIT : 1);
  return s.id;
}

export async function studyRunCommand(file: string | undefined, opts: RunOptions): Promise<string> {
  const input = studyInput(file, opts.preset);
  // Before anything is stored: a queue file that may not be used refuses the command, not the study.
  const queueUrl = takeQueueUrl(opts);
  const store = openDatabase(resolveDataDir({ flag: opts.dataDir, env: process.env }));
  try {
    const service = new StudyService(store);
    const study = service.create(input, { concurrency: concurrencyOf(opts.concurrency) });
    const e = calibrated(estimateItems(study.definition, service.configs(study.id)), machineFactor(store));
    say(
      `study ${study.id} "${study.name}": ${e.runs} runs; trains ${e.originalTrainings.shared} original and ${e.retrainedModels.shared} retrained models ` +
        `(${e.originalTrainings.unshared} and ${e.retrainedModels.unshared} without sharing); about ${formatSeconds(e.seconds.shared)} (${formatSeconds(e.seconds.unshared)} without sharing)`,
    );
    return finish(await drive(store, service, study.id, queueUrl, opts), Boolean(opts.json));
  } finally {
    store.close();
  }
}

export async function studyResumeCommand(id: string, opts: RunOptions): Promise<string> {
  const queueUrl = takeQueueUrl(opts);
  const store = openDatabase(resolveDataDir({ flag: opts.dataDir, env: process.env }));
  try {
    const service = new StudyService(store);
    const { requeued } = service.resume(id);
    if (!opts.json) say(`study ${id}: ${requeued} cancelled or failed run(s) queued again; completed runs are kept`);
    return finish(await drive(store, service, id, queueUrl, opts), Boolean(opts.json));
  } finally {
    store.close();
  }
}

export function studyListCommand(opts: GlobalOptions & { json?: boolean }): Promise<void> {
  return withApi(opts, async (call) => {
    const studies = await call('studies:list', undefined);
    if (opts.json) return void process.stdout.write(JSON.stringify(studies) + '\n');
    if (studies.length === 0)
      return void process.stdout.write('no studies yet; start one with: fedmem study run STUDY.json\n');
    for (const s of studies) {
      const axes = s.axes.map((a) => `${a.label} ∈ {${a.values.join(', ')}}`).join(' × ');
      process.stdout.write(
        `${s.id}  ${s.status.padEnd(9)} ${s.counts.done}/${Object.values(s.counts).reduce((a, b) => a + b, 0)} runs  ${s.createdAt}  ${s.name}  (${axes}, ${s.seeds} seed(s))\n`,
      );
    }
  });
}

export function studyShowCommand(id: string, opts: GlobalOptions & { json?: boolean }): Promise<void> {
  return withApi(opts, async (call) => {
    const d = await call('studies:get', { id });
    if (opts.json) return void process.stdout.write(JSON.stringify(d) + '\n');
    const out = [
      `study      ${d.id}  (${d.name})`,
      `status     ${studyStatus(d.state, d.counts)}  (${d.state}; ${d.concurrency} at a time)`,
      `axes       ${d.axes.map((a) => `${a.path} ∈ {${a.values.join(', ')}}`).join(d.combine === 'zip' ? ' zipped with ' : ' × ')}; ${d.seeds} seed(s)`,
      `left       about ${formatSeconds(d.estimate.seconds.shared)} for ${d.estimate.runs - d.estimate.alreadyDone} run(s)`,
      '',
      ...d.items.map((it) => {
        const shared = it.shared
          ? `  reused: ${it.shared.original.filter(Boolean).length} original, ${it.shared.retrained.reduce((a, r) => a + r.reused, 0)} retrained`
          : '';
        const remote = it.remote
          ? `  on ${it.remote.worker} (${it.remote.backend ?? '?'}${it.remote.attempt > 1 ? `, attempt ${it.remote.attempt}` : ''})`
          : '';
        return `${it.status.padEnd(9)} ${it.cellKey.padEnd(24)} seed ${String(it.seed).padEnd(6)} ${it.runId ?? '-'}${it.error ? `  ${it.error}` : ''}${shared}${remote}`;
      }),
    ];
    process.stdout.write(out.join('\n') + '\n');
  });
}

export function studyExportCommand(
  id: string,
  opts: GlobalOptions & LatexFlags & { format: string; table?: string; reference?: string; out?: string },
): Promise<void> {
  const format = exportFormat(opts.format);
  if (opts.table !== undefined && opts.table !== 'summary' && opts.table !== 'runs')
    throw new CliError(`--table must be summary or runs, not "${opts.table}"`);
  const latex = format === 'latex' ? latexOptionsFromFlags(opts) : undefined;
  return withApi(opts, async (call) => {
    const { text } = await call('studies:export', {
      id,
      format,
      ...(opts.table && { table: opts.table as 'summary' | 'runs' }),
      ...(opts.reference && { reference: opts.reference }),
      ...(latex && { latex }),
    });
    writeExport(text, opts.out, `the study's ${opts.table ?? 'summary'} table as ${format}`);
  });
}
