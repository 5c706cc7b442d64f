/**
 * The coordinator's bookkeeping on a real Redis with no worker on it, driven by its own change
 * notices (never a clock): pause takes back the runs no worker has started and cancel ends them
 * cancelled; an item left claimed without a run is handed over again on the next start; a late event
 * of an older attempt (a worker whose lock lapsed while it went on) is skipped and the newer attempt
 * is still followed to its end.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { EngineEvent } from '../../../src/shared/events';
import { openDatabase } from '../../../src/main/store';
import { REMOTE_CLAIMER } from '../../../src/main/studies/local-queue';
import { StudyService } from '../../../src/main/studies/study-service';
import { RedisStudyQueue } from '../../../src/main/queue/coordinator';
import { envelopeFields, jobIdFor, keys, QUEUE_NAME } from '../../../src/main/queue/protocol';
import { queueStudy } from '../support/queue-study';
import { startRedis, type TestRedis } from '../support/redis-server';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-handover-'));
let redis: TestRedis;
before(async () => (redis = await startRedis()));
after(async () => {
  await redis?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * Each test takes well under a second; a coordinator that stops following an item would wait forever instead of
 * failing.
 */
const HANG_GUARD = { timeout: 60_000 };

/** Cleanups run last-registered first (t.after runs them in registration order): the queue closes before its store. */
function cleanups(t: TestContext): (fn: () => unknown) => void {
  const stack: (() => unknown)[] = [];
  t.after(async () => {
    for (const fn of stack.reverse()) await fn();
  });
  return (fn) => void stack.push(fn);
}

/** Resolves once `done()` holds, checked on each of the queue's change notices. */
function changes() {
  let waiter: { done: () => boolean; resolve: () => void } | null = null;
  return {
    onChange: () => waiter?.done() && waiter.resolve(),
    until: (done: () => boolean) =>
      done() ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { done, resolve })),
  };
}

test('pause takes back the runs no worker has started; cancel ends them cancelled', HANG_GUARD, async (t) => {
  const defer = cleanups(t);
  const store = openDatabase(path.join(tmp, 'pause'));
  defer(() => store.close());
  const { onChange, until } = changes();
  const service = new StudyService(store);
  const study = service.create({ ...queueStudy, share: false });
  const statuses = () => store.studies.items(study.id).map((i) => i.status);
  const queue = await RedisStudyQueue.open(store, redis.url, { studyId: study.id, log: () => undefined, onChange });
  defer(() => queue.close());
  await until(() => statuses().every((s) => s === 'running'));
  const handed = store.studies.items(study.id).map((i) => i.runId!);
  assert.deepEqual(
    handed.map((id) => store.runs.require(id).status),
    ['queued', 'queued', 'queued', 'queued'],
  );
  service.pause(study.id);
  queue.poke();
  await until(() => statuses().every((s) => s === 'queued'));
  assert.ok(
    handed.every((id) => store.runs.get(id) === undefined),
    'the runs that never started are gone',
  );
  assert.ok(store.studies.items(study.id).every((i) => i.runId === null));
  service.resume(study.id);
  queue.poke();
  await until(() => statuses().every((s) => s === 'running'));
  service.cancel(study.id);
  queue.stopStudy(study.id);
  await queue.idle();
  assert.deepEqual(statuses(), ['cancelled', 'cancelled', 'cancelled', 'cancelled']);
});

test(
  'an item claimed for the queue but never given its run (a coordinator killed in between) is handed over on the next start',
  HANG_GUARD,
  async (t) => {
    const defer = cleanups(t);
    const store = openDatabase(path.join(tmp, 'unhanded'));
    defer(() => store.close());
    const { onChange, until } = changes();
    const study = new StudyService(store).create({ ...queueStudy, share: false });
    const stuck = store.studies.claimNext(REMOTE_CLAIMER, () => true, study.id)!;
    assert.equal(store.studies.item(study.id, stuck.key)!.runId, null);
    const queue = await RedisStudyQueue.open(store, redis.url, { studyId: study.id, log: () => undefined, onChange });
    defer(async () => {
      queue.stopStudy(study.id);
      await queue.idle();
      await queue.close();
    });
    await until(() => store.studies.items(study.id).every((i) => i.status === 'running' && i.runId !== null));
    const jobs = new Queue(QUEUE_NAME, {
      connection: { host: '127.0.0.1', port: redis.port, password: redis.password },
    });
    defer(() => jobs.close());
    for (const it of store.studies.items(study.id)) {
      const job = await jobs.getJob(jobIdFor(study.id, it.key));
      assert.equal(job?.data.runId, it.runId, `item ${it.key} is on the queue with its run`);
    }
  },
);

