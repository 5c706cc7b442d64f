/**
 * Cancel across processes (issue 24), as a user meets it: a `fedmem run` trains in a terminal on a data
 * folder the app also opens; the app's Cancel (the same dispatcher Electron and browser mode serve) stores a
 * request, the CLI reads it at its next heartbeat and stops the run as Ctrl+C would: stored 'cancelled' with
 * the rounds it recorded, resumable, exit code 130. A study the CLI runs is cancelled from the app the same way.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createAppServices } from '../../../src/main/services/handlers';
import { openDatabase } from '../../../src/main/store';
import { canResume } from '../../../src/shared/catalog';
import { cancelRequestedLogText, requestedText, type CancelOutcome } from '../../../src/shared/run-cancel';
import { HEARTBEAT_MS } from '../../../src/main/store/ownership';
import { REMOTE_CANCEL_WITHIN_MS } from '../../../src/main/runs/cancel-run';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin/fedmem.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-cancel-elsewhere-'));
// Retries: the engine of a SIGKILLed `fedmem run` may store one more round before it sees its parent gone.
after(() => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 }));

/** 200 short rounds: far more than the few seconds a request takes to be read, so it ends cancelled, not done. */
const base = {
  seed: 5,
  dataset: { id: 'mnist', trainSize: 400, testSize: 200 },
  partition: { clients: 2 },
  training: { rounds: 200, batchSize: 32, lr: 1e-3 },
  compute: { workers: 1 },
};

interface Cli {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
  /** Resolves with the JSON lines seen so far once one of them passes `until`. */
  waitFor: (until: (line: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
}

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, [bin, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const lines: Record<string, unknown>[] = [];
  const waiters: { until: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] =
    [];
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) w.until(line) ? w.resolve(line) : waiters.push(w);
    }
  });
  const waitFor = (until: (l: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = lines.find(until);
      if (seen) return resolve(seen);
      waiters.push({ until, resolve });
      void exit.then((code) => reject(new Error(`the CLI ended (${code}) first: ${err}`)));
    });
  return { child, exit, stderr: () => err, waitFor };
}

test(
  'the app cancels a run `fedmem run` records: it ends cancelled with its rounds, resumable; the CLI exits 130',
  {
    timeout: 180_000,
  },
  async () => {
    const dataDir = path.join(tmp, 'run');
    const file = path.join(tmp, 'run.json');
    fs.writeFileSync(file, JSON.stringify({ ...base, name: 'terminal run' }));
    const cli = startCli(['run', '--config', file, '--data-dir', dataDir]);
    try {
      const first = await cli.waitFor((l) => l.type === 'round');
      const runId = String(first.runId);
      const app = createAppServices({ dataDir, mode: 'browser', push: () => {} });
      let requestedAt: number;
      try {
        const del = await app.dispatch('runs:delete', { id: runId });
        assert.equal(
          del.ok ? 'deleted' : del.error.code,
          'RUN_OWNED_ELSEWHERE',
          'a live run of another process is not deleted',
        );
        const res = await app.dispatch('runs:cancel', { id: runId });
        requestedAt = Date.now();
        assert.ok(res.ok, JSON.stringify(res));
        const outcome = res.data as CancelOutcome;
        const message = requestedText(runId, cli.child.pid!, HEARTBEAT_MS);
        assert.deepEqual(outcome, {
          outcome: 'requested',
          message,
          pid: cli.child.pid,
          answerWithinMs: REMOTE_CANCEL_WITHIN_MS,
        });

        const code = await cli.exit;
        assert.equal(code, 130, cli.stderr());
        const got = await app.dispatch('runs:get', { id: runId });
        assert.ok(got.ok && (got.data as { status: string }).status === 'cancelled', 'the app reads it cancelled');
      } finally {
        await app.shutdown(5_000);
      }
      const tookMs = Date.now() - requestedAt;
      // Not a speed check: the measured time, for the report.
      process.stderr.write(`# cancel request to CLI exit: ${tookMs} ms\n`);

      assert.match(
        cli.stderr(),
        new RegExp(`run ${runId} cancelled: the run was cancelled; continue it with: fedmem resume ${runId}`),
      );
      const store = openDatabase(dataDir, { recoverInterrupted: false });
      try {
        const run = store.runs.require(runId);
        assert.equal(run.status, 'cancelled');
        assert.equal(run.error, 'the run was cancelled', 'stopped by its engine, as a local cancel does');
        assert.ok(canResume(run), 'resumable');
        const rounds = store.metrics.roundsFor(runId).length;
        assert.ok(rounds >= 1 && rounds < 200, `its recorded rounds are kept (${rounds})`);
        const warnings = store.events
          .list(runId)
          .filter((e) => e.type === 'warning')
          .map((e) => (e.data as { message: string }).message);
        assert.deepEqual(warnings, [cancelRequestedLogText(process.pid)], 'its log says who asked');
      } finally {
        store.close();
      }
    } finally {
      cli.child.kill('SIGKILL');
      await cli.exit;
    }
  },
);

test(
  'the app cancels a study `fedmem study run` runs: its running run stops cancelled, its queued one is cancelled',
  {
    timeout: 180_000,
  },
  async () => {
    const dataDir = path.join(tmp, 'study');
    const file = path.join(tmp, 'study.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'terminal study',
        base,
        axes: [{ path: 'training.lr', values: [0.001, 0.002] }],
        seeds: 1,
      }),
    );
    const cli = startCli(['study', 'run', file, '--data-dir', dataDir]);
    try {
      const first = await cli.waitFor((l) => l.type === 'round');
      const runId = String(first.runId);
      const app = createAppServices({ dataDir, mode: 'browser', push: () => {}, runStudies: false });
      let studyId: string;
      try {
        studyId = app.store.runs.require(runId).studyId!;
        const res = await app.dispatch('studies:cancel', { id: studyId });
        assert.ok(res.ok, JSON.stringify(res));
        await cli.exit;
      } finally {
        await app.shutdown(5_000);
      }
      const store = openDatabase(dataDir, { recoverInterrupted: false });
      try {
        assert.equal(store.runs.require(runId).status, 'cancelled');
        assert.deepEqual(
          store.studies.items(studyId).map((i) => i.status),
          ['cancelled', 'cancelled'],
        );
        assert.ok(store.metrics.roundsFor(runId).length >= 1, 'the stopped run keeps its rounds');
      } finally {
        store.close();
      }
      assert.match(cli.stderr(), /study \S+ cancelled: 0 done, 0 failed, 2 cancelled, 0 queued/);
    } finally {
      cli.child.kill('SIGKILL');
      await cli.exit;
    }
  },
);
