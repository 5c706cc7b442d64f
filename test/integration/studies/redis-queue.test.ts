/**
 * Studies on a Redis queue (issue 16), with Debian's redis-server on a loopback port and real
 * `fedmem worker` processes: a 2 × 2 study run by three workers records exactly what the same study
 * run locally records, also when the app starts it; with a worker SIGKILLed (or stopped with SIGTERM)
 * mid-run, or stalled (SIGSTOP) past its lock, the study still ends with the same numbers; a
 * coordinator (`fedmem study run --queue`) SIGKILLed mid-study and resumed loses and duplicates
 * nothing; an unreachable queue is one sentence; the password is nowhere in the database, the logs or
 * what the UI is sent. The coordinator's own bookkeeping without workers (pause, cancel, recovery) is
 * in redis-queue-handover.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startRun } from '../../../src/main/runs/record-run';
import { openDatabase, type Store } from '../../../src/main/store';
import { LocalStudyQueue } from '../../../src/main/studies/local-queue';
import { StudyService } from '../../../src/main/studies/study-service';
import { RedisStudyQueue } from '../../../src/main/queue/coordinator';
import { jobIdFor } from '../../../src/main/queue/protocol';
import { createAppServices } from '../../../src/main/services/handlers';
import { PushRecorder } from '../../unit/services/helpers';
import type { StudyDetail } from '../../../src/shared/study-types';
import { queueStudy, records, withoutClock } from '../support/queue-study';
import {
  descendants,
  FEDMEM_BIN,
  freePort,
  startRedis,
  startWorker,
  stop,
  waitForOutput,
  type TestRedis,
  type TestWorker,
} from '../support/redis-server';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-redis-'));
let redis: TestRedis;
const workers: TestWorker[] = [];
const logs: { text: string }[] = [];

const definition = queueStudy;

let local: ReturnType<typeof records>;

before(async () => {
  redis = await startRedis();
  // The reference: the same study on the embedded queue.
  const store = openDatabase(path.join(tmp, 'local'));
  try {
    const study = new StudyService(store).create(definition);
    const queue = new LocalStudyQueue(store, {
      studyId: study.id,
      launch: (config, s) => startRun(store, config, { study: s }),
    });
    await queue.idle();
    await queue.close(0);
    local = records(store, study.id, { events: true });
    assert.equal(Object.keys(local).length, 4);
  } finally {
    store.close();
  }
  for (let i = 0; i < 3; i++) workers.push(await startWorker(redis.url));
  logs.push(...workers.map((w) => w.log));
});

after(async () => {
  await Promise.all(workers.map((w) => stop(w.child, 'SIGKILL')));
  await redis?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function runOnQueue(store: Store, studyId: string, whileRunning?: () => Promise<void>): Promise<void> {
  const queue = await RedisStudyQueue.open(store, redis.url, { studyId, log: () => undefined });
  try {
    await whileRunning?.();
    await queue.idle();
  } finally {
    await queue.close();
  }
}

test('a 2 × 2 study run by three worker processes records exactly what the local run records', async () => {
  const store = openDatabase(path.join(tmp, 'remote'));
  try {
    const service = new StudyService(store);
    const study = service.create(definition);
    await runOnQueue(store, study.id);
    assert.deepEqual(records(store, study.id, { events: true }), local);
    // The runs were spread: more than one worker ran them, each on its backend.
    const attempts = store.queueAttempts.ofStudy(study.id);
    assert.equal(attempts.length, 4);
    assert.ok(new Set(attempts.map((a) => a.worker)).size >= 2, JSON.stringify(attempts));
    assert.ok(attempts.every((a) => a.backend && a.attempt === 1 && a.rounds > 0));
    // Nothing of the finished study stays in Redis but the queue's own bookkeeping.
    const probe = await import('ioredis');
    const client = new probe.Redis({ port: redis.port, password: redis.password });
    try {
      assert.deepEqual(await client.keys('fedmem:*'), []);
    } finally {
      client.disconnect();
    }
  } finally {
    store.close();
  }
});

test('the app with a Redis URL in Settings: a study it starts is finished by workers it did not start, with the local records', async () => {
  const dataDir = path.join(tmp, 'app');
  const pushes = new PushRecorder();
  const services = createAppServices({ dataDir, mode: 'browser', push: pushes.push });
  try {
    const refused = await services.dispatch('settings:setQueue', {
      url: `redis://:${redis.password}@127.0.0.1:${await freePort()}`,
    });
    assert.ok(
      !refused.ok && refused.error.code === 'QUEUE_UNREACHABLE' && !refused.error.message.includes(redis.password),
      JSON.stringify(refused),
    );
    const set = await services.dispatch('settings:setQueue', { url: redis.url });
    assert.deepEqual(set, {
      ok: true,
      data: { kind: 'redis', url: `redis://:***@127.0.0.1:${redis.port}`, state: 'connected', message: null },
    });
    assert.equal(
      fs.statSync(path.join(dataDir, 'queue.json')).mode & 0o077,
      0,
      'the saved queue URL is readable by its owner only',
    );
    const created = await services.dispatch('studies:create', { study: definition });
    assert.ok(created.ok);
    const studyId = (created.data as { id: string }).id;
    await pushes.waitFor(
      (p) => p.channel === 'study:changed' && services.store.studies.items(studyId).every((it) => it.status === 'done'),
      240_000,
    );
    assert.deepEqual(records(services.store, studyId, { events: true }), local);
    // The study view's payload: which worker ran each run, on which backend, at what pace; never the password.
    const detail = await services.dispatch('studies:get', { id: studyId });
    assert.ok(detail.ok);
    for (const it of (detail.data as StudyDetail).items) {
      assert.ok(
        it.remote && workers.some((w) => it.remote!.worker.endsWith(`:${w.pid}`)) && it.remote.backend,
        JSON.stringify(it.remote),
      );
      assert.ok(it.remote.roundsPerMinute! > 0);
    }
    logs.push(
      { text: JSON.stringify(detail) },
      { text: JSON.stringify(await services.dispatch('settings:get', undefined)) },
    );
  } finally {
    await services.shutdown(5000);
  }
});

/** A run a worker is running: its job id, its run id, and the attempt the coordinator has recorded last. */
interface BusyRun {
  jobId: string;
  runId: string;
  attempt(): number;
}

