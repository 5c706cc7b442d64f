/** Each test gets its own data directory with a real SQLite file, removed afterwards. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { openDatabase, type Store } from '../../../src/main/store/db';

export function tempDataDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-store-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a store in a fresh temp dir and closes it when the test ends. */
export function tempStore(t: TestContext): Store {
  const store = openDatabase(tempDataDir(t));
  t.after(() => store.close());
  return store;
}

/** Every file under `dir`, relative, '/'-separated. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}
