/**
 * The dataset registry: the shared catalog's descriptor of each dataset plus its reader, and `loadDataset`, which
 * reads (or generates)
 * the data, draws stratified train and test subsamples, and only then expands pixels to floats in [0, 1].
 * No per-channel mean/std standardisation happens here; models see [0, 1] inputs.
 */
import { DATASETS, type DatasetId, type DatasetInfo } from '../../../shared/catalog';
import type { DatasetSource } from '../../../shared/config';
import { createRng, type Rng } from '../rng';
import type { Dataset } from '../types';
import { readCifar10, readCifar100 } from './cifar';
import { DatasetConfigError } from './errors';
import { readIdxFolder } from './idx-folder';
import { readMnist } from './mnist';
import { toImageSplit, type RawDataset, type RawSplit } from './raw';
import { stratifiedIndices } from './subsample';
import { generateSynthetic } from './synthetic';

export type { DatasetId, DatasetInfo };

interface Entry extends DatasetInfo {
  /** `rng` is the dataset's own fork of the run seed (only the synthetic generator draws from it). */
  read(cfg: DatasetSource, rng: Rng): RawDataset;
}

const REGISTRY = {
  mnist: {
    ...DATASETS.mnist,
    read: () => readMnist(),
  },
  idx: {
    ...DATASETS.idx,
    read: (cfg) => readIdxFolder(needPath(cfg), { transpose: cfg.transpose ?? false }),
  },
  cifar10: {
    ...DATASETS.cifar10,
    read: (cfg) => readCifar10(needPath(cfg)),
  },
  cifar100: {
    ...DATASETS.cifar100,
    read: (cfg) => readCifar100(needPath(cfg)),
  },
  synthetic: {
    ...DATASETS.synthetic,
    read: (cfg, rng) =>
      generateSynthetic(rng.fork('synthetic'), {
        ...(cfg.trainSize !== undefined && { trainSize: cfg.trainSize }),
        ...(cfg.testSize !== undefined && { testSize: cfg.testSize }),
      }),
  },
} satisfies Record<DatasetId, Entry>;

function needPath(cfg: DatasetSource): string {
  if (!cfg.path || cfg.path.trim() === '') {
    throw new DatasetConfigError('dataset.path', `the ${REGISTRY[cfg.id].name} dataset needs a folder path`);
  }
  return cfg.path;
}

export function listDatasets(): DatasetInfo[] {
  return Object.values(DATASETS);
}

export interface LoadedDataset {
  dataset: Dataset;
  /** For each kept example, its index in the full split as read from disk. */
  trainIndices: Int32Array;
  testIndices: Int32Array;
}

function pick(raw: RawSplit, size: number | undefined, field: string, name: string, rng: Rng): Int32Array {
  if (size === undefined) return Int32Array.from({ length: raw.n }, (_, i) => i);
  if (!Number.isInteger(size) || size < 1)
    throw new DatasetConfigError(field, `must be a positive integer, got ${size}`);
  if (size > raw.n) throw new DatasetConfigError(field, `asks for ${size} examples but ${name} has ${raw.n}`);
  return stratifiedIndices(raw.y, size, rng);
}

/** Loads a dataset and reports which original examples the subsamples kept. */
export function loadDatasetWithIndices(cfg: DatasetSource, seed: number): LoadedDataset {
  const entry: Entry | undefined = (REGISTRY as Record<string, Entry>)[cfg.id];
  if (!entry) {
    throw new DatasetConfigError(
      'dataset.id',
      `unknown dataset "${cfg.id}"; choose one of ${Object.keys(REGISTRY).join(', ')}`,
    );
  }
  const rng = createRng(seed).fork('dataset');
  const raw = entry.read(cfg, rng);
  // Separate forks, so the train subsample does not depend on the test size and vice versa.
  const trainIndices = pick(
    raw.train,
    cfg.trainSize,
    'dataset.trainSize',
    `the ${entry.name} training split`,
    rng.fork('train'),
  );
  const testIndices = pick(
    raw.test,
    cfg.testSize,
    'dataset.testSize',
    `the ${entry.name} test split`,
    rng.fork('test'),
  );
  return {
    dataset: {
      id: cfg.id,
      name: entry.name,
      shape: raw.shape,
      numClasses: raw.numClasses,
      train: toImageSplit(raw.train, raw.shape, trainIndices),
      test: toImageSplit(raw.test, raw.shape, testIndices),
    },
    trainIndices,
    testIndices,
  };
}

export function loadDataset(cfg: DatasetSource, seed: number): Dataset {
  return loadDatasetWithIndices(cfg, seed).dataset;
}