/**
 * Takes a run from its worker mid-run with `lose`; the study must still end with the local numbers,
 * exactly that run attempted twice.
 */
async function loseRunMidway(name: string, lose: (victim: TestWorker, run: BusyRun) => Promise<void>) {
  const store = openDatabase(path.join(tmp, name));
  try {
    const study = new StudyService(store).create(definition);
    let victim: TestWorker | undefined;
    await runOnQueue(store, study.id, async () => {
      // Mid-run: a run with a training round recorded and not finished; its worker is the one to lose it.
      for (;;) {
        const busy = store.queueAttempts
          .ofStudy(study.id)
          .find((a) => a.rounds > 0 && store.runs.require(a.runId).status === 'running');
        victim = busy && workers.find((w) => busy.worker.endsWith(`:${w.pid}`));
        if (busy && victim) {
          const item = store.studies.items(study.id).find((it) => it.runId === busy.runId)!;
          return lose(victim, {
            jobId: jobIdFor(study.id, item.key),
            runId: busy.runId,
            attempt: () => store.queueAttempts.latest(busy.runId)!.attempt,
          });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    assert.deepEqual(
      records(store, study.id, { events: false }),
      Object.fromEntries(Object.entries(local).map(([k, { events: _e, ...rest }]) => [k, rest])),
    );
    const retried = store.queueAttempts.ofStudy(study.id).filter((a) => a.attempt > 1);
    assert.equal(retried.length, 1, 'exactly the lost run was attempted again');
    assert.ok(store.events.list(retried[0].runId).some((e) => e.type === 'retried'));
    return { victim: victim!, retried: retried[0] };
  } finally {
    store.close();
  }
}

/** The worker is stopped with `signal`: another worker runs the lost run again. */
async function loseWorkerMidRun(name: string, signal: NodeJS.Signals): Promise<TestWorker> {
  const { victim, retried } = await loseRunMidway(name, (w) => stop(w.child, signal));
  workers.splice(workers.indexOf(victim), 1);
  assert.ok(!retried.worker.endsWith(`:${victim.pid}`));
  return victim;
}

test('a worker SIGKILLed mid-run: its run is taken by another worker and the study ends with the same numbers', async () => {
  await loseWorkerMidRun('killed', 'SIGKILL');
});

// Seconds when it works; without the lost-lock handling it would wait for the log line forever.
test(
  'a worker that stalls past its lock (SIGSTOP) wakes to find its run taken: it stops its copy, and its late events change nothing',
  { timeout: 180_000 },
  async () => {
    const { victim } = await loseRunMidway('stalled', async (w, run) => {
      // The whole machine stalls: the worker and its engine, so the engine cannot finish the run meanwhile.
      const tree = [w.pid, ...descendants(w.pid)];
      for (const pid of tree) process.kill(pid, 'SIGSTOP');
      while (run.attempt() < 2) await new Promise((r) => setTimeout(r, 50));
      process.kill(w.pid, 'SIGCONT');
      await waitForOutput(
        w.child,
        'stderr',
        `lost the lock of run ${run.runId}; it goes to another worker and stops here`,
        w.log,
      );
      for (const pid of tree.slice(1)) process.kill(pid, 'SIGCONT');
    });
    assert.equal(victim.child.exitCode, null, 'the worker itself goes on');
  },
);

test('a coordinator SIGKILLed mid-study and resumed records every event once', async () => {
  const dataDir = path.join(tmp, 'restart');
  const file = path.join(tmp, 'study.json');
  fs.writeFileSync(file, JSON.stringify(definition));
  const first = spawn(
    process.execPath,
    [FEDMEM_BIN, 'study', 'run', file, '--queue', redis.url, '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const firstLog = { text: '' };
  first.stderr.on('data', (d: Buffer) => (firstLog.text += d.toString()));
  logs.push(firstLog);
  // Killed once the first run is recorded and the others are on the workers.
  await waitForOutput(first, 'stderr', /\[1\/4 done\] [1-3] on the queue/, firstLog);
  await stop(first, 'SIGKILL');
  const studyId = /study ([0-9a-f-]{36}) /.exec(firstLog.text)![1];

  const resumed = spawn(
    process.execPath,
    [FEDMEM_BIN, 'study', 'resume', studyId, '--queue', redis.url, '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const resumedLog = { text: '' };
  resumed.stdout.on('data', (d: Buffer) => (resumedLog.text += d.toString()));
  resumed.stderr.on('data', (d: Buffer) => (resumedLog.text += d.toString()));
  logs.push(resumedLog);
  const code = await new Promise((resolve) => resumed.once('exit', resolve));
  assert.equal(code, 0, resumedLog.text);

  const store = openDatabase(dataDir, { recoverInterrupted: false });
  try {
    assert.deepEqual(records(store, studyId, { events: true }), local);
    // The UI's view of the study carries no password either.
    logs.push({ text: JSON.stringify(new StudyService(store).detail(studyId)) });
  } finally {
    store.close();
  }
  // The password is in no file of the data folder (database, WAL, logs) and no output.
  const files = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  // The app's folder is there when its test ran before this one (not when this test is run alone).
  const appDir = path.join(tmp, 'app');
  const appFiles = fs.existsSync(appDir) ? files(appDir).filter((f) => path.basename(f) !== 'queue.json') : [];
  for (const f of [...files(dataDir), ...appFiles])
    assert.ok(!fs.readFileSync(f).includes(redis.password), `${f} holds the password`);
  for (const l of logs) assert.ok(!l.text.includes(redis.password), `an output holds the password:\n${l.text}`);
  assert.ok(resumedLog.text.includes(`redis://:***@127.0.0.1:${redis.port}`));
});

test('a worker stopped with SIGTERM (Ctrl-C) hands its run back to the queue and exits cleanly', async () => {
  const stopped = await loseWorkerMidRun('stopped', 'SIGTERM');
  assert.equal(stopped.child.exitCode, 0, stopped.log.text);
  assert.match(stopped.log.text, /stopping: its running runs go back to the queue/);
});

test('"weights": false keeps the model weights on the workers; the report and rounds still come back', async () => {
  const store = openDatabase(path.join(tmp, 'no-weights'));
  try {
    const study = new StudyService(store).create({
      ...definition,
      axes: [definition.axes[0], { ...definition.axes[1], values: ['correct'] }],
      weights: false,
    });
    await runOnQueue(store, study.id);
    const items = store.studies.items(study.id);
    assert.deepEqual(
      items.map((i) => i.status),
      ['done', 'done'],
    );
    for (const it of items) {
      assert.deepEqual(store.artifacts.list(it.runId!, 'weights'), []);
      assert.equal(withoutClock(store.artifacts.json(it.runId!, 'report', 'report')), local[it.key].report);
      assert.equal(withoutClock(store.metrics.roundsFor(it.runId!)), local[it.key].rounds);
    }
  } finally {
    store.close();
  }
});

test('an unreachable queue or a wrong password is one sentence, and the study stays queued here', async () => {
  const port = await freePort();
  const store = openDatabase(path.join(tmp, 'unreachable'));
  try {
    const study = new StudyService(store).create(definition);
    await assert.rejects(RedisStudyQueue.open(store, `redis://:pw@127.0.0.1:${port}`), {
      message: `cannot reach the Redis queue at redis://127.0.0.1:${port}: connection refused`,
    });
    await assert.rejects(RedisStudyQueue.open(store, `redis://:wrong@127.0.0.1:${redis.port}`), {
      message: `cannot reach the Redis queue at redis://127.0.0.1:${redis.port}: the password was refused`,
    });
    assert.deepEqual(
      store.studies.items(study.id).map((i) => i.status),
      ['queued', 'queued', 'queued', 'queued'],
    );
  } finally {
    store.close();
  }
});

test('the app started with a saved queue that does not answer: studies stay queued and Settings says why', async () => {
  const dataDir = path.join(tmp, 'app-down');
  const port = await freePort();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(
    path.join(dataDir, 'queue.json'),
    JSON.stringify({ url: `redis://:${redis.password}@127.0.0.1:${port}` }),
  );
  const pushes = new PushRecorder();
  const services = createAppServices({ dataDir, mode: 'browser', push: pushes.push });
  try {
    const created = await services.dispatch('studies:create', { study: definition });
    assert.ok(created.ok);
    const settings = await services.dispatch('settings:get', undefined);
    assert.ok(settings.ok);
    const queue = (settings.data as { queue: unknown }).queue;
    assert.deepEqual(queue, {
      kind: 'redis',
      url: `redis://:***@127.0.0.1:${port}`,
      state: 'unreachable',
      message: `cannot reach the Redis queue at redis://127.0.0.1:${port}: connection refused`,
    });
    // Nothing ran here instead: the study waits for its queue.
    const id = (created.data as { id: string }).id;
    assert.deepEqual(
      services.store.studies.items(id).map((i) => i.status),
      ['queued', 'queued', 'queued', 'queued'],
    );
  } finally {
    await services.shutdown(5000);
  }
});
