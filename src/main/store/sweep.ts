/**
 * Leftovers of writes that never finished: the atomic writers (atomic-file.ts; engine/stage-cache.ts
 * builds folders the same way) write under a temporary name and rename when complete, so a process
 * killed mid-write leaves one behind. Opening the data folder removes those whose writer is gone: its
 * pid is not alive here and the file has not changed for a while (another host writing to a shared
 * folder could reuse a pid number that is dead here; its file would still be changing), or any such
 * leftover older than a day.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TEMP_NAME } from '../files/atomic-file';
import { pidAlive } from './ownership';
import { STUDIES_DIR, WEIGHTS_DIR } from './paths';

/** A leftover untouched this long, whose pid is gone, is abandoned. */
export const ABANDONED_AFTER_MS = 10 * 60_000;
/** Any leftover this old is abandoned, whatever its pid. */
export const ABANDONED_ANYWAY_AFTER_MS = 24 * 3600_000;

export interface SweepFacts {
  now: number;
  pidAlive: (pid: number) => boolean;
}

/** Whether a temp leftover named `name`, last modified at `mtimeMs`, may be removed. */
export function isAbandoned(name: string, mtimeMs: number, facts: SweepFacts): boolean {
  const m = TEMP_NAME.exec(name);
  if (!m) return false;
  const age = facts.now - mtimeMs;
  if (age > ABANDONED_ANYWAY_AFTER_MS) return true;
  return age > ABANDONED_AFTER_MS && !facts.pidAlive(Number(m[1]));
}

/**
 * Removes abandoned temp files and folders under the data folder's weights and studies folders; returns their paths.
 */
export function sweepTempFiles(dataDir: string, facts: SweepFacts = { now: Date.now(), pidAlive }): string[] {
  const removed: string[] = [];
  const visit = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // absent, or unreadable: nothing of ours to sweep
    }
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (TEMP_NAME.test(e.name)) {
        try {
          if (isAbandoned(e.name, fs.statSync(abs).mtimeMs, facts)) {
            fs.rmSync(abs, { recursive: true, force: true });
            removed.push(abs);
          }
        } catch {
          /* gone meanwhile, or not ours to remove: leave it */
        }
      } else if (e.isDirectory()) visit(abs);
    }
  };
  visit(path.join(dataDir, WEIGHTS_DIR));
  visit(path.join(dataDir, STUDIES_DIR));
  return removed;
}
