/**
 * `compute.backend: "auto"` with a speed probe. `initBackend('auto')` takes the first backend of AUTO_ORDER that
 * loads; when that is tensorflow (tfjs-node on the CPU) and wasm loads too, which of them trains the run's model
 * faster depends on the net: tensorflow trains in-process and threads inside libtensorflow, wasm trains clients in
 * one worker thread per core with our SIMD kernels, and on small nets the latter can win. So both are measured
 * on the run's model, input shape, batch size and worker count (a warm-up batch, then about PROBE_SECONDS of
 * training), `choose` (shared/backend-probe.ts) picks, and the figures are cached per machine and model in the data
 * folder; with a cached answer nothing is measured. A GPU backend (tensorflow-gpu, webgpu on a hardware adapter)
 * still wins outright, unmeasured.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  choose,
  emptyProbeCache,
  findProbe,
  machineKey,
  PROBE_CANDIDATES,
  withProbe,
  type MachineFacts,
  type ProbeEntry,
  type ProbeFigure,
  type ProbeLookup,
  type ProbeSubject,
} from '../../../shared/backend-probe';
import { describeChoice, formatFigure } from '../../../shared/backend-probe-text';
import type { ModelId } from '../../../shared/catalog';
import type { ComputeBackend } from '../../../shared/compute-doctor';
import { readProbeCache, writeProbeCache } from '../../files/backend-probe-file';
import { thisMachine } from '../../machine-cores';
import { tfjsNodeVersion } from '../../package-version';
import { generateSynthetic } from '../data/synthetic';
import { toImageSplit } from '../data/raw';
import { createPool, defaultWorkerCount } from '../fl/pool';
import type { TrainSettings } from '../fl/client-trainer';
import { initWeights } from '../models/init';
import { buildModel } from '../models/registry';
import { createRng } from '../rng';
import { initBackend, type BackendInfo } from './backend';

/** Timed training per backend, after the warm-up batch. */
export const PROBE_SECONDS = 2;
/** Batches each client trains per timed pass; passes repeat until PROBE_SECONDS are up. */
const BATCHES_PER_PASS = 2;

export interface AutoBackendOptions {
  modelId: ModelId;
  inputShape: [number, number, number];
  numClasses: number;
  batchSize: number;
  /** The run's requested worker count (0 = one per core): wasm is measured with the pool the run would get. */
  workers: number;
  /** The run's optimizer, so the probe times the same update. */
  optimizer: Pick<TrainSettings, 'optimizer' | 'lr' | 'momentum'>;
  /** The cache file (the data folder's backend-probes.json); null: measure every time, keep nothing. */
  cacheFile: string | null;
  log: (level: 'info' | 'warn', message: string) => void;
  signal?: AbortSignal;
  /**
   * The backends compared, in AUTO_ORDER. Production leaves the default, tensorflow and wasm: nothing else is ever
   * compared in a run. The parameter exists for tests, which pass ['wasm', 'cpu'] because tfjs-node cannot be
   * installed on the build machine.
   */
  candidates?: readonly ComputeBackend[];
  /** Timed seconds per backend (tests use less). */
  seconds?: number;
  /** This machine (tests pretend to be another). */
  machine?: MachineFacts;
}

