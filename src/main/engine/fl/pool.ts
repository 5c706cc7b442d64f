/**
 * Where clients train: in-process (native and WebGPU backends, which parallelise on their device) or in a pool
 * of worker_threads (wasm/cpu, which use one core each). Both give identical results for identical
 * tasks: each task depends only on its inputs, and results are returned in task order.
 */
import { machineCores } from '../../machine-cores';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../compute/backend';
import { engineMemory, type EngineMemory } from '../compute/memory';
import { buildModel } from '../models/registry';
import type { ModelId } from '../../../shared/catalog';
import type { Weights } from '../types';
import { CancelledError, stopFlagFor, stopRequested, type StopFlag } from './cancelled';
import {
  ClientTrainer,
  type LabelledImages,
  type TrainResult,
  type TrainSettings,
  type TrainTask,
} from './client-trainer';
import type { EvaluationOffload, PerExample } from './evaluate';
import type { LossId } from './losses';
import { concatPerExample, heldSet, splitExamples } from './pool-evaluation';

export interface ClientPool {
  readonly size: number;
  readonly kind: 'in-process' | 'threads';
  train(global: Weights, tasks: TrainTask[], settings: TrainSettings): Promise<TrainResult[]>;
  /** Each task's full-data loss gradient at `global` (no step), in task order. */
  gradients(global: Weights, tasks: GradientTask[], batchSize: number): Promise<Weights[]>;
  /** Where workers can evaluate for the engine's thread (fl/pool-evaluation.ts); absent for the in-process pool. */
  evaluationOffload?(): EvaluationOffload;
  /**
   * What each trainer's TensorFlow.js holds (one entry per worker; the in-process trainer shares the caller's thread).
   */
  memory?(): Promise<EngineMemory[]>;
  close(): Promise<void>;
}

export interface GradientTask {
  client: number;
  indices: Int32Array;
  /** The loss whose gradient is taken; default 'ce'. */
  loss?: LossId;
}

export interface PoolSpec {
  modelId: ModelId;
  inputShape: [number, number, number];
  numClasses: number;
  backend: BackendName;
  data: LabelledImages;
  /** The test set, so workers can evaluate on it too (optional: training needs only `data`). */
  test?: LabelledImages;
  /** Requested worker count; 0 = one per core. */
  workers: number;
  /** The run's cancel signal: trainers stop before their next batch (fl/cancelled.ts). */
  signal?: AbortSignal;
}

export function defaultWorkerCount(): number {
  return machineCores();
}

export async function createPool(spec: PoolSpec): Promise<ClientPool> {
  // Native and GPU backends parallelise inside one device; a second thread would only contend for it.
  const inProcess = spec.backend === 'tensorflow' || spec.backend === 'tensorflow-gpu' || spec.backend === 'webgpu';
  if (inProcess) return new InProcessPool(spec);
  const size = spec.workers > 0 ? spec.workers : defaultWorkerCount();
  const pool = new ThreadPool(spec, size);
  await pool.ready();
  return pool;
}

export class InProcessPool implements ClientPool {
  readonly kind = 'in-process';
  readonly size = 1;
  private readonly trainer: ClientTrainer;

  constructor(spec: PoolSpec) {
    this.trainer = new ClientTrainer(
      buildModel(spec.modelId, spec.inputShape, spec.numClasses),
      spec.data,
      stopFlagFor(spec.signal),
      // On a GPU an upload is a round trip: send each task's examples once and gather batches on the device.
      { deviceResidentData: spec.backend === 'webgpu' },
    );
  }

  async train(global: Weights, tasks: TrainTask[], settings: TrainSettings): Promise<TrainResult[]> {
    const results: TrainResult[] = [];
    for (const task of tasks) {
      results.push(await this.trainer.train(global, task, settings));
      // Let timers, signals and event writes run between clients.
      await new Promise((r) => setImmediate(r));
    }
    return results;
  }

  async gradients(global: Weights, tasks: GradientTask[], batchSize: number): Promise<Weights[]> {
    const out: Weights[] = [];
    for (const task of tasks) {
      out.push(await this.trainer.gradient(global, task.indices, batchSize, task.loss));
      await new Promise((r) => setImmediate(r));
    }
    return out;
  }

  async memory(): Promise<EngineMemory[]> {
    return [engineMemory()];
  }

  async close(): Promise<void> {
    this.trainer.dispose();
  }
}

/** Copies an array into shared memory once, so every worker reads the same bytes without copies. */
function shared<T extends Float32Array | Int32Array>(a: T, Ctor: { new (b: SharedArrayBuffer): T }): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

type JobResult = TrainResult | Weights | EngineMemory | PerExample;

interface Pending {
  resolve(r: JobResult): void;
  reject(e: Error): void;
}

/** The workerData a training worker thread starts with (fl/client-worker.ts). */
export interface WorkerInit {
  stop: StopFlag;
  modelId: ModelId;
  inputShape: [number, number, number];
  numClasses: number;
  backend: BackendName;
  x: Float32Array;
  y: Int32Array;
  test?: { x: Float32Array; y: Int32Array };
}

