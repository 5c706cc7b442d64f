/**
 * Where a study's shared trainings live (the engine writes them, engine/stage-cache.ts; the queue
 * looks whether one is there yet): one folder per training key, complete once its meta.json exists.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const entryName = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 32);
/** Whether a name read from elsewhere (Redis) is one entryName could give: never a path out of the folder. */
export const isEntryName = (name: string): boolean => /^[0-9a-f]{32}$/.test(name);

/** True once a training with this key is stored complete in `dir`. */
export const cacheEntryExists = (dir: string, key: string) =>
  fs.existsSync(path.join(dir, entryName(key), 'meta.json'));
