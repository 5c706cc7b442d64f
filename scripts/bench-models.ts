/**
 * The per-model, per-backend part of `npm run bench`: each model's input shape, class count and default sample
 * count (the dataset the paper or the presets pair it with), one timed training pass through the engine's
 * ClientPool on a chosen backend, and PyTorch's pass on the identical net (scripts/bench_torch.py).
 *
 * A pass is one local epoch of Adam over synthetic data of the model's shape, after a warm-up of one batch per
 * client (wasm compilation, kernel registration, WebGPU shader compilation). Clients get whole batches only,
 * so the warm-up has seen every shape the pass runs. Nothing here reads a tensor back: the pool returns each
 * client's weights once, at the end of its pass, which is also what makes a GPU pass's time complete.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_IDS, type ModelId } from '../src/shared/catalog';
import type { BackendName } from '../src/main/engine/compute/backend';
import { generateSynthetic } from '../src/main/engine/data/synthetic';
import { toImageSplit } from '../src/main/engine/data/raw';
import { createPool } from '../src/main/engine/fl/pool';
import { initWeights } from '../src/main/engine/models/init';
import { buildModel } from '../src/main/engine/models/registry';
import { createRng } from '../src/main/engine/rng';

export interface BenchModel {
  shape: [number, number, number];
  classes: number;
  /** What the shape stands for, for the heading. */
  data: string;
  /** Default samples per measurement: a pass of a few seconds on wasm with 2 cores. */
  samples: number;
}

/** The paper's pairings: EMNIST (balanced, 47 classes) on VGG-9, CIFAR-10 on ResNet-18, CIFAR-100 on ResNet-34. */
export const BENCH_MODELS: Record<ModelId, BenchModel> = {
  mlp: { shape: [28, 28, 1], classes: 10, data: 'MNIST', samples: 4096 },
  cnn: { shape: [28, 28, 1], classes: 10, data: 'MNIST', samples: 4096 },
  vgg9: { shape: [28, 28, 1], classes: 47, data: 'EMNIST balanced', samples: 256 },
  resnet18: { shape: [32, 32, 3], classes: 10, data: 'CIFAR-10', samples: 128 },
  resnet34: { shape: [32, 32, 3], classes: 100, data: 'CIFAR-100', samples: 64 },
};

export const BENCH_BACKENDS: readonly BackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];

export function parseModel(id: string): ModelId {
  if (!(MODEL_IDS as readonly string[]).includes(id)) {
    throw new Error(`unknown model '${id}'; choose one of ${MODEL_IDS.join(', ')}`);
  }
  return id as ModelId;
}

/** Backends that train in the calling process (one device); the others run in worker threads. */
export const inProcess = (b: BackendName) => b === 'tensorflow' || b === 'tensorflow-gpu' || b === 'webgpu';

export interface Measure {
  model: ModelId;
  backend: BackendName;
  samples: number;
  batch: number;
  /** Worker threads (wasm, cpu); in-process backends always use one. */
  workers: number;
}

/** Samples per second of one training pass on `m.backend`; in-process backends must be initialised by the caller. */
export interface Measured {
  samplesPerSecond: number;
  workers: number;
  /** This process's peak resident memory so far (engine thread and worker threads together), bytes. */
  peakRssBytes: number;
  /** Each worker's wasm heap after the pass (a WebAssembly.Memory never shrinks: its peak), bytes; [] elsewhere. */
  workerHeapBytes: number[];
}

export async function measure(m: Measure): Promise<Measured> {
  const spec = BENCH_MODELS[m.model];
  // Each client needs at least one whole batch, so fewer workers than cores when the samples are few.
  const wanted = inProcess(m.backend) ? 1 : Math.max(1, Math.min(m.workers, Math.floor(m.samples / m.batch)));
  const raw = generateSynthetic(createRng(1), {
    shape: spec.shape,
    numClasses: spec.classes,
    trainSize: m.samples,
    testSize: 10,
  });
  const data = toImageSplit(raw.train, raw.shape);
  const pool = await createPool({
    modelId: m.model,
    inputShape: spec.shape,
    numClasses: spec.classes,
    backend: m.backend,
    data,
    workers: wanted,
  });
  try {
    const global = initWeights(buildModel(m.model, spec.shape, spec.classes).params, createRng(2));
    const share = Math.floor(m.samples / pool.size);
    const per = share >= m.batch ? share - (share % m.batch) : share;
    const tasks = (count: number) =>
      Array.from({ length: pool.size }, (_, k) => ({
        client: k,
        indices: Int32Array.from({ length: count }, (_, i) => k * per + i),
        seed: `bench/${k}`,
      }));
    const settings = { localEpochs: 1, batchSize: m.batch, optimizer: 'adam' as const, lr: 1e-3, momentum: 0.9 };
    await pool.train(global, tasks(Math.min(per, m.batch)), settings);
    const t0 = performance.now();
    await pool.train(global, tasks(per), settings);
    const seconds = (performance.now() - t0) / 1000;
    const memory = pool.memory ? await pool.memory() : [];
    return {
      samplesPerSecond: (per * pool.size) / seconds,
      workers: pool.size,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      workerHeapBytes: pool.kind === 'threads' ? memory.map((w) => w.wasmHeapBytes ?? 0) : [],
    };
  } finally {
    await pool.close();
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';

/** Why PyTorch cannot be compared here, or null when it can (on `device`). */
export function torchMissing(device: 'cpu' | 'cuda'): string | null {
  const probe = 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 3)';
  const r = spawnSync(PYTHON, ['-c', device === 'cuda' ? probe : 'import torch'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found`;
  if (r.status === 3) return 'PyTorch is importable but sees no CUDA device';
  if (r.status !== 0) return `PyTorch is not importable by ${PYTHON} (install Debian python3-torch for a comparison)`;
  return null;
}

/** PyTorch's samples per second on the identical net, batch and data shape, or why not. */
export function torchBench(
  m: Pick<Measure, 'model' | 'samples' | 'batch'>,
  threads: number,
  device: 'cpu' | 'cuda',
): { samplesPerSecond: number; version: string } | { error: string } {
  const spec = BENCH_MODELS[m.model];
  const args = [
    path.join(here, 'bench_torch.py'),
    ...['--model', m.model, '--samples', String(m.samples), '--batch', String(m.batch)],
    ...[
      '--threads',
      String(threads),
      '--device',
      device,
      '--shape',
      spec.shape.join(','),
      '--classes',
      String(spec.classes),
    ],
  ];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop()! };
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; samplesPerSecond: number };
  return { samplesPerSecond: out.samplesPerSecond, version: out.torch };
}
