/**
 * Where the app's studies run (Settings > Study queue): the embedded queue, or a Redis queue with
 * `fedmem worker` processes. The choice is kept in `queue.json` beside the database (owner-only:
 * it holds the password, which the database, the logs and the UI never see) and taken up again on
 * the next start. A Redis queue that cannot be reached leaves the studies queued here, untouched,
 * and is tried again every half minute.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiFailure } from '../../shared/api-errors';
import type { QueueStatus } from '../../shared/contract';
import { parseQueueUrl, QueueUrlError, redactQueueUrl } from '../../shared/queue-url';
import type { Store } from '../store';
import { writeFileAtomically } from '../files/atomic-file';
import { NO_QUEUE, type StudyQueue } from '../studies/local-queue';
import type { RedisStudyQueue } from './coordinator';

const SETTING_FILE = 'queue.json';
const RETRY_MS = 30_000;

export function readQueueSetting(dataDir: string): string | null {
  try {
    const { url } = JSON.parse(fs.readFileSync(path.join(dataDir, SETTING_FILE), 'utf8')) as { url?: unknown };
    return typeof url === 'string' ? url : null;
  } catch {
    return null;
  }
}

function writeQueueSetting(dataDir: string, url: string | null): void {
  const file = path.join(dataDir, SETTING_FILE);
  if (url === null) return void fs.rmSync(file, { force: true });
  writeFileAtomically(file, [Buffer.from(JSON.stringify({ url }))]);
}

export interface QueueChoiceOptions {
  makeLocal: () => StudyQueue;
  onChange: (studyId: string) => void;
  log?: (line: string) => void;
}

/** A StudyQueue that is the embedded queue or the Redis one, switchable while the app runs. */
export class QueueChoice implements StudyQueue {
  private current: StudyQueue = NO_QUEUE;
  private url: string | null = null;
  private problem: string | null = null;
  private connected = false;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly o: QueueChoiceOptions,
  ) {
    this.url = readQueueSetting(store.dataDir);
    if (this.url === null) this.current = o.makeLocal();
    else void this.connect(this.url);
  }

  status(): QueueStatus {
    if (this.url === null) return { kind: 'local' };
    return {
      kind: 'redis',
      url: redactQueueUrl(this.url),
      state: this.problem ? 'unreachable' : this.connected ? 'connected' : 'connecting',
      message: this.problem,
    };
  }

  /** Switches to the queue at `url` (null: this machine); refused in one sentence with nothing changed. */
  async use(url: string | null): Promise<QueueStatus> {
    if (url !== null) {
      try {
        parseQueueUrl(url);
      } catch (e) {
        if (e instanceof QueueUrlError) throw new ApiFailure('INVALID_QUEUE_URL', e.message);
        throw e;
      }
      let next: RedisStudyQueue;
      try {
        next = await this.openRedis(url);
      } catch (e) {
        throw new ApiFailure((e as { code?: string }).code ?? 'QUEUE_UNREACHABLE', (e as Error).message);
      }
      await this.replace(next, url);
    } else await this.replace(this.o.makeLocal(), null);
    writeQueueSetting(this.store.dataDir, url);
    return this.status();
  }

  /** The Redis queue's code (BullMQ, ioredis) loads only when a Redis queue is used: most commands never need it. */
  private async openRedis(url: string): Promise<RedisStudyQueue> {
    const { RedisStudyQueue } = await import('./coordinator');
    return RedisStudyQueue.open(this.store, url, this.queueOptions());
  }

  private queueOptions() {
    return { onChange: this.o.onChange, log: this.o.log ?? (() => undefined) };
  }

  /** Runs of the old queue stop first (the embedded queue's go back to its queue, for the new one to take). */
  private async replace(next: StudyQueue, url: string | null): Promise<void> {
    clearTimeout(this.retry);
    const old = this.current;
    this.current = NO_QUEUE;
    await old.close();
    this.current = next;
    this.url = url;
    this.problem = null;
    this.connected = url !== null;
    next.poke();
  }

  /** The saved Redis queue at start-up; unreachable: studies wait here, and it is tried again. */
  private async connect(url: string): Promise<void> {
    try {
      const q = await this.openRedis(url);
      if (this.closed || this.url !== url) return void (await q.close());
      this.current = q;
      this.problem = null;
      this.connected = true;
    } catch (e) {
      this.problem = (e as Error).message;
      this.o.log?.(`${this.problem}; studies stay queued here until it answers`);
      if (!this.closed) this.retry = setTimeout(() => void this.connect(url), RETRY_MS).unref();
    }
  }

  poke(): void {
    this.current.poke();
  }

  stopStudy(studyId: string): void {
    this.current.stopStudy(studyId);
  }

  idle(): Promise<void> {
    return this.current.idle();
  }

  close(timeoutMs?: number): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    return this.current.close(timeoutMs);
  }
}
