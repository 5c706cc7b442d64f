/**
 * `fedmem worker`: takes study runs from the Redis queue and runs each with the same engine a local
 * run uses (forkEngine, the best backend this machine has), streaming its events back in envelopes
 * (protocol.ts) for the coordinator to record. Datasets arrive by name and are found through this
 * machine's `--data-path NAME=DIR` mapping; shared trainings come and go through Redis
 * (share-transfer.ts). A worker that dies mid-run stops renewing its job's lock, and BullMQ hands
 * the job to another worker, whose attempt counts up and replays the run from the start
 * (deterministic: the same numbers). A worker that merely stalled past its lock is told so by BullMQ
 * and stops its copy.
 */
import fs from 'node:fs';
import os from 'node:os';
import { machineCores } from '../machine-cores';
import path from 'node:path';
import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { parseConfig, type ExperimentConfig } from '../../shared/config';
import type { EngineEvent } from '../../shared/events';
import { historyRounds } from '../../shared/history';
import { forkEngine, type EngineHandle } from '../engine-host/fork-engine';
import { splitWorkers } from '../studies/local-queue';
import {
  checkQueue,
  connectQueue,
  isConnectionError,
  outageReporter,
  redisOptions,
  type OutageReporter,
} from './connect';
import { queueWhere, type QueueAddress } from '../../shared/queue-url';
import { envelopeFields, keys, QUEUE_NAME, type RunJob } from './protocol';
import { fetchEntries, offerEntries } from './share-transfer';
import { probeCacheFileIn } from '../files/backend-probe-file';

export interface QueueWorkerOptions {
  url: string;
  /** Dataset folder names (the last part of the coordinator's path, or the dataset id) to folders here. */
  dataPaths?: ReadonlyMap<string, string>;
  concurrency?: number;
  /** How long a job stays locked to a silent worker before another may take it (BullMQ lockDuration). */
  lockMs?: number;
  /** Where shared trainings and engine logs go (default: a fresh temporary folder, removed on close). */
  cacheDir?: string;
  log?: (line: string) => void;
}

export interface QueueWorker {
  name: string;
  /** Stops taking jobs; running engines are stopped and their jobs go back to the queue for another worker. */
  close(): Promise<void>;
}

/** The config with its dataset folder found on this machine; throws one sentence naming the flag to add. */
export function resolveDatasetPath(
  config: ExperimentConfig,
  dataPaths: ReadonlyMap<string, string>,
  exists = fs.existsSync,
): ExperimentConfig {
  const given = config.dataset.path;
  if (!given) return config;
  const name =
    given
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? given;
  const mapped = dataPaths.get(name) ?? dataPaths.get(config.dataset.id);
  if (mapped) return { ...config, dataset: { ...config.dataset, path: mapped } };
  if (exists(given)) return config;
  throw new Error(
    `dataset folder "${name}" (${config.dataset.id}) is not mapped on worker ${os.hostname()}: start the worker with --data-path ${name}=DIR`,
  );
}

/**
 * A run this worker is running, by job id; `lost`: BullMQ could not renew the job's lock, so the job is another
 * worker's now.
 */
interface RunningJob {
  studyId: string;
  runId: string;
  engine: EngineHandle;
  lost: boolean;
}

