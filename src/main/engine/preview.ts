/**
 * partition:preview: which classes each client will hold, computed exactly as a run computes it
 * (prepare.ts): the dataset's training labels, the same stratified subsample (dataset rng fork
 * 'train'), then the real partitioner with the run seed's 'partition' fork. Only labels are read:
 * for MNIST and IDX folders that is the small labels file, so the wizard can redraw as the user
 * types. Labels are cached per source; subsampling and partitioning are cheap enough to redo.
 */
import { join } from 'node:path';
import type { ExperimentConfig } from '../../shared/config';
import type { PartitionPreview } from '../../shared/contract';
import { readCifar10, readCifar100 } from './data/cifar';
import { DatasetConfigError } from './data/errors';
import { readIdx } from './data/idx';
import { findIdxFiles } from './data/idx-folder';
import { mnistDataDir } from './data/mnist';
import { makePartition } from './data/partition';
import { stratifiedIndices } from './data/subsample';
import { generateSynthetic } from './data/synthetic';
import { createRng } from './rng';

interface SourceLabels {
  name: string;
  train: Int32Array;
  testCount: number;
  numClasses: number;
}

const CACHE_SIZE = 4;
const cache = new Map<string, SourceLabels>();

function labelsOf(file: string): Int32Array {
  return Int32Array.from(readIdx(file, 'labels').data);
}

function maxPlusOne(...arrays: Int32Array[]): number {
  let max = -1;
  for (const a of arrays) for (const v of a) if (v > max) max = v;
  return max + 1;
}

function needPath(ds: ExperimentConfig['dataset']): string {
  if (!ds.path) throw new DatasetConfigError('dataset.path', `the ${ds.id} dataset needs a folder path`);
  return ds.path;
}

function readSource(ds: ExperimentConfig['dataset'], seed: number): SourceLabels {
  switch (ds.id) {
    case 'mnist': {
      const dir = mnistDataDir();
      const test = labelsOf(join(dir, 't10k-labels-idx1-ubyte'));
      return {
        name: 'MNIST',
        train: labelsOf(join(dir, 'train-labels-idx1-ubyte')),
        testCount: test.length,
        numClasses: 10,
      };
    }
    case 'idx': {
      const files = findIdxFiles(needPath(ds));
      const train = labelsOf(files.trainLabels);
      const test = labelsOf(files.testLabels);
      return { name: 'IDX folder', train, testCount: test.length, numClasses: maxPlusOne(train, test) };
    }
    case 'cifar10':
    case 'cifar100': {
      // The binary format interleaves labels with pixels, so the files are read whole; only labels are kept.
      const raw = ds.id === 'cifar10' ? readCifar10(needPath(ds)) : readCifar100(needPath(ds));
      return {
        name: ds.id === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100',
        train: raw.train.y,
        testCount: raw.test.n,
        numClasses: raw.numClasses,
      };
    }
    case 'synthetic': {
      // Generated from the seed, exactly as the registry does (its rng: seed -> 'dataset' -> 'synthetic').
      const raw = generateSynthetic(createRng(seed).fork('dataset').fork('synthetic'), {
        ...(ds.trainSize !== undefined && { trainSize: ds.trainSize }),
        ...(ds.testSize !== undefined && { testSize: ds.testSize }),
      });
      return { name: 'Synthetic', train: raw.train.y, testCount: raw.test.n, numClasses: raw.numClasses };
    }
  }
}

function cachedSource(ds: ExperimentConfig['dataset'], seed: number): SourceLabels {
  const key = JSON.stringify([
    ds.id,
    ds.path ?? null,
    ds.id === 'synthetic' ? [seed, ds.trainSize, ds.testSize] : null,
  ]);
  let hit = cache.get(key);
  if (hit) {
    cache.delete(key); // re-insert: Map order is the LRU order
  } else {
    hit = readSource(ds, seed);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, hit);
  return hit;
}

function checkSize(size: number | undefined, available: number, field: string, what: string): void {
  if (size !== undefined && size > available)
    throw new DatasetConfigError(field, `asks for ${size} examples but ${what} has ${available}`);
}

export function previewPartition(config: ExperimentConfig): PartitionPreview {
  const ds = config.dataset;
  const source = cachedSource(ds, config.seed);
  checkSize(ds.trainSize, source.train.length, 'dataset.trainSize', `the ${source.name} training split`);
  checkSize(ds.testSize, source.testCount, 'dataset.testSize', `the ${source.name} test split`);
  const labels =
    ds.trainSize === undefined
      ? source.train
      : Int32Array.from(
          stratifiedIndices(source.train, ds.trainSize, createRng(config.seed).fork('dataset').fork('train')),
          (i) => source.train[i],
        );
  const partition = makePartition(
    labels,
    source.numClasses,
    config.partition,
    createRng(config.seed).fork('partition'),
  );
  return {
    classCounts: partition.classCounts,
    sizes: partition.clients.map((c) => c.length),
    numClasses: source.numClasses,
    trainSize: labels.length,
  };
}

/** For tests: forget cached labels. */
export function clearPreviewCache(): void {
  cache.clear();
}
