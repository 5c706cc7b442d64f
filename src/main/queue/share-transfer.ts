/**
 * Shared trainings between workers on different machines: the worker that trains a study's
 * original or retrained model offers the stored entry (engine/stage-cache.ts: a folder, complete
 * once meta.json is in it) through Redis as one hash of its files; a worker about to run an item
 * of the study first copies every offered entry it lacks into its own share folder, where the
 * engine finds it as if trained there. Entries above the cap stay local (the other workers then
 * train that model themselves: slower, never different).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { fromExactJson } from '../../shared/exact-json';
import { tempPathFor } from '../files/atomic-file';
import { makePrivateDir, writePrivateFile } from '../files/private-files';
import { isEntryName } from '../files/shared-trainings';
import { keys } from './protocol';

/** MNIST/CIFAR-scale models with their side products fit well under this; a ResNet's original with history may not. */
export const SHARE_CAP_BYTES = 256 * 1024 * 1024;

function filesUnder(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) => {
    const r = rel ? `${rel}/${d.name}` : d.name;
    return d.isDirectory() ? filesUnder(dir, r) : [r];
  });
}

/** Entry folders complete in `dir` (temp folders of trainings in progress have no meta.json). */
function completeEntries(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => !n.startsWith('.') && fs.existsSync(path.join(dir, n, 'meta.json')));
}

/** Offers the entries `runId` produced in `dir`; returns the names offered and the messages about those too large. */
export async function offerEntries(
  redis: Redis,
  studyId: string,
  dir: string,
  runId: string,
): Promise<{ offered: string[]; skipped: string[] }> {
  const offered: string[] = [];
  const skipped: string[] = [];
  for (const name of completeEntries(dir)) {
    const entry = path.join(dir, name);
    const meta = fromExactJson(fs.readFileSync(path.join(entry, 'meta.json'), 'utf8')) as { producedBy?: string };
    if (meta.producedBy !== runId) continue;
    const files = filesUnder(entry);
    const bytes = files.reduce((a, f) => a + fs.statSync(path.join(entry, f)).size, 0);
    if (bytes > SHARE_CAP_BYTES) {
      skipped.push(
        `shared training ${name} is ${Math.round(bytes / 1e6)} MB, over the ${SHARE_CAP_BYTES / 1e6} MB the queue carries; other workers train it themselves`,
      );
      continue;
    }
    const fields: (string | Buffer)[] = files.flatMap((f) => [f, fs.readFileSync(path.join(entry, f))]);
    await redis.hset(keys.share(studyId, name), ...fields);
    offered.push(name);
  }
  return { offered, skipped };
}

/** Copies every entry the study's workers offered that `dir` lacks; returns how many it copied. */
export async function fetchEntries(redis: Redis, studyId: string, dir: string): Promise<number> {
  const pattern = keys.share(studyId, '*');
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
    batch.forEach((k) => found.add(k));
    cursor = next;
  } while (cursor !== '0');
  const have = new Set(completeEntries(dir));
  let copied = 0;
  for (const key of found) {
    const name = key.slice(keys.share(studyId, '').length);
    // The name comes from Redis, which other machines write: one plain folder name, never a path out of `dir`.
    if (!isEntryName(name) || have.has(name)) continue;
    const files = await redis.hgetallBuffer(key);
    if (!files['meta.json']) continue;
    makePrivateDir(dir);
    const tmp = tempPathFor(dir, true);
    for (const [rel, bytes] of Object.entries(files)) {
      const file = path.join(tmp, ...rel.split('/'));
      if (!file.startsWith(tmp + path.sep)) continue; // a file name from Redis never escapes the entry
      makePrivateDir(path.dirname(file));
      writePrivateFile(file, bytes);
    }
    try {
      fs.renameSync(tmp, path.join(dir, name));
      copied++;
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // a concurrent job of this worker copied it first
    }
  }
  return copied;
}

/** Forgets a study's offered entries (the study is finished or deleted). */
export async function dropEntries(redis: Redis, studyId: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keys.share(studyId, '*'), 'COUNT', 200);
    if (batch.length > 0) await redis.del(...batch);
    cursor = next;
  } while (cursor !== '0');
}