/** What a worker is asked to do; the reply carries the same id. */
export type WorkerJob =
  | { type: 'train'; id: number; global: Weights; task: TrainTask; settings: TrainSettings }
  | { type: 'gradient'; id: number; global: Weights; indices: Int32Array; batchSize: number; loss?: LossId }
  | { type: 'memory'; id: number }
  | { type: 'evaluate'; id: number; weights: Weights; set: 'train' | 'test'; indices: Int32Array };
/** A job before the pool numbers it (Omit applied to each member of the union). */
type JobBody = WorkerJob extends infer J ? (J extends unknown ? Omit<J, 'id'> : never) : never;

class ThreadPool implements ClientPool {
  readonly kind = 'threads';
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  private readonly stop: StopFlag;

  constructor(
    private readonly spec: PoolSpec,
    readonly size: number,
  ) {
    this.stop = stopFlagFor(spec.signal);
    const workerData: WorkerInit = {
      stop: this.stop,
      modelId: spec.modelId,
      inputShape: spec.inputShape,
      numClasses: spec.numClasses,
      backend: spec.backend,
      x: shared(spec.data.x, Float32Array),
      y: shared(spec.data.y, Int32Array),
      ...(spec.test && { test: { x: shared(spec.test.x, Float32Array), y: shared(spec.test.y, Int32Array) } }),
    };
    for (let i = 0; i < size; i++) {
      const w = new Worker(workerEntry(), { workerData });
      w.on('message', (m: WorkerReply) => this.onMessage(m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => code !== 0 && this.fail(new Error(`a training worker exited with code ${code}`)));
      this.workers.push(w);
    }
  }

  async ready(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const onMsg = (m: WorkerReply) => {
              if (m.type === 'ready') {
                w.off('message', onMsg);
                resolve();
              }
              if (m.type === 'init-error') reject(new Error(m.message));
            };
            w.on('message', onMsg);
            w.once('error', reject);
          }),
      ),
    );
  }

  train(global: Weights, tasks: TrainTask[], settings: TrainSettings): Promise<TrainResult[]> {
    return this.runAll(tasks.map((task) => ({ type: 'train', global, task, settings })));
  }

  gradients(global: Weights, tasks: GradientTask[], batchSize: number): Promise<Weights[]> {
    return this.runAll(
      tasks.map((task) => ({ type: 'gradient', global, indices: task.indices, batchSize, loss: task.loss })),
    );
  }

  evaluationOffload(): EvaluationOffload {
    return {
      holds: (data) => heldSet(data, this.spec.data, this.spec.test) !== null,
      evaluate: async (weights, data, indices, count) => {
        const set = heldSet(data, this.spec.data, this.spec.test);
        if (set === null) throw new Error('the training workers do not hold this data');
        const chunks = splitExamples(indices, count, this.size);
        return concatPerExample(
          await this.runAll<PerExample>(chunks.map((c) => ({ type: 'evaluate', weights, set, indices: c }))),
        );
      },
    };
  }

  /** Asked of every worker, answered between two of its jobs. */
  memory(): Promise<EngineMemory[]> {
    if (this.failure) return Promise.reject(this.failure);
    return Promise.all(this.workers.map((w) => this.run(w, { type: 'memory' }) as Promise<EngineMemory>));
  }

  /** Each worker pulls the next job when it finishes one; results land at their job's index. */
  private async runAll<R extends TrainResult | Weights | PerExample>(jobs: JobBody[]): Promise<R[]> {
    if (this.failure) throw this.failure;
    const results: R[] = new Array<R>(jobs.length);
    let next = 0;
    const drain = async (w: Worker) => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = (await this.run(w, jobs[i])) as R;
      }
    };
    await Promise.all(this.workers.map(drain));
    return results;
  }

  private run(w: Worker, job: JobBody): Promise<JobResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ ...job, id });
    });
  }

  private onMessage(m: WorkerReply): void {
    if (m.type === 'ready' || m.type === 'init-error') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'result') p.resolve(m.result);
    else if (m.type === 'gradient') p.resolve(m.gradient);
    else if (m.type === 'memory') p.resolve(m.memory);
    else if (m.type === 'evaluation') p.resolve(m.perExample);
    // A worker that stopped because the run was cancelled reports it as the cancellation it is.
    else p.reject(stopRequested(this.stop) ? new CancelledError() : new Error(m.message));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the training pool is closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'init-error'; message: string }
  | { type: 'result'; id: number; result: TrainResult }
  | { type: 'gradient'; id: number; gradient: Weights }
  | { type: 'memory'; id: number; memory: EngineMemory }
  | { type: 'evaluation'; id: number; perExample: PerExample }
  | { type: 'error'; id: number; message: string };

/** The worker script: a tsx starter for the .ts sources (dev, tests, CLI), the bundled .js in a build. */
function workerEntry(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? './client-worker-start.mjs' : './client-worker.js', import.meta.url);
}
