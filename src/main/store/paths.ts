/** Where files beside the database live, and the guard that keeps deletes inside the data dir. */
import path from 'node:path';

export const DB_FILE_NAME = 'fedmem.sqlite';
export const WEIGHTS_DIR = 'weights';
/** The original training's per-round history, inside the run's weights folder (deleted with it). */
export const HISTORY_DIR = 'history';

/** Absolute path of a stored relative path ('/'-separated, so databases move between OSes). */
export function resolveInDataDir(dataDir: string, relPath: string): string | null {
  const root = path.resolve(dataDir);
  const abs = path.resolve(root, ...relPath.split('/'));
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return abs;
}

export function weightsDirFor(dataDir: string, runId: string): string {
  return path.join(path.resolve(dataDir), WEIGHTS_DIR, safeFileName(runId));
}

export const STUDIES_DIR = 'studies';

/** A study's own folder (the trainings its runs share), deleted with the study. */
export function studyDirFor(dataDir: string, studyId: string): string {
  return path.join(path.resolve(dataDir), STUDIES_DIR, safeFileName(studyId));
}

export function historyDirFor(dataDir: string, runId: string): string {
  return path.join(weightsDirFor(dataDir, runId), HISTORY_DIR);
}

/** What a run needs to continue after an interruption (engine/checkpoint), inside its weights folder. */
export const CHECKPOINT_DIR = 'checkpoint';

export function checkpointDirFor(dataDir: string, runId: string): string {
  return path.join(weightsDirFor(dataDir, runId), CHECKPOINT_DIR);
}

export const LOGS_DIR = 'logs';

/** The engine's own output (stderr) for a run: what a crash message points to; deleted with the run. */
export function engineLogFor(dataDir: string, runId: string): string {
  return path.join(path.resolve(dataDir), LOGS_DIR, `${safeFileName(runId)}.log`);
}

/**
 * A file-name-safe, reversible encoding: [A-Za-z0-9_-] and inner dots pass, anything else
 * (':' in stage names is illegal on Windows) becomes %XX of its UTF-8 bytes.
 */
export function safeFileName(name: string): string {
  if (name.length === 0) throw new Error('file name must not be empty');
  let out = '';
  for (const [i, ch] of [...name].entries()) {
    if (/[A-Za-z0-9_-]/.test(ch) || (ch === '.' && i > 0)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
