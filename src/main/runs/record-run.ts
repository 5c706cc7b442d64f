/**
 * The host side of a run: creates the run row, starts the engine in its own process, writes every
 * event to the store as it arrives (so a failed or cancelled run keeps all it recorded), and sets the
 * final status; or continues a stopped run (resumeRun). Used by the CLI, Electron main and browser
 * mode alike.
 */
import fs from 'node:fs';
import { installedVersion } from '../package-version';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExperimentConfig } from '../../shared/config';
import type { EngineEvent, EngineStartOptions } from '../../shared/events';
import { historyRounds } from '../../shared/history';
import { checkpointDirFor, engineLogFor, historyDirFor } from '../store/paths';
import { probeCacheFileIn } from '../files/backend-probe-file';
import { StoreError } from '../files/errors';
import { canResume } from '../../shared/catalog';
import { failedForItsConfig } from '../../shared/run-failure';
import { parseConfig } from '../../shared/config';
import type { StartEngine } from '../engine-host/engine-handle';
import { forkEngine } from '../engine-host/fork-engine';
import type { Run, Store } from '../store';
import { saveWeightsArtifact } from '../store/weights-file';
import type { RunSummary } from '../../shared/results';
import { cancelRequestedLogText } from '../../shared/run-cancel';
import { parseOwner } from '../store/ownership';

export interface StartRunOptions {
  /** Swap the engine launcher (Electron uses utilityProcess). */
  startEngine?: StartEngine;
  onEvent?: (runId: string, e: EngineEvent) => void;
  /**
   * The study this run is an item of, and the folder where its runs share trainings (none: it trains everything
   * itself).
   */
  study?: { id: string; shareDir?: string };
}

export interface RunHandle {
  runId: string;
  cancel(): void;
  /** Resolves with the final stored run, whatever its status. */
  finished: Promise<Run>;
}

/**
 * The app's own package.json: searched upwards, since sources (src/main/runs) and bundles (out/main) sit at different
 * depths.
 */
function appVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'fedmem-workbench') return pkg.version ?? 'absent';
    } catch {
      /* no package.json here: keep climbing */
    }
    const up = path.dirname(dir);
    if (up === dir) return 'absent';
    dir = up;
  }
}

export function hostVersions(): Record<string, string> {
  return { 'fedmem-workbench': appVersion(), 'better-sqlite3': installedVersion('better-sqlite3') };
}

/** The experiment and run rows of a new run (a distributed queue creates them 'queued', before a worker takes it). */
export function createRunRow(
  store: Store,
  config: ExperimentConfig,
  studyId: string | null,
  status: 'queued' | 'running',
): Run {
  const name = config.name ?? `${config.dataset.id}-${config.model.id}`;
  const experiment = store.experiments.create({ name, config });
  return store.runs.create({
    experimentId: experiment.id,
    name,
    config,
    seed: config.seed,
    versions: hostVersions(),
    status,
    studyId,
  });
}

export function startRun(store: Store, config: ExperimentConfig, options: StartRunOptions = {}): RunHandle {
  const run = createRunRow(store, config, options.study?.id ?? null, 'running');
  return drive(store, run.id, config, options);
}

/**
 * Continues a stopped run (shared/catalog.ts canResume) with its stored config: completed stages come
 * from its checkpoint, a training goes on from its last saved round (engine/checkpoint), and every
 * event is recorded as before (round metrics are upserts, so replayed rounds replace, never repeat).
 * Refused in one sentence (RUN_NOT_RESUMABLE) for a run in another state, in a study, or recorded
 * by another version of the workbench (whose numbers this one may not reproduce).
 */
export function resumeRun(store: Store, runId: string, options: Omit<StartRunOptions, 'study'> = {}): RunHandle {
  const stored = store.runs.require(runId);
  const refuse = (why: string) => new StoreError('RUN_NOT_RESUMABLE', `run ${runId} cannot be resumed: ${why}`);
  if (stored.studyId !== null) throw refuse('it belongs to a study; resume the study instead');
  if (!canResume(stored)) throw refuse(`it is ${stored.status}${stored.status === 'done' ? ' already' : ''}`);
  if (!canResume({ ...stored, failedForItsConfig: failedForItsConfig(store.events.list(runId)) })) {
    const why = 'it failed because of its config and would fail the same way again';
    throw refuse(`${why}; change the config and start a new run`);
  }
  const recordedBy = stored.versions['fedmem-workbench'];
  const current = hostVersions()['fedmem-workbench'];
  if (recordedBy && recordedBy !== current)
    throw refuse(
      `it was recorded by version ${recordedBy} of the workbench and this is ${current}; run its config again instead`,
    );
  const config = parseConfig(stored.config);
  store.runs.resume(runId);
  store.events.append(runId, 'resumed', { from: stored.status });
  return drive(store, runId, config, options);
}

