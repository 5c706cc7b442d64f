/**
 * Every channel of the contract, implemented against the store and the run manager. Electron main
 * and browser mode build the same table (createHandlers) and reach it only through dispatch, which
 * validates payloads first; tests do the same with a fake IPC registry.
 */
import { validateConfig } from '../../shared/config';
import { dataIssues } from '../dataset-files/dataset-facts';
import type { ComputeReport } from '../../shared/compute-doctor';
import { ApiFailure } from '../../shared/api-errors';
import type { PartitionPreview, QueueStatus, Settings } from '../../shared/contract';
import type { StartEngine } from '../engine-host/engine-handle';
import { forkQueryProcess } from '../engine-host/fork-engine';
import { EngineQueries, type SpawnQueryProcess } from '../engine-host/query-engine';
import { openDatabase, type Store } from '../store';
import { getCatalog } from './catalog';
import { createDispatch, registerHandlers, type Dispatch, type Handlers, type IpcRegistry } from './dispatch';
import { estimateRun } from '../runs/estimate';
import { RunManager, type Push } from './run-manager';
import { createRunsHandlers } from './runs-handlers';
import { createStudiesHandlers } from './studies-handlers';
import { LocalStudyQueue, NO_QUEUE, type StudyQueue } from '../studies/local-queue';
import { StudyService } from '../studies/study-service';
import { getSettings } from './settings';
import { QueueChoice } from '../queue/queue-choice';
import { probeReportIn } from '../files/backend-probe-file';
import { thisMachine } from '../machine-cores';
import { tfjsNodeVersion } from '../package-version';

/** Where studies run, as Settings shows and changes it (queue/queue-choice.ts). */
export interface QueueSetting {
  status(): QueueStatus;
  use(url: string | null): Promise<QueueStatus>;
}

/** A process that runs no studies (the CLI's readers) has no queue to change. */
const NO_QUEUE_SETTING: QueueSetting = {
  status: () => ({ kind: 'local' }),
  use: () =>
    Promise.reject(new ApiFailure('NOT_AVAILABLE', 'this process runs no studies; change the study queue in the app')),
};

export interface HandlerContext {
  store: Store;
  runs: RunManager;
  studies: StudyService;
  queue: StudyQueue;
  queueSetting?: QueueSetting;
  push: Push;
  /** The engine process that answers previews and backend detection (main loads no engine code). */
  queries: EngineQueries;
  /** How engine processes start: the compute doctor gets a fresh one per check. */
  spawnQueryProcess: SpawnQueryProcess;
  mode: Settings['mode'];
  /** The desktop shell's native folder dialog; browser mode has none (the path is typed). */
  pickFolder?: () => Promise<string | null>;
}

export function createHandlers({
  store,
  runs,
  studies,
  queue,
  queueSetting = NO_QUEUE_SETTING,
  push,
  queries,
  spawnQueryProcess,
  mode,
  pickFolder,
}: HandlerContext): Handlers {
  return {
    ...createRunsHandlers(store, runs),
    ...createStudiesHandlers(store, studies, queue, (studyId) => push('study:changed', { studyId })),

    'config:validate': ({ config }) => {
      const result = validateConfig(config);
      const issues = result.ok ? dataIssues(result.config) : result.issues;
      if (!result.ok || issues.length > 0) return { ok: false, issues, estimateSeconds: null, estimate: null };
      const estimate = estimateRun(result.config);
      return { ok: true, issues: [], estimateSeconds: estimate.seconds, estimate };
    },

    'catalog:get': () => getCatalog(),

    // The engine validates the config; its INVALID_CONFIG / DATASET_* errors come back with their issues.
    'partition:preview': ({ config }) => queries.ask<PartitionPreview>({ kind: 'partition-preview', config }),

    'settings:get': async () => ({
      ...getSettings(store.dataDir, mode, await queries.ask({ kind: 'backends' })),
      queue: queueSetting.status(),
    }),
    'settings:setQueue': ({ url }) => queueSetting.use(url),

    // A process of its own, ended afterwards: loading a native package pins a process to it (and
    // holds GPU memory), and a fresh one sees packages installed since the app started.
    'compute:doctor': async ({ benchmarkSeconds }) => {
      const doctor = new EngineQueries(spawnQueryProcess);
      try {
        const report = await doctor.ask<ComputeReport>({ kind: 'doctor', benchmarkSeconds });
        return { ...report, probes: probeReportIn(store.dataDir, thisMachine(), tfjsNodeVersion()) };
      } finally {
        doctor.close();
      }
    },

    'dialog:pickFolder': () => (pickFolder ? pickFolder() : null),
  };
}