test(
  "a late event of an older attempt is skipped and the newer attempt's events are still recorded to the end",
  HANG_GUARD,
  async (t) => {
    const defer = cleanups(t);
    const store = openDatabase(path.join(tmp, 'superseded'));
    defer(() => store.close());
    const study = new StudyService(store).create({ ...queueStudy, axes: [{ path: 'seed', values: [5] }] });
    const [item] = store.studies.items(study.id);
    const started: EngineEvent = { type: 'started', backend: 'wasm', versions: {}, workers: 1, pool: 'in-process' };
    const round = (r: number, acc: number): EngineEvent => ({
      type: 'round',
      stage: 'original',
      round: r,
      totalRounds: 2,
      testAccuracy: acc,
      testLoss: 1,
      trainLoss: 1,
      elapsedMs: 5,
      clients: [{ client: 0, trainLoss: 1, numExamples: 50 }],
      progress: { done: r, total: 2 },
    });
    // Attempt 1's worker lost its lock and went on; attempt 2 took the job. Both wrote to the stream.
    const stream: [number, number, EngineEvent][] = [
      [1, 1, started],
      [2, 1, started],
      [1, 2, round(1, 0.9)],
      [2, 2, round(1, 0.4)],
      [1, 3, round(2, 0.9)],
      [2, 3, round(2, 0.6)],
      [2, 4, { type: 'done', summary: { testAccuracy: 0.6 } }],
    ];
    const client = new Redis({ host: '127.0.0.1', port: redis.port, password: redis.password });
    defer(() => client.disconnect());
    for (const [attempt, seq, event] of stream) {
      await client.xadd(
        keys.events(jobIdFor(study.id, item.key)),
        '*',
        ...envelopeFields({ attempt, seq, worker: `w:${attempt}`, event }),
      );
    }
    const queue = await RedisStudyQueue.open(store, redis.url, { studyId: study.id, log: () => undefined });
    defer(() => queue.close());
    await queue.idle();
    const runId = store.studies.items(study.id)[0].runId!;
    assert.equal(store.studies.items(study.id)[0].status, 'done');
    assert.equal(store.runs.require(runId).status, 'done');
    assert.deepEqual(
      store.metrics.roundsFor(runId).map((r) => [r.round, r.testAccuracy]),
      [
        [1, 0.4],
        [2, 0.6],
      ],
    );
    assert.deepEqual(
      store.events.list(runId).map((e) => e.type),
      ['started', 'retried', 'started', 'done'],
    );
  },
);

test(
  'jobs lost to a FLUSHALL are found by the periodic check and queued again, said once, with the attempt count past the last one',
  HANG_GUARD,
  async (t) => {
    const defer = cleanups(t);
    const store = openDatabase(path.join(tmp, 'flushed'));
    defer(() => store.close());
    const { onChange, until } = changes();
    const study = new StudyService(store).create({ ...queueStudy, share: false });
    const said: string[] = [];
    let requeued: () => void = () => undefined;
    const log = (line: string) => {
      said.push(line);
      if (/queued again/.test(line)) requeued();
    };
    const queue = await RedisStudyQueue.open(store, redis.url, { studyId: study.id, log, onChange });
    defer(async () => {
      queue.stopStudy(study.id);
      await queue.idle();
      await queue.close();
    });
    await until(() => store.studies.items(study.id).every((i) => i.status === 'running' && i.runId !== null));
    const [first] = store.studies.items(study.id);
    // As if a worker had run attempt 1 of the first run and Redis then lost everything.
    store.queueAttempts.begin(first.runId!, 1, 'w:1');
    const client = new Redis({ host: '127.0.0.1', port: redis.port, password: redis.password });
    defer(() => client.disconnect());
    await new Promise<void>((resolve) => {
      requeued = resolve;
      void client.flushall();
    });
    assert.deepEqual(said, [
      `the Redis queue at redis://127.0.0.1:${redis.port} lost 4 run(s) of this coordinator (Redis restarted empty, flushed or failed over); queued again, they run again from the start`,
    ]);
    const jobs = new Queue(QUEUE_NAME, {
      connection: { host: '127.0.0.1', port: redis.port, password: redis.password },
    });
    defer(() => jobs.close());
    for (const it of store.studies.items(study.id)) {
      const jobId = jobIdFor(study.id, it.key);
      assert.equal(
        (await jobs.getJob(jobId))?.data.runId,
        it.runId,
        `item ${it.key} is on the queue again with its run`,
      );
      // The next worker's INCR gives 3 for the run attempted once (2 may be the lost attempt's), 2 for the others.
      assert.equal(await client.get(keys.attempts(jobId)), it.key === first.key ? '2' : '1');
    }
  },
);
