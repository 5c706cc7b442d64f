/**
 * Everything a run needs before the first round: the backend, the dataset (subsampled), label noise,
 * the partition, the model and its initial weights, the client pool and a test evaluator. Unlearning
 * stages reuse this context, so the original model, retrained models and unlearned models all see the
 * same data, partition and pool.
 */
import * as tf from '@tensorflow/tfjs-core';
import { installedVersion } from '../package-version';
import { backdoorClients, type ExperimentConfig } from '../../shared/config';
import type { EngineEvent } from '../../shared/events';
import { simdKernelFlavour } from './compute/simd-kernels';
import { initBackend, type BackendInfo } from './compute/backend';
import { resolveAutoBackend } from './compute/backend-probe';
import { describeAdapter } from '../../shared/webgpu';
import { CIFAR_AUGMENT } from './data/augment';
import { loadDataset } from './data/registry';
import { injectLabelNoise } from './data/label-noise';
import { injectBackdoor, splitByTrigger, stampTrigger, type TriggerPattern } from './data/backdoor';
import { backdoorMeter } from './metrics/backdoor';
import type { BackdoorMetrics } from '../../shared/results';
import { makePartition } from './data/partition';
import type { TrainSettings } from './fl/client-trainer';
import { Evaluator } from './fl/evaluate';
import { createPool, type ClientPool } from './fl/pool';
import { initWeights } from './models/init';
import { buildModel } from './models/registry';
import { createRng, type Rng } from './rng';
import type { Dataset, ModelDef, Partition, Weights } from './types';

export interface ExperimentContext {
  config: ExperimentConfig;
  rng: Rng;
  backend: BackendInfo;
  dataset: Dataset;
  /** Training labels after label noise (what clients train on). */
  trainLabels: Int32Array;
  /** 1 where label noise changed an example's label. */
  noisy: Uint8Array;
  /**
   * With dataset.backdoor: 1 where a training example carries the trigger (its image in dataset.train.x
   * is stamped and its label in trainLabels is the target), and the test set with the trigger stamped
   * on every image (labels untouched), for the attack success rate.
   */
  backdoor: { triggered: Uint8Array; target: number; pattern: TriggerPattern; clients: number[] } | null;
  partition: Partition;
  model: ModelDef;
  pool: ClientPool;
  evaluator: Evaluator;
  settings: TrainSettings;
  /** Fresh initial weights from a named stream (e.g. 'original', 'retrain/0'). */
  initialWeights(stream: string): Weights;
  /** Test accuracy and loss, and with a backdoor what it does to the model (so every round records it). */
  evaluateTest: (weights: Weights) => Promise<{ accuracy: number; loss: number; backdoor?: BackdoorMetrics }>;
  close(): Promise<void>;
}

/**
 * The run's provenance beside its backend: package versions and, on WebGPU, the device. GPU kernels round differently
 * from the CPU backends', so a GPU run is reproducible on the same backend and device, not bit-identical to wasm:
 * the `reproducible` entry says so where it applies.
 */
export function packageVersions(backend?: BackendInfo): Record<string, string> {
  const adapter = backend?.adapter;
  return {
    node: process.versions.node,
    '@tensorflow/tfjs-core': tf.version_core,
    '@tensorflow/tfjs-backend-wasm': installedVersion('@tensorflow/tfjs-backend-wasm'),
    zod: installedVersion('zod'),
    ...(process.versions.electron ? { electron: process.versions.electron } : {}),
    ...(backend?.auto && { 'backend.auto': backend.auto }),
    // Relaxed SIMD's multiply-add rounds once where the CPU fuses it: the numbers are then those of machines that
    // fuse it (every x86 with FMA, every ARM64), and differ in the last bits from plain SIMD's (README, Compute).
    ...(backend?.name === 'wasm' && simdKernelFlavour() && { 'wasm.simd': simdKernelFlavour()! }),
    ...(adapter && {
      '@tensorflow/tfjs-backend-webgpu': installedVersion('@tensorflow/tfjs-backend-webgpu'),
      webgpu: installedVersion('webgpu'),
      'gpu.adapter': describeAdapter(adapter),
      'gpu.vendor': adapter.vendor,
      'gpu.device': adapter.device,
      'gpu.driver': adapter.description,
      'gpu.api': adapter.api,
      reproducible: 'on this backend and this device (GPU results are not bit-identical to the CPU backends)',
    }),
  };
}

/**
 * The run's backend. `auto` may measure tensorflow against wasm on the run's model (compute/backend-probe.ts), so it
 * starts once the dataset, which fixes the input shape, is loaded.
 */
function startBackend(
  config: ExperimentConfig,
  loaded: { shape: [number, number, number]; numClasses: number },
  emit: (e: EngineEvent) => void,
  probeCache: string | null,
  signal?: AbortSignal,
): Promise<BackendInfo> {
  if (config.compute.backend !== 'auto') return initBackend(config.compute.backend);
  const t = config.training;
  return resolveAutoBackend({
    modelId: config.model.id,
    inputShape: loaded.shape,
    numClasses: loaded.numClasses,
    batchSize: t.batchSize,
    workers: config.compute.workers,
    optimizer: { optimizer: t.optimizer, lr: t.lr, momentum: t.momentum },
    cacheFile: probeCache,
    log: (level, message) => emit({ type: 'log', level, message }),
    ...(signal && { signal }),
  });
}

