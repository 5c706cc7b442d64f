/**
 * One run of a config through the real engine process into a fresh data folder, shared by the tests
 * of one file: started before them (and required to finish 'done'), the folder removed after them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { ExperimentConfig } from '../../../src/shared/config';
import { startRun, type StartRunOptions } from '../../../src/main/runs/record-run';
import { openDatabase, type Store } from '../../../src/main/store';

export interface StoredRun {
  store: Store;
  runId: string;
}

export function useStoredRun(config: ExperimentConfig, options: StartRunOptions = {}): StoredRun {
  const run = {} as StoredRun;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-run-'));
  before(async () => {
    run.store = openDatabase(dir);
    const stored = await startRun(run.store, config, options).finished;
    assert.equal(stored.status, 'done', stored.error ?? '');
    run.runId = stored.id;
  });
  after(() => {
    run.store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return run;
}