export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorker> {
  const address = await checkQueue(o.url);
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const name = `${os.hostname()}:${process.pid}`;
  const concurrency = o.concurrency ?? 1;
  const ownCache = !o.cacheDir;
  const cacheDir = o.cacheDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-worker-'));
  const outage = outageReporter(address, (m) => log(`worker ${name}: ${m}`));
  const redis = connectQueue(address, outage);
  const subscriber = connectQueue(address);
  const running = new Map<string, RunningJob>();
  let stopping = false;

  await subscriber.subscribe(keys.cancel);
  subscriber.on('message', (_channel: string, studyId: string) => {
    for (const r of running.values()) if (r.studyId === studyId) r.engine.cancel();
  });

  async function runJob(job: Job<RunJob>): Promise<void> {
    const { studyId, itemKey, runId, share } = job.data;
    const jobId = job.id!;
    const attempt = await redis.incr(keys.attempts(jobId));
    const out = eventPublisher(redis, jobId, attempt, name, () => running.get(jobId)?.lost === true);
    let config: ExperimentConfig;
    try {
      config = splitWorkers(
        resolveDatasetPath(parseConfig(job.data.config), o.dataPaths ?? new Map()),
        concurrency,
        machineCores(),
      );
    } catch (e) {
      out.publish({ type: 'error', code: 'DATASET_PATH', message: (e as Error).message });
      return void (await out.sent());
    }
    const dirs = jobDirs(cacheDir, studyId);
    if (share) await fetchEntries(redis, studyId, dirs.share);
    log(`worker ${name}: run ${runId} (${itemKey}), attempt ${attempt}`);
    const engine = startEngine(config, job.data, cacheDir, dirs);
    running.set(jobId, { studyId, runId, engine, lost: false });
    let last: EngineEvent | undefined;
    engine.onEvent((e) => {
      if (e.type === 'done' || e.type === 'error') last = e;
      else if (e.type !== 'weights' || job.data.weights) out.publish(e);
    });
    try {
      await engine.finished;
      if (running.get(jobId)?.lost) throw new Error(`worker ${name} lost the job's lock; another worker runs it`);
      // Stopped with the worker, not by the user: the job fails this attempt and goes to another worker.
      if (stopping) throw new Error(`worker ${name} stopped; the run goes to another worker`);
      // What this run trained is offered before its end is told: the runs waiting for it start then.
      if (share && last?.type === 'done') {
        const { skipped } = await offerEntries(redis, studyId, dirs.share, runId);
        for (const message of skipped) out.publish({ type: 'log', level: 'warn', message });
      }
      out.publish(
        last ?? { type: 'error', code: 'ENGINE_CRASHED', message: 'the engine stopped without reporting a result' },
      );
      await out.sent();
      log(
        `worker ${name}: run ${runId} ${last?.type === 'done' ? 'done' : `ended: ${last?.type === 'error' ? last.message : 'no result'}`}`,
      );
    } finally {
      running.delete(jobId);
    }
  }

  const worker = new Worker<RunJob>(QUEUE_NAME, runJob, workerOptions(address, concurrency, o.lockMs ?? 30_000));
  watchWorker(worker, { name, redis, outage, running, log });
  log(`worker ${name} takes runs from ${queueWhere(address)} (${concurrency} at a time)`);
  return {
    name,
    async close() {
      stopping = true;
      for (const r of running.values()) r.engine.cancel();
      await worker.close();
      subscriber.disconnect();
      redis.disconnect();
      if (ownCache) fs.rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/**
 * A job's events, sent in order on one connection (the stream keeps that order for the coordinator); none once the job
 * is lost.
 */
function eventPublisher(redis: Redis, jobId: string, attempt: number, worker: string, lost: () => boolean) {
  let seq = 0;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    publish(event: EngineEvent): void {
      if (lost()) return;
      const fields = envelopeFields({ attempt, seq: ++seq, worker, event });
      chain = chain.then(() => redis.xadd(keys.events(jobId), '*', ...fields));
    },
    /** Settles once every event published so far is sent. */
    sent: (): Promise<unknown> => chain,
  };
}

/** Where a study's shared trainings and histories live on this worker. */
function jobDirs(cacheDir: string, studyId: string): { study: string; share: string } {
  const study = path.join(cacheDir, studyId);
  return { study, share: path.join(study, 'shared') };
}

/** The run's engine, with the study's shared trainings and its history folder when it has them. */
function startEngine(
  config: ExperimentConfig,
  job: RunJob,
  cacheDir: string,
  dirs: { study: string; share: string },
): EngineHandle {
  return forkEngine(
    config,
    {
      ...(job.share && { share: { dir: dirs.share, runId: job.runId } }),
      ...(historyRounds(config) && { historyDir: path.join(dirs.study, 'history', job.runId) }),
      probeCache: probeCacheFileIn(cacheDir),
    },
    { logFile: path.join(cacheDir, 'logs', `${job.runId}.log`) },
  );
}

function workerOptions(address: QueueAddress, concurrency: number, lockMs: number): WorkerOptions {
  return {
    connection: redisOptions(address),
    concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    // A job whose worker vanished goes back to the queue this many times before it counts as failed.
    maxStalledCount: 5,
  };
}

/** The BullMQ worker's errors told once each, and its lost locks stopping their engines. */
function watchWorker(
  worker: Worker<RunJob>,
  {
    name,
    redis,
    outage,
    running,
    log,
  }: {
    name: string;
    redis: Redis;
    outage: OutageReporter;
    running: Map<string, RunningJob>;
    log: (line: string) => void;
  },
): void {
  let lastError = '';
  worker.on('error', (e) => {
    // BullMQ reports each failed reconnection of each of its connections: while this worker's own connection
    // is down they are the outage already told; once it is back, theirs are moments behind it.
    if (isConnectionError(e)) return void (redis.status !== 'ready' && outage.failed(e));
    if (e.message !== lastError) log(`worker ${name}: ${e.message}`);
    lastError = e.message;
  });
  // A lock that could not be renewed (this worker stalled, or Redis lost it) lets another worker take the job:
  // this engine stops, and nothing more of its attempt is sent (the coordinator would skip it as superseded).
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const id of jobIds) {
      const r = running.get(id);
      if (!r || r.lost) continue;
      r.lost = true;
      log(`worker ${name}: lost the lock of run ${r.runId}; it goes to another worker and stops here`);
      r.engine.cancel();
    }
  });
}
