/**
 * Kill -9 and resume (issue 13): a run is started with the real CLI, the CLI and its engine are
 * killed with SIGKILL as a crash would (the whole process group) during the original training, a
 * retraining and an unlearning method, and `fedmem resume RUN` continues it. Runs are deterministic,
 * so the continued run must store exactly what an uninterrupted run of the same config stores: the
 * report and every artifact (all but wall-clock times), every round's and client's metrics, and the
 * weights files byte for byte.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../src/main/store';
import { checkpointDirFor } from '../../../src/main/store/paths';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-resume-'));
// Retries: the engine of a SIGKILLed `fedmem run` may store one more round before it sees its parent gone.
after(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 }));

const config = {
  name: 'resume',
  seed: 21,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
  partition: { clients: 2 },
  training: { rounds: 6, batchSize: 32, lr: 1e-3 },
  unlearning: {
    request: { kind: 'class', class: 3 },
    methods: [
      { id: 'finetune', rounds: 2 },
      { id: 'fedmemeraser', rho: 0.3, rounds: 2 },
    ],
  },
  evaluation: { retrainModels: 2, lossSurface: { steps: 2, overshoot: 0.5, maxRemaining: 100 } },
  repeats: 1,
};
const configFile = path.join(tmp, 'config.json');
fs.writeFileSync(configFile, JSON.stringify(config));

type JsonEvent = { type: string; stage?: string; round?: number; runId?: string };

/** Runs the CLI; `killWhen` (if given) SIGKILLs its process group at the first event it accepts. */
function cli(
  args: string[],
  killWhen?: (e: JsonEvent) => boolean,
): Promise<{ code: number | null; signal: string | null; stderr: string; events: JsonEvent[]; killed: boolean }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const events: JsonEvent[] = [];
  let stderr = '';
  let buffered = '';
  let killed = false;
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const e = JSON.parse(line) as JsonEvent;
      events.push(e);
      if (!killed && killWhen?.(e)) {
        killed = true;
        process.kill(-child.pid!, 'SIGKILL');
      }
    }
  });
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr, events, killed })),
  );
}

/** Everything a run stored that must not depend on being interrupted; wall-clock times left out. */
function storedResults(dataDir: string, runId: string) {
  const store = openDatabase(dataDir, { recoverInterrupted: false });
  try {
    const run = store.runs.require(runId);
    const artifacts = store.artifacts.list(runId);
    const clockFree = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v ?? null), (k, x) => (/seconds|speedup|elapsedms/i.test(k) ? undefined : x));
    return {
      status: run.status,
      summary: run.summary,
      inline: Object.fromEntries(
        artifacts.filter((a) => a.path === null).map((a) => [`${a.kind}/${a.name}`, clockFree(a.json)]),
      ),
      weights: Object.fromEntries(artifacts.filter((a) => a.kind === 'weights').map((a) => [a.name, a.sha256])),
      rounds: store.metrics.roundsFor(runId).map(({ elapsedMs: _t, runId: _r, ...m }) => m),
      clients: store.metrics.clientRoundsFor(runId).map(({ runId: _r, ...m }) => m),
      events: store.events.list(runId),
    };
  } finally {
    store.close();
  }
}

let reference: ReturnType<typeof storedResults>;

