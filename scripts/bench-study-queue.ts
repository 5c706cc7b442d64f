/**
 * `npm run bench -- --study NAME --workers 1,2`: the same study through a Redis queue (issue 16) with
 * 1, 2, … local `fedmem worker` processes on a throwaway redis-server, timed from handing the study
 * to the queue until its last run is recorded (workers already started), beside the embedded queue's
 * time, and checked to give the embedded queue's reports.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StudyInput } from '../src/shared/study';
import { RedisStudyQueue } from '../src/main/queue/coordinator';
import { openDatabase } from '../src/main/store';
import { StudyService } from '../src/main/studies/study-service';
import { startRedis, startWorker, stop } from '../test/integration/support/redis-server';

/** Report JSON without the clocks (which differ run to run by nature). */
const numbers = (report: unknown) =>
  JSON.stringify(report, (k: string, v: unknown) =>
    ['timeToPeakSeconds', 'speedup', 'wallSeconds', 'wallSpeedup', 'runId'].includes(k) ? undefined : v,
  );

export async function benchStudyQueue(
  input: StudyInput,
  counts: number[],
  embedded: { seconds: number; reports: Map<string, unknown> },
): Promise<void> {
  console.log(
    `\nthrough a Redis queue (each run on 1 thread; embedded queue: ${embedded.seconds.toFixed(1)} s on the same setting):`,
  );
  for (const n of counts) {
    const redis = await startRedis();
    const workers = await Promise.all(Array.from({ length: n }, () => startWorker(redis.url)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-bench-queue-'));
    const store = openDatabase(dir);
    try {
      const study = new StudyService(store).create(input);
      const t0 = performance.now();
      const queue = await RedisStudyQueue.open(store, redis.url, {
        studyId: study.id,
        log: (line) => console.log(`  queue: ${line}`),
      });
      await queue.idle();
      await queue.close();
      const seconds = (performance.now() - t0) / 1000;
      const items = store.studies.items(study.id);
      const same = items.every(
        (it) =>
          it.runId &&
          numbers(store.artifacts.json(it.runId, 'report', 'report')) === numbers(embedded.reports.get(it.key)),
      );
      const done = items.filter((it) => it.status === 'done').length;
      console.log(
        `  ${n} worker${n === 1 ? ' ' : 's'}: ${seconds.toFixed(1)} s for ${done}/${items.length} runs; ` +
          `${(embedded.seconds / seconds).toFixed(2)}x the embedded queue; reports ${same ? 'identical to' : 'DIFFERENT from'} the embedded run's`,
      );
    } finally {
      store.close();
      await Promise.all(workers.map((w) => stop(w.child)));
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
