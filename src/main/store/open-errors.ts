/**
 * SQLite's own words for a database it cannot open ("file is not a database", "unable to open database
 * file") name neither the file nor why. Opening the store turns them into one sentence that names the
 * path and the likely cause, found by looking at the file and its folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StoreError, type StoreErrorCode } from '../files/errors';

/** What the file system says about a database path and its folder, from this user's point of view. */
export interface DbPathFacts {
  folderExists: boolean;
  folderWritable: boolean;
  fileExists: boolean;
  fileIsFolder: boolean;
  fileReadable: boolean;
  fileWritable: boolean;
}

const can = (p: string, mode: number): boolean => {
  try {
    fs.accessSync(p, mode);
    return true;
  } catch {
    return false;
  }
};

export function dbPathFacts(dbPath: string): DbPathFacts {
  const folder = path.dirname(dbPath);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dbPath);
  } catch {
    stat = undefined;
  }
  return {
    folderExists: can(folder, fs.constants.F_OK),
    folderWritable: can(folder, fs.constants.W_OK),
    fileExists: stat !== undefined,
    fileIsFolder: stat?.isDirectory() ?? false,
    fileReadable: can(dbPath, fs.constants.R_OK),
    fileWritable: can(dbPath, fs.constants.W_OK),
  };
}

/** Whether this process may change the database and create its -wal/-shm beside it. */
export function canWriteDatabase(f: DbPathFacts): boolean {
  return f.folderWritable && (!f.fileExists || f.fileWritable);
}

const READERS_STILL_WORK = 'commands that only read (list, show, export, figure) still work';

/** Why a write was refused, most specific first. */
function readOnlyCause(f: DbPathFacts): string {
  if (f.fileExists && !f.fileWritable) return 'the file is read-only for this user';
  if (!f.folderWritable) return 'its folder is read-only for this user';
  return 'the file system is mounted read-only';
}

function cannotOpenCause(f: DbPathFacts): string | null {
  if (!f.folderExists) return 'its folder does not exist';
  if (f.fileIsFolder) return 'that is a folder, not a database file';
  if (f.fileExists && !f.fileReadable) return 'this user may not read it (see its owner and permissions)';
  if (!f.folderWritable) return 'its folder is not writable by this user, and SQLite creates files beside the database';
  return null;
}

/**
 * The sentence for a failed open, or null for an error this does not know (it is then shown as it is).
 * `code` is SQLite's extended code (SQLITE_NOTADB, SQLITE_READONLY_DIRECTORY...) or a Node one (EACCES).
 */
export function describeOpenFailure(
  code: string,
  sqliteMessage: string,
  dbPath: string,
  f: DbPathFacts,
): { code: StoreErrorCode; message: string } | null {
  const base = code.replace(/^(SQLITE_[A-Z]+?)_[A-Z_]+$/, '$1');
  const aside = 'move it aside to start an empty database, or choose another data folder';
  switch (base) {
    case 'SQLITE_NOTADB':
      return { code: 'STORE_NOT_A_DATABASE', message: `${dbPath} is not a SQLite database (or is corrupt); ${aside}` };
    case 'SQLITE_CORRUPT':
      return {
        code: 'STORE_NOT_A_DATABASE',
        message: `${dbPath} is corrupt (${sqliteMessage}); restore it from a backup, or ${aside}`,
      };
    case 'SQLITE_READONLY':
      return {
        code: 'STORE_READ_ONLY',
        message: `cannot write the database ${dbPath}: ${readOnlyCause(f)}; ${READERS_STILL_WORK}`,
      };
    case 'SQLITE_FULL':
    case 'ENOSPC':
      return { code: 'STORE_IO', message: `cannot write the database ${dbPath}: the disk is full` };
    case 'SQLITE_IOERR':
      return { code: 'STORE_IO', message: `cannot read or write the database ${dbPath}: disk I/O error (${code})` };
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
    case 'EACCES':
    case 'EPERM':
    case 'EISDIR':
    case 'EROFS': {
      if (code === 'EROFS') {
        return { code: 'STORE_READ_ONLY', message: `cannot write the database ${dbPath}: ${readOnlyCause(f)}` };
      }
      const cause = cannotOpenCause(f);
      return { code: 'STORE_CANNOT_OPEN', message: `cannot open the database ${dbPath}: ${cause ?? sqliteMessage}` };
    }
    default:
      return null;
  }
}

/** `err` as a StoreError naming `dbPath` when it is a failure to open it that describeOpenFailure knows; else `err`. */
export function explainOpenError(err: unknown, dbPath: string): unknown {
  if (err instanceof StoreError || !(err instanceof Error)) return err;
  const code = (err as Error & { code?: unknown }).code;
  if (typeof code !== 'string') return err;
  const described = describeOpenFailure(code, err.message, dbPath, dbPathFacts(dbPath));
  return described ? new StoreError(described.code, described.message, { cause: err }) : err;
}

/** A writer's refusal of a database this user cannot write. */
export function readOnlyError(dbPath: string, f: DbPathFacts): StoreError {
  return new StoreError('STORE_READ_ONLY', describeOpenFailure('SQLITE_READONLY', '', dbPath, f)!.message);
}

/** The data folder could not be made (a parent that is a file, or one this user may not write). */
export function folderError(dir: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a part of that path is a file'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : undefined;
  if (!why) return err;
  const message = `cannot create the data folder ${dir}: ${why}; choose another with --data-dir or FEDMEM_DATA_DIR`;
  return new StoreError('STORE_CANNOT_OPEN', message, { cause: err });
}