export async function prepare(
  config: ExperimentConfig,
  emit: (e: EngineEvent) => void,
  signal?: AbortSignal,
  probeCache: string | null = null,
): Promise<ExperimentContext> {
  const rng = createRng(config.seed);
  emit({ type: 'phase', phase: 'preparing', stage: 'prepare', label: `loading dataset ${config.dataset.id}` });
  const loaded = loadDataset(config.dataset, config.seed);
  emit({ type: 'phase', phase: 'preparing', stage: 'prepare', label: 'starting the compute backend' });
  const backend = await startBackend(config, loaded, emit, probeCache, signal);
  const partition = makePartition(loaded.train.y, loaded.numClasses, config.partition, rng.fork('partition'));
  const labelNoise = config.dataset.labelNoise
    ? injectLabelNoise(
        loaded.train.y,
        partition,
        config.dataset.labelNoise.clients,
        config.dataset.labelNoise.rate,
        loaded.numClasses,
        rng.fork('label-noise'),
      )
    : { labels: loaded.train.y, noisy: new Uint8Array(loaded.train.n) };
  const bd = config.dataset.backdoor;
  // The backdoor goes on after label noise, on the images every stage trains and evaluates D_u on.
  const poisonedClients = bd ? backdoorClients(config) : [];
  const poisoned = bd
    ? injectBackdoor(
        loaded.train.x,
        labelNoise.labels,
        loaded.shape,
        partition,
        poisonedClients,
        bd.share,
        bd.target,
        bd.pattern,
        loaded.numClasses,
        rng.fork('backdoor'),
      )
    : null;
  const dataset: Dataset = poisoned ? { ...loaded, train: { ...loaded.train, x: poisoned.x } } : loaded;
  const noise = { labels: poisoned?.labels ?? labelNoise.labels, noisy: labelNoise.noisy };
  emit({
    type: 'artifact',
    kind: 'partition',
    name: 'partition',
    json: { classCounts: partition.classCounts, sizes: partition.clients.map((c) => c.length) },
  });
  if (config.dataset.labelNoise) {
    // Which examples were flipped, from what to what: memorization studies need the ground truth.
    const flipped = Array.from(noise.noisy.keys()).filter((i) => noise.noisy[i] === 1);
    emit({
      type: 'artifact',
      kind: 'label-noise',
      name: 'label-noise',
      json: {
        ...config.dataset.labelNoise,
        examples: flipped,
        originalLabels: flipped.map((i) => dataset.train.y[i]),
        noisyLabels: flipped.map((i) => noise.labels[i]),
      },
    });
  }
  if (bd && poisoned) {
    const examples = Array.from(poisoned.triggered.keys()).filter((i) => poisoned.triggered[i] === 1);
    emit({
      type: 'artifact',
      kind: 'backdoor',
      name: 'backdoor',
      json: {
        clients: [...new Set(poisonedClients)],
        share: bd.share,
        target: bd.target,
        pattern: bd.pattern,
        examples,
        originalLabels: examples.map((i) => labelNoise.labels[i]),
      },
    });
  }
  const model = buildModel(config.model.id, dataset.shape, dataset.numClasses);
  const pool = await createPool({
    modelId: model.id,
    inputShape: dataset.shape,
    numClasses: dataset.numClasses,
    backend: backend.name,
    data: { x: dataset.train.x, y: noise.labels },
    test: dataset.test,
    workers: config.compute.workers,
    signal,
  });
  emit({
    type: 'started',
    backend: backend.name,
    versions: packageVersions(backend),
    workers: pool.size,
    pool: pool.kind,
  });
  // Between rounds the workers are idle: evaluations of the data they hold are split between them.
  const evaluator = new Evaluator(model, pool.evaluationOffload?.() ?? null);
  const t = config.training;
  const meter =
    bd && poisoned
      ? backdoorMeter(evaluator, {
          triggeredTest: stampTrigger(dataset.test.x, dataset.shape, bd.pattern, null),
          test: dataset.test,
          train: { x: dataset.train.x, y: noise.labels },
          ...splitByTrigger(
            poisonedClients.map((c) => partition.clients[c]),
            poisoned.triggered,
          ),
          target: bd.target,
        })
      : null;
  return {
    config,
    rng,
    backend,
    dataset,
    trainLabels: noise.labels,
    noisy: noise.noisy,
    backdoor:
      bd && poisoned
        ? {
            triggered: poisoned.triggered,
            target: bd.target,
            pattern: bd.pattern,
            clients: [...new Set(poisonedClients)],
          }
        : null,
    partition,
    model,
    pool,
    evaluator,
    settings: {
      localEpochs: t.localEpochs,
      batchSize: t.batchSize,
      optimizer: t.optimizer,
      lr: t.lr,
      momentum: t.momentum,
      augment: config.dataset.augment ? CIFAR_AUGMENT : null,
    },
    initialWeights: (stream) => initWeights(model.params, rng.fork(`init/${stream}`)),
    evaluateTest: async (w) => {
      const { accuracy, loss } = await evaluator.run(w, dataset.test, null, dataset.test.n);
      return meter ? { accuracy, loss, backdoor: await meter(w) } : { accuracy, loss };
    },
    close: async () => {
      await pool.close();
      evaluator.dispose();
    },
  };
}
