/**
 * "Cancel means cancelled" (issue 13), as a user meets it: Ctrl+C in a terminal sends SIGINT to the
 * whole process group (the CLI and its engine process alike); a service manager sends SIGTERM to the
 * CLI alone. Either way the run is stored 'cancelled' with what it recorded, the engine stops within a
 * batch (not a round: each round here is thousands of batches long, so a run stopped at the round
 * boundary would have a round stored or would need the grace-period kill, whose message differs), and
 * the command exits with 130.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../src/main/store';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-signals-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** One very long round: 2 clients × 1,000 examples × 60 local epochs of batch 16 ≈ 3,800 batches each. */
const longRound = {
  seed: 9,
  dataset: { id: 'mnist', trainSize: 2000, testSize: 200 },
  partition: { clients: 2 },
  training: { rounds: 3, localEpochs: 60, batchSize: 16, lr: 1e-3 },
  compute: { workers: 2 },
};

async function cancelWith(name: string, deliver: (pid: number) => void) {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...longRound, name }));
  const dataDir = path.join(tmp, name);
  // Its own process group, so the test can signal the group as a terminal does.
  const child = spawn(process.execPath, [bin, 'run', '--config', file, '--data-dir', dataDir, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (/"phase":"training"/.test(out)) resolve();
    });
    void exit.then((code) => reject(new Error(`ended (${code}) before training: ${err}`)));
  });
  // Delivered as the training phase begins: a round here is thousands of batches, so the signal lands
  // inside the first round's local training on any machine, with no guess at how long to wait.
  deliver(child.pid!);
  const code = await exit;
  const store = openDatabase(dataDir, { recoverInterrupted: false });
  try {
    const [run] = store.runs.list();
    return {
      code,
      err,
      run,
      rounds: store.metrics.roundsFor(run.id),
      events: store.events.list(run.id).map((e) => e.type),
    };
  } finally {
    store.close();
  }
}

test(
  'Ctrl+C (SIGINT to the process group) cancels within a batch, stores the run cancelled, exits 130',
  { timeout: 120_000 },
  async () => {
    const r = await cancelWith('sigint', (pid) => process.kill(-pid, 'SIGINT'));
    assert.equal(r.code, 130, r.err);
    assert.equal(r.run.status, 'cancelled');
    assert.equal(
      r.run.error,
      'the run was cancelled',
      'stopped by the engine itself, not killed after the grace period',
    );
    assert.deepEqual(r.rounds, [], 'stopped inside the first round');
    assert.ok(r.events.includes('started') && r.events.includes('phase'), 'what it recorded is kept');
    assert.match(r.err, /cancelled: the run was cancelled/);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack frames');
  },
);

test('SIGTERM to the CLI alone cancels the same way', { timeout: 120_000 }, async () => {
  const r = await cancelWith('sigterm', (pid) => process.kill(pid, 'SIGTERM'));
  assert.equal(r.code, 130, r.err);
  assert.equal(r.run.status, 'cancelled');
  assert.equal(r.run.error, 'the run was cancelled');
  assert.deepEqual(r.rounds, []);
});
