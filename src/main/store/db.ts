/**
 * Opens the workbench database: `<dataDir>/fedmem.sqlite`, WAL, foreign keys on, migrations applied,
 * and runs a crashed process left 'queued'/'running' marked 'interrupted'. The main process is the only
 * writer; every repository prepares its statements once, here, per Store. A caller that only reads may
 * get a read-only connection (see `onlyReads`); a database that cannot be opened is refused in one
 * sentence naming the file and the likely cause (open-errors.ts).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { createArtifactsRepo, type ArtifactsRepo } from './artifacts-repo';
import { StoreError } from '../files/errors';
import { createEventsRepo, type EventsRepo } from './events-repo';
import { createExperimentsRepo, type ExperimentsRepo } from './experiments-repo';
import { createMetricsRepo, type MetricsRepo } from './metrics-repo';
import { applyMigrations, assertSchemaNotNewer, currentSchemaVersion, LATEST_SCHEMA_VERSION } from './migrations';
import { canWriteDatabase, dbPathFacts, explainOpenError, folderError, readOnlyError } from './open-errors';
import { HEARTBEAT_MS, newOwner, releaseOwner } from './ownership';
import { DB_FILE_NAME } from './paths';
import { ensurePrivateFile, makePrivateDir, restrictToOwner, warnIfFolderLoose } from '../files/private-files';
import { sweepTempFiles } from './sweep';
import { createRunsRepo, type RunsRepo } from './runs-repo';
import { createStudiesRepo, type StudiesRepo } from './studies-repo';
import { createQueueAttemptsRepo, type QueueAttemptsRepo } from './queue-attempts-repo';
import { INTERRUPTED_REASON } from './types';

// URI file names let a read-only open ask for `immutable=1` (connectReadOnly). better-sqlite3 reads this
// once, when its native addon loads on the first open, so it is set before any. Plain paths (ours are
// absolute) mean the same with or without it.
process.env.SQLITE_USE_URI ??= '1';

export interface OpenDatabaseOptions {
  /**
   * Mark 'interrupted' the queued/running runs whose recording process is gone, on open and at every
   * heartbeat (default true; runs another live process records are never touched). Pass false from a
   * command that only reads (e.g. `fedmem list`), so reading never writes.
   */
  recoverInterrupted?: boolean;
  /**
   * The caller only reads (`fedmem list`, `show`, `export`, `figure`): implies recoverInterrupted false,
   * and a database this user cannot write (the file or its folder) is opened read-only instead of refused.
   */
  onlyReads?: boolean;
  /** Where the one-line warning about a data folder other users can read goes (default stderr). */
  warn?: (line: string) => void;
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
  /** True when opened read-only (onlyReads, and this user cannot write the database): every write throws. */
  readonly readOnly: boolean;
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

type Connection = { db: Database.Database; readOnly: boolean; journalMode: string; migrationsApplied: number[] };

export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Store {
  const dir = path.resolve(dataDir);
  const dbPath = path.join(dir, DB_FILE_NAME);
  const warn = options.warn ?? ((line: string) => void process.stderr.write(line + '\n'));
  let connection: Connection;
  try {
    const facts = dbPathFacts(dbPath);
    // SQLite would open an unwritable file read-only without a word and fail at the first write: a
    // writer is refused now, in a sentence; a reader reads.
    const unwritable = facts.fileExists && !canWriteDatabase(facts);
    if (unwritable && !options.onlyReads) throw readOnlyError(dbPath, facts);
    connection = unwritable ? connectReadOnly(dbPath, options) : connectWriter(dir, dbPath, options);
  } catch (err) {
    throw explainOpenError(err, dbPath);
  }
  warnIfFolderLoose(dir, warn);
  const { db, readOnly, journalMode, migrationsApplied } = connection;
  try {
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

    const recover = !readOnly && !options.onlyReads && (options.recoverInterrupted ?? true);
    const sweep = (): string[] =>
      db
        .transaction(() => {
          const ids = runs.interruptOrphans(INTERRUPTED_REASON);
          for (const id of ids) events.append(id, 'interrupted', { reason: INTERRUPTED_REASON });
          return ids;
        })
        .immediate();
    const interruptedOnOpen = recover ? sweepOrExplain(sweep, dbPath).length : 0;
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
      if (readOnly) return []; // it records no run, and may not write
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
      readOnly,
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

/**
 * The first write of a writer's open: a full disk (or a file system gone read-only) is said as open-errors.ts says it.
 */
function sweepOrExplain(sweep: () => string[], dbPath: string): string[] {
  try {
    return sweep();
  } catch (err) {
    throw explainOpenError(err, dbPath);
  }
}

function nativeOption(options: OpenDatabaseOptions) {
  const binding = options.nativeBinding;
  return { timeout: options.busyTimeoutMs ?? 5000, ...(binding && { nativeBinding: binding }) };
}

/** Opens for reading and writing: the folder and the database file are made owner-only first. */
function connectWriter(dir: string, dbPath: string, options: OpenDatabaseOptions): Connection {
  try {
    makePrivateDir(dir);
  } catch (err) {
    throw folderError(dir, err);
  }
  // SQLite makes -wal and -shm with the database file's mode: a file made 0600 here keeps them private,
  // and one an older release made 0644 is narrowed (with any -wal/-shm it left).
  ensurePrivateFile(dbPath);
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) restrictToOwner(file);
  const db = new Database(dbPath, nativeOption(options));
  try {
    // Connection-level settings first: they write nothing to the file.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    // A database from a newer release is refused before anything (even the journal mode) is written.
    assertSchemaNotNewer(db, dbPath);
    const journalMode = String(db.pragma('journal_mode = WAL', { simple: true }));
    db.pragma('synchronous = NORMAL'); // durable across app crashes in WAL mode; an OS crash may lose the last commit
    return { db, readOnly: false, journalMode, migrationsApplied: applyMigrations(db, dbPath) };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens a database this user cannot write, for a command that only reads. In WAL mode SQLite keeps its
 * index in the -shm beside the file; when a writer left none and this user cannot create one (a read-only
 * folder), SQLite can read the file only as immutable, trusting that nobody changes it meanwhile: a writer
 * would need that folder too. A schema older than this release's is refused: updating it writes.
 */
function connectReadOnly(dbPath: string, options: OpenDatabaseOptions): Connection {
  const open = (name: string) => new Database(name, { ...nativeOption(options), readonly: true, fileMustExist: true });
  let db = open(dbPath);
  try {
    currentSchemaVersion(db);
  } catch (err) {
    db.close();
    if (!/^SQLITE_(READONLY|CANTOPEN)/.test(String((err as { code?: unknown }).code))) throw err;
    db = open(`${pathToFileURL(dbPath).href}?immutable=1`);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    assertSchemaNotNewer(db, dbPath);
    const found = currentSchemaVersion(db);
    if (found < LATEST_SCHEMA_VERSION) {
      throw new StoreError(
        'STORE_READ_ONLY',
        `the database ${dbPath} has schema version ${found} and needs updating to ${LATEST_SCHEMA_VERSION} ` +
          'before it can be read, which writes to it, but this user cannot write it or its folder; ' +
          'open it once with write access',
      );
    }
    const journalMode = String(db.pragma('journal_mode', { simple: true }));
    return { db, readOnly: true, journalMode, migrationsApplied: [] };
  } catch (err) {
    db.close();
    throw err;
  }
}