before(async () => {
  const dataDir = path.join(tmp, 'uninterrupted');
  const r = await cli(['run', '--config', configFile, '--data-dir', dataDir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  reference = storedResults(dataDir, r.events[0].runId!);
  assert.equal(reference.status, 'done');
  assert.ok(reference.inline['report/report'], 'the uninterrupted run has a report');
  assert.ok(Object.keys(reference.weights).length >= 5, 'original, two retrained, two methods');
});

async function killAndResume(name: string, killWhen: (e: JsonEvent) => boolean) {
  const dataDir = path.join(tmp, name);
  const first = await cli(['run', '--config', configFile, '--data-dir', dataDir, '--json'], killWhen);
  assert.ok(first.killed, `the run reached the kill point (${first.stderr})`);
  assert.equal(first.signal, 'SIGKILL');
  const runId = first.events[0].runId!;
  // Opening the store, as any next process does, finds the recorder gone and marks the run interrupted.
  const store = openDatabase(dataDir);
  assert.equal(store.runs.require(runId).status, 'interrupted');
  store.close();
  assert.ok(fs.existsSync(checkpointDirFor(dataDir, runId)), 'the killed run left a checkpoint');

  const resumed = await cli(['resume', runId, '--data-dir', dataDir, '--json']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const got = storedResults(dataDir, runId);
  assert.equal(got.status, 'done');
  assert.equal(fs.existsSync(checkpointDirFor(dataDir, runId)), false, 'a done run keeps no checkpoint');
  const again = await cli(['resume', runId, '--data-dir', dataDir]);
  assert.equal(again.code, 1);
  assert.equal(again.stderr, `fedmem: run ${runId} cannot be resumed: it is done already\n`);
  return {
    got,
    logs: got.events.filter((e) => e.type === 'log').map((e) => (e.data as { message: string }).message),
    types: got.events.map((e) => e.type),
  };
}

function assertSameAsUninterrupted(got: ReturnType<typeof storedResults>) {
  assert.deepEqual(got.weights, reference.weights, 'every weights file is byte-identical');
  assert.deepEqual(got.summary, reference.summary);
  assert.deepEqual(Object.keys(got.inline).sort(), Object.keys(reference.inline).sort());
  for (const key of Object.keys(reference.inline)) assert.deepEqual(got.inline[key], reference.inline[key], key);
  // One row per (stage, round), with the same numbers: replayed rounds replaced, never duplicated.
  assert.deepEqual(got.rounds, reference.rounds);
  assert.deepEqual(got.clients, reference.clients);
}

test(
  'killed in the original training after round 2: resumed, it continues from a saved round and ends identical',
  { timeout: 600_000 },
  async () => {
    const { got, logs, types } = await killAndResume(
      'original',
      (e) => e.type === 'round' && e.stage === 'original' && e.round === 2,
    );
    assertSameAsUninterrupted(got);
    assert.ok(
      logs.some((m) => /^original continues after round [1-5], from the checkpoint$/.test(m)),
      logs.join('\n'),
    );
    assert.equal(types.filter((t) => t === 'interrupted').length, 1);
    assert.equal(types.filter((t) => t === 'resumed').length, 1);
  },
);

test(
  'killed in a retraining: the original comes from the checkpoint, the retraining continues, the end is identical',
  { timeout: 600_000 },
  async () => {
    const { got, logs } = await killAndResume(
      'retraining',
      (e) => e.type === 'round' && e.stage === 'retrain:1' && e.round === 2,
    );
    assertSameAsUninterrupted(got);
    assert.ok(
      logs.includes('original was completed before the run was interrupted: taken from its checkpoint'),
      logs.join('\n'),
    );
    assert.ok(
      logs.includes('retrain:0 was completed before the run was interrupted: taken from its checkpoint'),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((m) => /^retrain:1 continues after round [1-5], from the checkpoint$/.test(m)),
      logs.join('\n'),
    );
  },
);

test(
  'killed in an unlearning method: finished methods come from the checkpoint, the killed one runs again, the end is identical',
  { timeout: 600_000 },
  async () => {
    const { got, logs } = await killAndResume(
      'method',
      (e) => e.type === 'round' && e.stage === 'unlearn:fedmemeraser' && e.round === 1,
    );
    assertSameAsUninterrupted(got);
    assert.ok(
      logs.includes('unlearn:finetune was completed before the run was interrupted: taken from its checkpoint'),
      logs.join('\n'),
    );
    assert.ok(!logs.some((m) => m.startsWith('unlearn:fedmemeraser')), 'the killed method ran again from its start');
  },
);
