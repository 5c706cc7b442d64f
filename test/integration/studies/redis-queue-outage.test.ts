/**
 * The Redis queue's faults around Redis itself (issue 24), with Debian's redis-server and a real
 * `fedmem worker`: Redis stopped mid-study and started again empty (no persistence: every job, stream
 * and counter gone) still ends the study done with the numbers of a local run, the coordinator saying
 * once what it queued again and the worker saying once that it waits for Redis; the worker's password
 * travels in FEDMEM_QUEUE_URL, never in its or its engines' command lines, nor in its engines' environment.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startRun } from '../../../src/main/runs/record-run';
import { openDatabase } from '../../../src/main/store';
import { LocalStudyQueue } from '../../../src/main/studies/local-queue';
import { StudyService } from '../../../src/main/studies/study-service';
import { RedisStudyQueue } from '../../../src/main/queue/coordinator';
import { queueStudy, records } from '../support/queue-study';
import {
  descendants,
  FEDMEM_BIN,
  startRedis,
  startWorker,
  stop,
  waitForOutput,
  type TestRedis,
  type TestWorker,
} from '../support/redis-server';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-outage-'));
// Two runs that share nothing, so both are on Redis at once: one running, one waiting for the worker.
const definition = { ...queueStudy, axes: [queueStudy.axes[0]], share: false };
let redis: TestRedis;
let worker: TestWorker | undefined;
let local: ReturnType<typeof records>;

before(async () => {
  const store = openDatabase(path.join(tmp, 'local'));
  try {
    const study = new StudyService(store).create(definition);
    const queue = new LocalStudyQueue(store, {
      studyId: study.id,
      launch: (config, s) => startRun(store, config, { study: s }),
    });
    await queue.idle();
    await queue.close(0);
    local = records(store, study.id, { events: false });
  } finally {
    store.close();
  }
  redis = await startRedis();
});

after(async () => {
  if (worker) await stop(worker.child, 'SIGKILL');
  await redis?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The command line of a process, and its environment, as any local user (or this test) reads them. */
const procText = (pid: number, what: 'cmdline' | 'environ') => {
  try {
    return fs.readFileSync(`/proc/${pid}/${what}`, 'utf8');
  } catch {
    return ''; // ended meanwhile
  }
};

// A hang guard, far above the minute or two it takes: without the recovery the study would wait forever.
test(
  'Redis restarted empty mid-study: the lost runs are queued again and the study ends done with the local numbers',
  { timeout: 600_000 },
  async (t) => {
    worker = await startWorker(redis.url);
    const store = openDatabase(path.join(tmp, 'remote'));
    const said: string[] = [];
    const study = new StudyService(store).create(definition);
    const queue = await RedisStudyQueue.open(store, redis.url, { studyId: study.id, log: (line) => said.push(line) });
    // Also when the test fails: an open queue would keep reconnecting and this process alive.
    t.after(async () => {
      await queue.close();
      store.close();
    });
    // Mid-run: a training round recorded, the run not finished.
    while (
      !store.queueAttempts
        .ofStudy(study.id)
        .some((a) => a.rounds > 0 && store.runs.require(a.runId).status === 'running')
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const tree = [worker.pid, ...descendants(worker.pid)];
    for (const pid of tree)
      assert.ok(!procText(pid, 'cmdline').includes(redis.password), `process ${pid}'s arguments hold the password`);
    // The engines a worker forks for its runs (tsx's esbuild, started with the worker, has the worker's environment).
    const engines = tree.filter((pid) => procText(pid, 'cmdline').includes('process-entry'));
    assert.ok(engines.length > 0, 'the worker runs an engine');
    for (const pid of engines)
      assert.ok(!procText(pid, 'environ').includes('FEDMEM_QUEUE_URL'), `engine ${pid} inherited FEDMEM_QUEUE_URL`);

    await redis.stop();
    const where = `redis://127.0.0.1:${redis.port}`;
    await waitForOutput(worker.child, 'stderr', `waiting for Redis at ${where}`, worker.log);
    redis = await startRedis(redis.password, redis.port);
    await waitForOutput(worker.child, 'stderr', `Redis at ${where} answers again`, worker.log);
    await queue.idle();

    assert.deepEqual(records(store, study.id, { events: false }), local);
    // Said once each: what the coordinator did about the lost jobs; the worker's wait and its end.
    const requeued = said.filter((l) => /queued again/.test(l));
    assert.equal(requeued.length, 1, said.join('\n'));
    assert.match(
      requeued[0],
      /^the Redis queue at redis:\/\/127\.0\.0\.1:\d+ lost [12] run\(s\) of this coordinator \(Redis restarted empty/,
    );
    const lines = worker.log.text.split('\n');
    assert.equal(lines.filter((l) => l.includes('waiting for Redis')).length, 1, worker.log.text);
    assert.equal(lines.filter((l) => l.includes('answers again')).length, 1, worker.log.text);
    assert.ok(!/ECONNREFUSED/.test(worker.log.text), worker.log.text);
    for (const text of [...said, worker.log.text]) assert.ok(!text.includes(redis.password));
  },
);

test('a password in --queue still works, with one warning; a queue file others can read is refused in one sentence', async () => {
  const child = spawn(process.execPath, [FEDMEM_BIN, 'worker', '--queue', redis.url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = { text: '' };
  child.stderr.on('data', (d: Buffer) => (log.text += d.toString()));
  await waitForOutput(child, 'stderr', 'takes runs from', log);
  await stop(child);
  assert.equal(log.text.split('\n').filter((l) => l.includes('warning: a password in --queue')).length, 1, log.text);
  assert.ok(!log.text.includes(redis.password));

  const file = path.join(tmp, 'queue-url');
  fs.writeFileSync(file, redis.url);
  fs.chmodSync(file, 0o644);
  const refused = spawn(process.execPath, [FEDMEM_BIN, 'worker', '--queue-file', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  refused.stderr.on('data', (d: Buffer) => (err += d.toString()));
  assert.equal(await new Promise((resolve) => refused.once('exit', resolve)), 1);
  assert.equal(
    err,
    `fedmem: queue file ${file} can be read by other users (mode 644); make it owner-only with: chmod 600 ${file}\n`,
  );
});