export interface AppServicesOptions {
  dataDir: string;
  mode: Settings['mode'];
  push: Push;
  startEngine?: StartEngine;
  /** How the query engine process starts; default child_process.fork (Electron passes utilityProcess). */
  spawnQueryProcess?: SpawnQueryProcess;
  pickFolder?: () => Promise<string | null>;
  /** False for a reader (the CLI's list/show/export): leave runs another process may be training alone. */
  recoverInterrupted?: boolean;
  /** A reader that never writes (the CLI's list/show/export/figure): a database it cannot write opens read-only. */
  onlyReads?: boolean;
  /** False for a reader: run no study items here (default true: the app continues active studies). */
  runStudies?: boolean;
  /** better_sqlite3.node for a non-Node ABI (Electron); see scripts/electron-native.mjs. */
  sqliteBinding?: string;
  onInternalError?: (channel: string, e: unknown) => void;
}

/** The store, the run manager and the dispatch table: everything main needs, minus the transport. */
export interface AppServices {
  store: Store;
  runs: RunManager;
  dispatch: Dispatch;
  register(ipc: IpcRegistry, allow?: (event: unknown) => boolean): void;
  /** Cancels running runs, waits up to `timeoutMs` for them to end 'cancelled', closes the store. */
  shutdown(timeoutMs?: number): Promise<void>;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const store = openDatabase(options.dataDir, {
    ...(options.sqliteBinding && { nativeBinding: options.sqliteBinding }),
    ...(options.recoverInterrupted === false && { recoverInterrupted: false }),
    ...(options.onlyReads && { onlyReads: true }),
  });
  const runs = new RunManager(store, {
    push: options.push,
    ...(options.startEngine && { startEngine: options.startEngine }),
  });
  const spawnQueryProcess = options.spawnQueryProcess ?? forkQueryProcess;
  const queries = new EngineQueries(spawnQueryProcess);
  const studies = new StudyService(store);
  // Studies left running by an earlier process (a crash, a quit) continue as soon as the app is up.
  const onChange = (studyId: string) => options.push('study:changed', { studyId });
  // The embedded queue, or the Redis queue chosen in Settings (kept across restarts).
  const queue =
    options.runStudies === false
      ? NO_QUEUE
      : new QueueChoice(store, {
          makeLocal: () =>
            new LocalStudyQueue(store, { launch: (config, study) => runs.start(config, study), onChange }),
          onChange,
        });
  const queueSetting = queue instanceof QueueChoice ? queue : undefined;
  const handlers = createHandlers({
    store,
    runs,
    studies,
    queue,
    queueSetting,
    push: options.push,
    queries,
    spawnQueryProcess,
    mode: options.mode,
    pickFolder: options.pickFolder,
  });
  const dispatch = createDispatch(handlers, options.onInternalError);
  let closing: Promise<void> | undefined;
  return {
    store,
    runs,
    dispatch,
    register: (ipc, allow) => registerHandlers(ipc, dispatch, allow),
    shutdown(timeoutMs = 5000) {
      // The queue first: the runs it stops go back to the queue, to continue on the next start.
      closing ??= queue
        .close(timeoutMs)
        .then(() => runs.cancelAll(timeoutMs))
        .then(() => {
          queries.close();
          store.close();
        });
      return closing;
    },
  };
}
