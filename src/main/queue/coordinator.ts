/**
 * The distributed study queue (issue 16): takes the place of the embedded LocalStudyQueue behind the
 * same `StudyQueue` interface. Queued items of active studies become BullMQ jobs on Redis; workers
 * anywhere (`fedmem worker`) run them and stream their events back, and this coordinator records
 * them into its SQLite as for a local run (remote-recorder.ts), so the study's table is the same.
 *
 * The database stays the queue's memory: an item handed to Redis is 'running', claimed by
 * REMOTE_CLAIMER, with its run created 'queued'. A coordinator restarted mid-study finds those
 * items, adopts their runs, reads their event streams from the start (what it recorded is skipped)
 * and adds again a job Redis lost. A running coordinator looks for lost jobs too (Redis restarted
 * empty, flushed, failed over): on every reconnection and every JOB_CHECK_MS, queueing them again as a
 * new attempt. Shared trainings stay shared: as in the local queue, an item
 * waits while another item of its study trains the same original model, until that training is
 * offered through Redis (share-transfer.ts).
 */
import type { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { parseConfig } from '../../shared/config';
import { studySchema } from '../../shared/study';
import { originalTrainingKey } from '../../shared/study-sharing';
import { queueWhere, type QueueAddress } from '../../shared/queue-url';
import { createRunRow } from '../runs/record-run';
import type { Store, StoredStudyItem } from '../store';
import { entryName } from '../files/shared-trainings';
import { REMOTE_CLAIMER, type StudyQueue } from '../studies/local-queue';
import { checkQueue, connectQueue, outageReporter, redisOptions } from './connect';
import { envelopeFrom, jobIdFor, keys, QUEUE_NAME, type RunJob } from './protocol';
import { applyEnvelope, type RemoteItem } from './remote-recorder';
import { dropEntries } from './share-transfer';

export interface RedisQueueOptions {
  /** Told whenever an item of the study changes status. */
  onChange?: (studyId: string) => void;
  /** Work only on this study (the CLI's `study run --queue`). */
  studyId?: string;
  /** Connection trouble after the start, one line each time it changes. */
  log?: (line: string) => void;
}

/**
 * How often the coordinator asks Redis whether a job it waits on failed for good (every worker lost it)
 * or is gone (Redis lost it); also right after a reconnection. The README states it.
 */
export const JOB_CHECK_MS = 5000;
/** A lost job is retried on a worker-level failure (a stopped worker); engine failures are recorded, not retried. */
const JOB_ATTEMPTS = 5;

export class RedisStudyQueue implements StudyQueue {
  private readonly tracked = new Map<string, RemoteItem>();
  private readonly readFrom = new Map<string, string>();
  private closed = false;
  private filling: Promise<void> | null = null;
  private fillAgain = false;
  private idleWaiters: (() => void)[] = [];
  private wake: (() => void) | null = null;
  private lastJobCheck = 0;
  /** Withdrawals and re-additions of jobs, one at a time: neither may act on a job the other is changing. */
  private jobChanges: Promise<void> = Promise.resolve();
  /** Studies being cancelled: a pause must not put their runs back in the queue meanwhile. */
  private readonly cancelling = new Set<string>();

  /** Connects (one sentence if Redis cannot be reached, and nothing changes), reattaches, starts work. */
  static async open(store: Store, url: string, o: RedisQueueOptions = {}): Promise<RedisStudyQueue> {
    const address = await checkQueue(url);
    const q = new RedisStudyQueue(store, address, o);
    await q.reattach();
    void q.readLoop();
    q.poke();
    return q;
  }

  private readonly redis: Redis;
  private readonly reader: Redis;
  private readonly queue: Queue<RunJob, unknown, string>;
  private readonly where: string;

  private constructor(
    private readonly store: Store,
    address: QueueAddress,
    private readonly o: RedisQueueOptions,
  ) {
    const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
    this.where = queueWhere(address);
    this.redis = connectQueue(address, outageReporter(address, log));
    // Back after an outage: whatever Redis lost is looked for at once, not at the next periodic check.
    this.redis.on('ready', () => (this.lastJobCheck = 0));
    this.reader = connectQueue(address);
    this.queue = new Queue<RunJob, unknown, string>(QUEUE_NAME, { connection: redisOptions(address) });
    this.queue.on('error', () => undefined); // the command connection above reports the same trouble
  }

  private inScope = (studyId: string) => this.o.studyId === undefined || this.o.studyId === studyId;

  /** Items this queue handed to Redis before (this process or one before it): follow them again. */
  private async reattach(): Promise<void> {
    const ours = this.store.studies
      .list()
      .filter((s) => this.inScope(s.id))
      .flatMap((s) => this.store.studies.items(s.id))
      .filter((it) => it.status === 'running' && it.claimedBy === REMOTE_CLAIMER);
    // Claimed but never handed over (a coordinator of an earlier version killed between the two): queued again.
    for (const it of ours.filter((it) => it.runId === null)) this.store.studies.requeueItem(it.studyId, it.key);
    for (const it of ours.filter((it) => it.runId !== null)) {
      this.store.runs.adopt(it.runId!, this.store.queueAttempts.latest(it.runId!) ? 'running' : 'queued');
      this.track({ studyId: it.studyId, key: it.key, runId: it.runId! });
    }
    // Record what the streams hold first: a job Redis no longer has may simply have finished.
    await this.readOnce(0);
    await this.requeueLost([...this.tracked.keys()]);
  }

  /**
   * Adds again the jobs among `jobIds` that Redis no longer has (restarted empty, flushed, failed over to a
   * replica that missed them), each as a new attempt that runs its run from the start; says so in one line.
   * The streams are read first: a job is removed on completion only after its worker put the run's end in
   * its stream, so a job gone with no end recorded was lost, not finished.
   */
  private requeueLost(jobIds: string[]): Promise<void> {
    return this.changeJobs(async () => {
      const gone: string[] = [];
      for (const id of jobIds) if (this.tracked.has(id) && !(await this.queue.getJob(id))) gone.push(id);
      if (gone.length === 0) return;
      await this.readOnce(0);
      const lost = gone.filter((id) => this.tracked.has(id));
      for (const id of lost) await this.addJob(this.tracked.get(id)!, { lost: true });
      if (lost.length) {
        this.o.log?.(
          `the Redis queue at ${this.where} lost ${lost.length} run(s) of this coordinator ` +
            '(Redis restarted empty, flushed or failed over); queued again, they run again from the start',
        );
      }
    });
  }

  private track(item: RemoteItem): void {
    const jobId = jobIdFor(item.studyId, item.key);
    this.tracked.set(jobId, item);
    if (!this.readFrom.has(jobId)) this.readFrom.set(jobId, '0');
    this.wake?.();
  }

  /** `lost`: the job was queued before and Redis lost it, with its event stream and attempt counter. */
  private async addJob(item: RemoteItem, o: { lost?: boolean } = {}): Promise<void> {
    const stored = this.store.studies.item(item.studyId, item.key)!;
    const { share, weights } = studySchema.parse(this.store.studies.require(item.studyId).definition);
    const data: RunJob = {
      studyId: item.studyId,
      itemKey: item.key,
      runId: item.runId,
      config: stored.config,
      share,
      weights: weights ?? true,
    };
    // A failed job stays until checkJobs has recorded it (then it is removed, freeing its id for a resume);
    // one left by a coordinator that stopped before that would make this add a no-op.
    const jobId = jobIdFor(item.studyId, item.key);
    const old = await this.queue.getJob(jobId);
    if (old && (await old.isFailed())) await old.remove();
    if (o.lost) {
      // Attempts count on from the last one recorded, and one more: the lost attempt may have counted
      // itself without a recorded event, and its late events must stay older than the new attempt's.
      const latest = this.store.queueAttempts.latest(item.runId)?.attempt ?? 0;
      await this.redis.set(keys.attempts(jobId), latest + 1, 'NX');
      // The stream Redis has now is a new one (or the same, read again: what was recorded is skipped).
      this.readFrom.set(jobId, '0');
    }
    await this.queue.add('run', data, { jobId, attempts: JOB_ATTEMPTS, removeOnComplete: true, removeOnFail: false });
  }

  poke(): void {
    if (this.closed) return;
    if (this.filling) {
      this.fillAgain = true;
      return;
    }
    this.filling = this.fill()
      .catch((e: unknown) => this.o.log?.(`could not hand runs to the Redis queue: ${(e as Error).message}`))
      .finally(() => {
        this.filling = null;
        if (this.fillAgain) {
          this.fillAgain = false;
          this.poke();
        } else this.settle();
      });
  }

  /** Hands every eligible queued item to Redis: all at once, since the workers set the pace. */
  private async fill(): Promise<void> {
    await this.withdrawPaused();
    const offered = await this.offeredOriginals();
    for (;;) {
      if (this.closed || !this.store.isOpen) return;
      // One transaction: a coordinator killed here leaves the item either queued or claimed with its run, never claimed
      // without one.
      const claimed = this.store.db
        .transaction(() => {
          const item = this.store.studies.claimNext(
            REMOTE_CLAIMER,
            (it, running) => this.eligible(it, running, offered),
            this.o.studyId,
          );
          if (!item) return undefined;
          const run = createRunRow(this.store, parseConfig(item.config), item.studyId, 'queued');
          this.store.studies.attachRun(item.studyId, item.key, run.id);
          return { item, run };
        })
        .immediate();
      if (!claimed) return;
      const { item, run } = claimed;
      const remote = { studyId: item.studyId, key: item.key, runId: run.id };
      try {
        await this.addJob(remote);
      } catch (e) {
        // Nothing is lost: the item goes back to the queue and the unstarted run away.
        this.store.studies.requeueItem(item.studyId, item.key);
        this.store.runs.delete(run.id);
        throw e;
      }
      this.track(remote);
      this.o.onChange?.(item.studyId);
    }
  }

  /** Pause means nothing new starts: a paused study's runs no worker has taken come back to the database's queue. */
  private async withdrawPaused(): Promise<void> {
    const paused = new Set(
      [...this.tracked.values()]
        .map((it) => it.studyId)
        .filter((id) => this.store.studies.get(id)?.state === 'paused' && !this.cancelling.has(id)),
    );
    for (const studyId of paused) await this.withdraw(studyId, 'requeue');
  }

  /**
   * The study's runs no worker has taken leave Redis: back to the database's queue (their never-started
   * run goes), or ended cancelled. Serialised, so a pause and a cancel never withdraw one job twice.
   */
  private withdraw(studyId: string, how: 'requeue' | 'cancel'): Promise<void> {
    const step = async () => {
      for (const [jobId, item] of [...this.tracked]) {
        if (item.studyId !== studyId) continue;
        const job = await this.queue.getJob(jobId);
        if (!job || !(await job.isWaiting())) continue;
        // A worker may take it between the two calls: then it runs (or is told to stop) like any started run.
        if (
          !(await job.remove().then(
            () => true,
            () => false,
          ))
        )
          continue;
        if (how === 'cancel') {
          this.store.runs.finish(item.runId, 'cancelled', 'cancelled before a worker took it');
          this.store.studies.finishItem(item.studyId, item.key, 'cancelled', 'cancelled before a worker took it');
        } else {
          this.store.studies.attachRun(item.studyId, item.key, null);
          this.store.runs.delete(item.runId);
          this.store.studies.requeueItem(item.studyId, item.key);
        }
        await this.untrack(jobId, item);
      }
    };
    return this.changeJobs(step);
  }

  private changeJobs(step: () => Promise<void>): Promise<void> {
    this.jobChanges = this.jobChanges.then(step, step);
    return this.jobChanges;
  }

  /** The original trainings already offered through Redis, by study: runs needing one need not wait. */
  private async offeredOriginals(): Promise<Set<string>> {
    const offered = new Set<string>();
    const queued = this.store.studies
      .list()
      .filter((s) => s.state === 'active' && this.inScope(s.id))
      .flatMap((s) => this.store.studies.items(s.id).filter((it) => it.status === 'queued'));
    for (const it of queued) {
      const name = entryName(originalTrainingKey(parseConfig(it.config), 0));
      if (!offered.has(`${it.studyId}/${name}`) && (await this.redis.exists(keys.share(it.studyId, name))))
        offered.add(`${it.studyId}/${name}`);
    }
    return offered;
  }

  /** Not while another item of the study trains the same original model, unless it is offered already. */
  private eligible(item: StoredStudyItem, running: StoredStudyItem[], offered: Set<string>): boolean {
    const study = this.store.studies.get(item.studyId);
    if (!study || !studySchema.parse(study.definition).share) return Boolean(study);
    const key = originalTrainingKey(parseConfig(item.config), 0);
    const busy = running.some(
      (r) => r.studyId === item.studyId && originalTrainingKey(parseConfig(r.config), 0) === key,
    );
    return !busy || offered.has(`${item.studyId}/${entryName(key)}`);
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      try {
        if (this.tracked.size === 0) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            setTimeout(resolve, 1000).unref();
          });
          this.wake = null;
          continue;
        }
        await this.readOnce(1000);
        if (Date.now() - this.lastJobCheck > JOB_CHECK_MS) await this.checkJobs();
      } catch (e) {
        if (this.closed) return;
        this.o.log?.(`reading the Redis queue: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** Reads and records what the tracked streams hold; blocks up to `blockMs` when they hold nothing new (0: never). */
  private async readOnce(blockMs: number): Promise<void> {
    for (;;) {
      const ids = [...this.tracked.keys()];
      if (ids.length === 0 || this.closed) return;
      const args = [...ids.map((id) => keys.events(id)), ...ids.map((id) => this.readFrom.get(id) ?? '0')];
      const reply =
        blockMs > 0
          ? await this.reader.xread('COUNT', 200, 'BLOCK', blockMs, 'STREAMS', ...args)
          : await this.reader.xread('COUNT', 200, 'STREAMS', ...args);
      if (!reply) return;
      for (const [stream, entries] of reply) {
        const jobId = stream.slice(keys.events('').length);
        for (const [id, fields] of entries) {
          const item = this.tracked.get(jobId);
          if (!item) break;
          const applied = applyEnvelope(this.store, item, envelopeFrom(fields));
          // Only once recorded: an envelope that failed to record is read again on the next pass.
          this.readFrom.set(jobId, id);
          // 'superseded' (a late event of an older attempt) is skipped; the newer attempt is still followed.
          if (applied === 'finished' || applied === 'stale') await this.untrack(jobId, item);
        }
      }
      if (blockMs > 0) return;
    }
  }

  private async untrack(jobId: string, item: RemoteItem): Promise<void> {
    this.tracked.delete(jobId);
    this.readFrom.delete(jobId);
    await this.redis.del(keys.events(jobId), keys.attempts(jobId));
    this.o.onChange?.(item.studyId);
    const items = this.store.studies.items(item.studyId);
    if (!items.some((it) => it.status === 'queued' || it.status === 'running'))
      await dropEntries(this.redis, item.studyId);
    this.poke();
  }

  /**
   * A job every worker gave up on (lost more often than its attempts allow) ends its item as failed; a job
   * Redis lost is queued again.
   */
  private async checkJobs(): Promise<void> {
    this.lastJobCheck = Date.now();
    const gone: string[] = [];
    for (const [jobId, item] of [...this.tracked]) {
      const job = await this.queue.getJob(jobId);
      if (!job) gone.push(jobId);
      if (!job || !(await job.isFailed())) continue;
      const why = `the queue gave up on this run: ${job.failedReason}`;
      this.store.runs.finish(item.runId, 'failed', why);
      this.store.studies.finishItem(item.studyId, item.key, 'failed', why);
      await job.remove();
      await this.untrack(jobId, item);
    }
    if (gone.length) await this.requeueLost(gone);
  }

  private settle(): void {
    if (this.tracked.size === 0 && !this.filling) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  /** Waiting runs leave the queue ended 'cancelled'; running ones are told to stop and end 'cancelled'. */
  stopStudy(studyId: string): void {
    this.cancelling.add(studyId);
    void (async () => {
      await this.redis.publish(keys.cancel, studyId);
      await this.withdraw(studyId, 'cancel');
    })()
      .catch((e: unknown) =>
        this.o.log?.(`could not stop the study's runs on the Redis queue: ${(e as Error).message}`),
      )
      .finally(() => this.cancelling.delete(studyId));
  }

  idle(): Promise<void> {
    if (this.tracked.size === 0 && !this.filling) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops recording here; the workers go on, and the next coordinator (a restart) reattaches. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    this.idleWaiters.splice(0).forEach((resolve) => resolve());
    this.reader.disconnect();
    await this.queue.close().catch(() => undefined);
    this.redis.disconnect();
  }
}