/** Samples per second of the run's model on `backend`, through the kind of pool a run on it would use. */
async function measure(backend: ComputeBackend, o: AutoBackendOptions, seconds: number): Promise<ProbeFigure> {
  const inProcess = backend === 'tensorflow' || backend === 'tensorflow-gpu' || backend === 'webgpu';
  // The in-process pool trains on the active backend; worker threads start their own.
  if (inProcess) await initBackend(backend);
  const clients = inProcess ? 1 : o.workers > 0 ? o.workers : defaultWorkerCount();
  const perClient = o.batchSize * BATCHES_PER_PASS;
  const raw = generateSynthetic(createRng(1), {
    shape: o.inputShape,
    numClasses: Math.max(2, o.numClasses),
    trainSize: perClient * clients,
    testSize: 1,
  });
  const pool = await createPool({
    modelId: o.modelId,
    inputShape: o.inputShape,
    numClasses: o.numClasses,
    backend,
    data: toImageSplit(raw.train, raw.shape),
    workers: clients,
    ...(o.signal && { signal: o.signal }),
  });
  try {
    const global = initWeights(buildModel(o.modelId, o.inputShape, o.numClasses).params, createRng(2));
    const tasks = (count: number) =>
      Array.from({ length: pool.size }, (_, k) => ({
        client: k,
        indices: Int32Array.from({ length: count }, (_, i) => k * perClient + i),
        seed: `probe/${k}`,
      }));
    const settings: TrainSettings = { localEpochs: 1, batchSize: o.batchSize, ...o.optimizer };
    await pool.train(global, tasks(o.batchSize), settings); // warm-up: kernels compile, memory is allocated
    let samples = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      await pool.train(global, tasks(perClient), settings);
      samples += perClient * pool.size;
      elapsed = (performance.now() - t0) / 1000;
    } while (elapsed < seconds);
    return { backend, samplesPerSecond: samples / elapsed, workers: pool.size };
  } finally {
    await pool.close();
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The candidates after `first` that load here (each init switches the active backend; the caller switches back). */
async function loadingCandidates(first: ComputeBackend, candidates: readonly ComputeBackend[]) {
  const loaded: ComputeBackend[] = [first];
  for (const name of candidates) {
    if (name === first) continue;
    try {
      await initBackend(name);
      loaded.push(name);
    } catch {
      // Not loading here: nothing to compare with on this one.
    }
  }
  return loaded;
}

/**
 * `initBackend('auto')`, then, when the backend it took is one of the candidates and another candidate loads too,
 * the faster of them on this run's model (cached, or measured now and cached). The returned info's `auto` says what
 * was chosen over what, for the run's provenance.
 */
export async function resolveAutoBackend(o: AutoBackendOptions): Promise<BackendInfo> {
  const first = await initBackend('auto');
  const candidates = o.candidates ?? PROBE_CANDIDATES;
  if (!candidates.includes(first.name)) return first;
  const loaded = await loadingCandidates(first.name, candidates);
  if (loaded.length < 2) return initBackend(first.name);
  const subject: ProbeSubject = {
    modelId: o.modelId,
    inputShape: o.inputShape,
    numClasses: o.numClasses,
    batchSize: o.batchSize,
    workers: o.workers,
  };
  const lookup: ProbeLookup = {
    machineKey: machineKey(o.machine ?? thisMachine()),
    subject,
    candidates: loaded,
    tfjsNode: tfjsNodeVersion(),
  };
  const parsed = o.cacheFile != null ? readProbeCache(o.cacheFile) : { cache: emptyProbeCache(), problems: [] };
  for (const problem of parsed.problems) o.log('warn', `backend probe cache ${o.cacheFile}: ${problem}; ignored`);
  let entry = findProbe(parsed.cache, lookup);
  if (entry != null) {
    o.log('info', `${describeChoice(entry)} (cached in ${o.cacheFile})`);
  } else {
    const measured = await probe(o, lookup, first.name);
    if (measured == null) return initBackend(first.name);
    entry = measured.entry;
    if (o.cacheFile != null && measured.complete) {
      try {
        writeProbeCache(o.cacheFile, withProbe(parsed.cache, entry));
      } catch (err) {
        o.log('warn', `could not write the backend probe cache ${o.cacheFile}: ${messageOf(err)}`);
      }
    }
  }
  const info = await initBackend(entry.chosen);
  return { ...info, auto: describeChoice(entry) };
}

/**
 * Measures every candidate; null when none could be measured (the caller keeps auto's first pick). `complete` is
 * false when one failed: the choice among the others holds for this run, but is not cached.
 */
async function probe(
  o: AutoBackendOptions,
  q: ProbeLookup,
  first: ComputeBackend,
): Promise<{ entry: ProbeEntry; complete: boolean } | null> {
  const seconds = o.seconds ?? PROBE_SECONDS;
  o.log('info', `auto: measuring ${q.candidates.join(' and ')} on ${o.modelId} (about ${seconds} s each)`);
  const figures: ProbeFigure[] = [];
  for (const backend of q.candidates) {
    try {
      figures.push(await measure(backend, o, seconds));
    } catch (err) {
      if (o.signal?.aborted) throw err;
      o.log('warn', `auto: could not measure ${backend} (${messageOf(err)}); it is left out`);
    }
  }
  const chosen = choose(figures);
  if (chosen == null) {
    o.log('warn', `auto: nothing could be measured; ${first} is used`);
    return null;
  }
  const entry: ProbeEntry = {
    machineKey: q.machineKey,
    ...q.subject,
    figures,
    chosen,
    measuredAt: new Date().toISOString(),
    versions: { tfjsNode: q.tfjsNode, tfjsCore: tf.version_core },
  };
  o.log('info', `${describeChoice(entry)} (measured: ${figures.map(formatFigure).join(', ')})`);
  return { entry, complete: figures.length === q.candidates.length };
}
