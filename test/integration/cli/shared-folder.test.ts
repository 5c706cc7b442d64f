/**
 * Issue 13's first two probes, as users meet them: one data folder shared by a `fedmem run` training
 * in its own process and other processes opening the same folder (a second `fedmem run`, and the app's
 * handlers as browser mode serves them). The training run must never be taken for a crashed one, nor
 * deleted under the process recording it; once that process is killed, it becomes interrupted.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createAppServices } from '../../../src/main/services/handlers';
import { openDatabase } from '../../../src/main/store';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-shared-'));
// Retries: the engine of a SIGKILLed `fedmem run` may store one more round before it sees its parent gone.
after(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 }));

const config = (name: string, rounds: number) => {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      name,
      seed: 5,
      dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
      partition: { clients: 2 },
      training: { rounds, batchSize: 32, lr: 1e-3 },
      compute: { workers: 1 },
    }),
  );
  return file;
};

/** Starts a long `fedmem run` and resolves once its first round is stored. */
async function startTraining(
  dataDir: string,
  name: string,
): Promise<{ child: ChildProcess; runId: string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, 'run', '--config', config(name, 200), '--data-dir', dataDir, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let out = '';
  child.stdout.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (!/"type":"round"/.test(out)) return;
      const reader = openDatabase(dataDir, { recoverInterrupted: false });
      const run = reader.runs.list().find((r) => r.name === name);
      reader.close();
      if (run) resolve({ child, runId: run.id, exit });
    });
    void exit.then((code) => reject(new Error(`fedmem run ended (${code}) before its first round`)));
  });
}

test(
  'a second fedmem run and browser mode on the same folder leave a live run alone; a killed one becomes interrupted',
  { timeout: 240_000 },
  async () => {
    const dataDir = path.join(tmp, 'data');
    const training = await startTraining(dataDir, 'long-training');
    try {
      // Probe 1: another `fedmem run` on the folder opens it (and sweeps for orphans) while the first trains.
      const second = spawnSync(process.execPath, [bin, 'run', '--config', config('short', 1), '--data-dir', dataDir], {
        encoding: 'utf8',
      });
      assert.equal(second.status, 0, second.stderr);

      // Probe 2: browser mode on the same folder; its delete of the live run is refused in one sentence.
      const app = createAppServices({ dataDir, mode: 'browser', push: () => {} });
      try {
        const del = await app.dispatch('runs:delete', { id: training.runId });
        assert.equal(del.ok, false);
        if (!del.ok) {
          assert.equal(del.error.code, 'RUN_OWNED_ELSEWHERE');
          assert.match(
            del.error.message,
            new RegExp(
              `^run ${training.runId} is being recorded by process ${training.child.pid} on this machine \\(last heard from \\d+ s ago\\); stop it there before you delete it$`,
            ),
          );
        }
        const got = await app.dispatch('runs:get', { id: training.runId });
        assert.ok(got.ok && (got.data as { status: string }).status === 'running', 'still running and still there');
      } finally {
        await app.shutdown(5_000);
      }
      const reader = openDatabase(dataDir, { recoverInterrupted: false });
      const run = reader.runs.require(training.runId);
      assert.equal(run.status, 'running');
      assert.deepEqual(
        reader.events.list(run.id).filter((e) => e.type === 'interrupted'),
        [],
        'no false interrupted event',
      );
      reader.close();
    } finally {
      training.child.kill('SIGKILL');
      await training.exit;
    }

    // The recorder is gone: the next process to open the folder marks the run interrupted, keeping its rounds.
    const store = openDatabase(dataDir);
    try {
      assert.equal(store.interruptedOnOpen, 1);
      const run = store.runs.require(training.runId);
      assert.equal(run.status, 'interrupted');
      assert.ok(store.metrics.roundsFor(run.id).length >= 1, 'its completed rounds are kept');
      assert.equal(store.runs.delete(run.id), true);
    } finally {
      store.close();
    }
  },
);