/** Starts the engine on a run that is 'running' and records it to the end. */
function drive(store: Store, runId: string, config: ExperimentConfig, options: StartRunOptions): RunHandle {
  // The history goes inside the run's weights folder, so deleting the run deletes it too; in a study
  // it goes with the shared original training instead (engine/stage-cache.ts), and the run keeps no
  // checkpoint of its own (a study continues by running its unfinished items).
  const start: EngineStartOptions = {
    ...(historyRounds(config) && { historyDir: historyDirFor(store.dataDir, runId) }),
    ...(options.study?.shareDir && { share: { dir: options.study.shareDir, runId } }),
    ...(!options.study && { checkpoint: { dir: checkpointDirFor(store.dataDir, runId), runId } }),
    probeCache: probeCacheFileIn(store.dataDir),
  };
  const engine = (options.startEngine ?? forkEngine)(config, start, { logFile: engineLogFor(store.dataDir, runId) });
  let final: { status: 'done' | 'failed' | 'cancelled'; error: string | null; summary: RunSummary | null } | null =
    null;

  engine.onEvent((e) => {
    try {
      recordEvent(store, runId, e);
    } catch (err) {
      // A store failure must not hide the engine's own outcome; it is logged and the run fails.
      final ??= { status: 'failed', error: `could not record results: ${(err as Error).message}`, summary: null };
      engine.cancel();
    }
    if (e.type === 'done') final ??= { status: 'done', error: null, summary: e.summary };
    if (e.type === 'error') {
      final ??= { status: e.code === 'CANCELLED' ? 'cancelled' : 'failed', error: e.message, summary: null };
    }
    options.onEvent?.(runId, e);
  });

  // Another process (the app) may ask this one to cancel the run (runs/cancel-run.ts): it stops as a local
  // cancel does, and its log says who asked.
  const stopListening = store.onCancelRequest(runId, (by) => {
    const pid = by === null ? null : (parseOwner(by)?.pid ?? null);
    const note: EngineEvent = { type: 'log', level: 'warn', message: cancelRequestedLogText(pid) };
    try {
      recordEvent(store, runId, note);
    } catch {
      /* the note is a courtesy: the cancel matters more than its record */
    }
    options.onEvent?.(runId, note);
    engine.cancel();
  });

  const finished = engine.finished.then(() => {
    stopListening();
    const f = final ?? {
      status: 'failed' as const,
      error: 'the engine stopped without reporting a result',
      summary: null,
    };
    const run = store.runs.finish(runId, f.status, f.error, f.summary);
    // A finished run needs no checkpoint; a stopped one keeps it for resuming.
    if (run.status === 'done') fs.rmSync(checkpointDirFor(store.dataDir, runId), { recursive: true, force: true });
    return run;
  });
  return { runId, cancel: () => engine.cancel(), finished };
}

/** Writes one engine event of a run to the store (a local engine's or, through the queue, a worker's). */
export function recordEvent(store: Store, runId: string, e: EngineEvent): void {
  switch (e.type) {
    case 'started':
      store.runs.setBackend(runId, e.backend);
      store.runs.mergeVersions(runId, e.versions);
      store.events.append(runId, 'started', { backend: e.backend, workers: e.workers, pool: e.pool });
      return;
    case 'phase':
      store.runs.setPhase(runId, e.label);
      store.events.append(runId, 'phase', { phase: e.phase, stage: e.stage, label: e.label });
      return;
    case 'round':
      store.transaction(() => {
        store.metrics.insertRound({
          runId,
          stage: e.stage,
          round: e.round,
          testAccuracy: e.testAccuracy,
          testLoss: e.testLoss,
          trainLoss: e.trainLoss,
          elapsedMs: e.elapsedMs,
        });
        store.metrics.insertClientRounds(
          e.clients.map((c) => ({
            runId,
            stage: e.stage,
            round: e.round,
            client: c.client,
            trainLoss: c.trainLoss,
            numExamples: c.numExamples,
          })),
        );
      });
      return;
    case 'artifact':
      store.artifacts.put({ runId, kind: e.kind, name: e.name, json: e.json });
      return;
    case 'weights':
      saveWeightsArtifact(store, runId, e.name, e.tensors);
      return;
    case 'log':
      store.events.append(runId, e.level === 'warn' ? 'warning' : 'log', { message: e.message });
      return;
    case 'done':
      store.events.append(runId, 'done', e.summary);
      return;
    case 'error':
      store.events.append(runId, 'error', { code: e.code, message: e.message });
      return;
  }
}
