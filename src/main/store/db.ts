/**
 * Opens the workbench database: `<dataDir>/fedmem.sqlite`, WAL, foreign keys on, migrations applied,
 * and runs a crashed process left 'queued'/'running' marked 'interrupted'. The main process is the only
 * writer; every repository prepares its statements once, here, per Store.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createArtifactsRepo, type ArtifactsRepo } from './artifacts-repo';
import { createEventsRepo, type EventsRepo } from './events-repo';
import { createExperimentsRepo, type ExperimentsRepo } from './experiments-repo';
import { createMetricsRepo, type MetricsRepo } from './metrics-repo';
import { applyMigrations, assertSchemaNotNewer, currentSchemaVersion } from './migrations';
import { HEARTBEAT_MS, newOwner, releaseOwner } from './ownership';
import { DB_FILE_NAME } from './paths';
import { sweepTempFiles } from './sweep';
import { createRunsRepo, type RunsRepo } from './runs-repo';
import { createStudiesRepo, type StudiesRepo } from './studies-repo';
import { createQueueAttemptsRepo, type QueueAttemptsRepo } from './queue-attempts-repo';
import { INTERRUPTED_REASON } from './types';

export interface OpenDatabaseOptions {
  /**
   * Mark 'interrupted' the queued/running runs whose recording process is gone, on open and at every
   * heartbeat (default true; runs another live process records are never touched). Pass false from a
   * command that only reads (e.g. `fedmem list`), so reading never writes.
   */
  recoverInterrupted?: boolean;
  /** SQLite busy timeout in ms (default 5000). */
  busyTimeoutMs?: number;
  /**
   * A better_sqlite3.node compiled for another ABI than node_modules' copy: Electron's main process
   * passes the one scripts/electron-native.mjs built, so the CLI keeps the Node build.
   */
  nativeBinding?: string;
}

export interface Store {
  /** Absolute data directory. */
  readonly dataDir: string;
  readonly dbPath: string;
  /** The schema version after migrations. */
  readonly schemaVersion: number;
  /** Migration versions applied by this open (empty when the schema was current). */
  readonly migrationsApplied: readonly number[];
  /** 'wal' normally; some network filesystems refuse WAL and SQLite keeps 'delete'. */
  readonly journalMode: string;
  /** How many runs this open marked 'interrupted'. */
  readonly interruptedOnOpen: number;
  /** How many abandoned temporary files (of killed writes) this open removed (store/sweep.ts). */
  readonly tempFilesSwept: number;
  /** This process's owner id, stamped on the runs it creates (store/ownership.ts). */
  readonly owner: string;
  /**
   * Renews this store's runs' heartbeat, hands on the cancel requests other processes stored for them, and
   * marks orphaned runs interrupted now (the timer does it every few seconds).
   */
  heartbeat(): string[];
  /**
   * Calls `onRequest` once, at a heartbeat, when another process has asked to cancel `runId` (a run this
   * store records; runs/cancel-run.ts). Returns the function that stops listening.
   */
  onCancelRequest(runId: string, onRequest: (by: string | null) => void): () => void;
  readonly experiments: ExperimentsRepo;
  readonly runs: RunsRepo;
  readonly metrics: MetricsRepo;
  readonly artifacts: ArtifactsRepo;
  readonly events: EventsRepo;
  readonly studies: StudiesRepo;
  readonly queueAttempts: QueueAttemptsRepo;
  /** The raw connection, for diagnostics and tests; application code goes through the repositories. */
  readonly db: Database.Database;
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  readonly isOpen: boolean;
  close(): void;
}

export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Store {
  const dir = path.resolve(dataDir);
  // Owner-only: the folder holds the user's results and (history) every client's updates.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const dbPath = path.join(dir, DB_FILE_NAME);
  const db = new Database(dbPath, { timeout: options.busyTimeoutMs ?? 5000, ...(options.nativeBinding && { nativeBinding: options.nativeBinding }) });
  try {
    // Connection-level settings first: they write nothing to the file.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    // A database from a newer release is refused before anything (even the journal mode) is written.
    assertSchemaNotNewer(db, dbPath);
    const journalMode = String(db.pragma('journal_mode = WAL', { simple: true }));
    db.pragma('synchronous = NORMAL'); // durable across app crashes in WAL mode; an OS crash may lose the last commit
    const migrationsApplied = applyMigrations(db, dbPath);

    const owner = newOwner();
    const runs = createRunsRepo(db, dir, owner);
    const events = createEventsRepo(db);
    const repos = {
      runs,
      events,
      experiments: createExperimentsRepo(db, runs),
      metrics: createMetricsRepo(db),
      artifacts: createArtifactsRepo(db),
      studies: createStudiesRepo(db),
      queueAttempts: createQueueAttemptsRepo(db),
    };

    const recover = options.recoverInterrupted ?? true;
    const sweep = (): string[] =>
      db.transaction(() => {
        const ids = runs.interruptOrphans(INTERRUPTED_REASON);
        for (const id of ids) events.append(id, 'interrupted', { reason: INTERRUPTED_REASON });
        return ids;
      }).immediate();
    const interruptedOnOpen = recover ? sweep().length : 0;
    // A writer also clears what killed writers left half-written (never a reader: reading never writes).
    const tempFilesSwept = recover ? sweepTempFiles(dir).length : 0;
    const cancelListeners = new Map<string, (by: string | null) => void>();
    const handOnCancelRequests = () => {
      if (cancelListeners.size === 0) return;
      for (const { runId, by } of runs.cancelRequests()) {
        const listener = cancelListeners.get(runId);
        cancelListeners.delete(runId);
        listener?.(by);
      }
    };
    const heartbeat = (): string[] => {
      runs.heartbeat();
      handOnCancelRequests();
      return recover ? sweep() : [];
    };
    // The timer never keeps the process alive; a busy database only delays a beat to the next tick.
    const timer = setInterval(() => {
      try {
        if (db.open) heartbeat();
      } catch {
        /* SQLITE_BUSY beyond the timeout: the next tick renews */
      }
    }, HEARTBEAT_MS);
    timer.unref();

    return {
      dataDir: dir,
      dbPath,
      schemaVersion: currentSchemaVersion(db),
      migrationsApplied,
      journalMode,
      interruptedOnOpen,
      tempFilesSwept,
      owner,
      heartbeat,
      onCancelRequest(runId, onRequest) {
        cancelListeners.set(runId, onRequest);
        return () => {
          if (cancelListeners.get(runId) === onRequest) cancelListeners.delete(runId);
        };
      },
      ...repos,
      db,
      transaction: <T>(fn: () => T): T => db.transaction(fn)(),
      get isOpen() {
        return db.open;
      },
      close() {
        clearInterval(timer);
        releaseOwner(owner);
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
