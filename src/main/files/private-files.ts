/**
 * Owner-only files (issue 24): the data folder holds research data, configs and every client's updates,
 * so what the workbench writes there is readable by its user alone: files 0600, folders 0700. The mode is
 * given when a file or folder is created; a umask can only take bits away from it, so 022 or 000 never
 * widen it. SQLite creates its -wal and -shm with the database file's mode, so the database file is made
 * 0600 before SQLite first opens it (db.ts).
 */
import fs from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;
/** Bits that let other users in. */
const GROUP_OR_WORLD = 0o077;

/** The owner-only rule: true when permission bits `mode` let the group or others in. */
export function openToOthers(mode: number): boolean {
  return (mode & GROUP_OR_WORLD) !== 0;
}

/** `mode`'s permission bits in octal, `digits` wide ('0644' or '644'). */
export function modeText(mode: number, digits: number): string {
  return (mode & 0o777).toString(8).padStart(digits, '0');
}

/** Makes `dir` and any missing parents owner-only; folders that exist keep their mode (see looseFolderWarning). */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Writes (or replaces) `file`; a new file is owner-only. */
export function writePrivateFile(file: string, data: string | NodeJS.ArrayBufferView): void {
  fs.writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
}

/** Appends to `file`; a new file is owner-only. */
export function appendPrivateFile(file: string, data: string): void {
  fs.appendFileSync(file, data, { mode: PRIVATE_FILE_MODE });
}

/** Creates `file` exclusively (it must not exist) as owner-only; returns its descriptor. */
export function openNewPrivateFile(file: string): number {
  return fs.openSync(file, 'wx', PRIVATE_FILE_MODE);
}

/** Creates `file` empty and owner-only when it does not exist; an existing file is left as it is. */
export function ensurePrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/**
 * Takes other users' access away from a file this workbench keeps (a database an older release created
 * 0644). Absent files, and files this user may not change (another user's), are left alone: the
 * folder warning says what to do.
 */
export function restrictToOwner(file: string): void {
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if (openToOthers(mode)) fs.chmodSync(file, mode & ~GROUP_OR_WORLD);
  } catch {
    /* absent, or not ours to change */
  }
}

/** The sentence that says other users can read `dir` (its permission bits `mode`), or null when they cannot. */
export function looseFolderWarning(dir: string, mode: number): string | null {
  if (!openToOthers(mode)) return null;
  return `warning: the data folder ${dir} can be read by other users (mode ${modeText(mode, 4)}); make it private with: chmod ${modeText(PRIVATE_DIR_MODE, 3)} '${dir}'`;
}

const warnedFolders = new Set<string>();

/** Says looseFolderWarning through `warn`, once per folder per process (every store open would repeat it). */
export function warnIfFolderLoose(dir: string, warn: (line: string) => void): void {
  if (warnedFolders.has(dir) || process.platform === 'win32') return; // Windows folders have no such bits
  let mode: number;
  try {
    mode = fs.statSync(dir).mode;
  } catch {
    return;
  }
  const line = looseFolderWarning(dir, mode);
  if (!line) return;
  warnedFolders.add(dir);
  warn(line);
}
