/**
 * Dataset id "idx": any folder holding a train and a test pair of IDX files, e.g. MNIST, Fashion-MNIST
 * (Debian's dataset-fashion-mnist installs one at /usr/share/datasets/fashion-mnist) or one EMNIST split.
 * Files are recognised by name: `train` or `test`/`t10k`, and `images` or `labels`, with or without `.gz`.
 * EMNIST stores every image transposed (column-major); pass `transpose: true` to see upright characters.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from './errors';
import { readIdxPair } from './idx';
import type { RawDataset } from './raw';

export interface IdxFolderOptions {
  /** Swap rows and columns of every image (needed for EMNIST). Default false. */
  transpose?: boolean;
}

export interface IdxFolderFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

type Role = keyof IdxFolderFiles;

const ROLES: { role: Role; split: RegExp; kind: RegExp; describe: string }[] = [
  { role: 'trainImages', split: /train/, kind: /images/, describe: 'training images' },
  { role: 'trainLabels', split: /train/, kind: /labels/, describe: 'training labels' },
  { role: 'testImages', split: /test|t10k/, kind: /images/, describe: 'test images' },
  { role: 'testLabels', split: /test|t10k/, kind: /labels/, describe: 'test labels' },
];

/** Finds exactly one file per role in `dir`, or says which role has no or several candidates. */
export function findIdxFiles(dir: string): IdxFolderFiles {
  if (!existsSync(dir)) throw new DatasetError(dir, 'the IDX dataset folder does not exist');
  if (!statSync(dir).isDirectory()) throw new DatasetError(dir, 'is not a folder (expected a folder of IDX files)');
  const names = readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
  const found: Partial<IdxFolderFiles> = {};
  for (const { role, split, kind, describe } of ROLES) {
    const hits = names.filter((f) => {
      const lower = f.toLowerCase();
      return split.test(lower) && kind.test(lower);
    });
    if (hits.length === 0) {
      throw new DatasetError(
        dir,
        `no ${describe} file found (expected a name containing "${split.source.replace('|', '" or "')}" and "${kind.source}", ` +
          `like train-images-idx3-ubyte.gz or t10k-labels-idx1-ubyte)`,
      );
    }
    if (hits.length > 1) {
      throw new DatasetError(
        dir,
        `several candidate ${describe} files (${hits.join(', ')}); keep one dataset per folder`,
      );
    }
    found[role] = join(dir, hits[0]);
  }
  return found as IdxFolderFiles;
}

export function readIdxFolder(dir: string, opts: IdxFolderOptions = {}): RawDataset {
  const files = findIdxFiles(dir);
  const transpose = opts.transpose ?? false;
  const train = readIdxPair(files.trainImages, files.trainLabels, { transpose });
  const test = readIdxPair(files.testImages, files.testLabels, { transpose });
  if (train.shape[0] !== test.shape[0] || train.shape[1] !== test.shape[1]) {
    throw new DatasetError(
      files.testImages,
      `has ${test.shape[0]}x${test.shape[1]} images but the training images are ${train.shape[0]}x${train.shape[1]}`,
    );
  }
  if (train.split.n === 0) throw new DatasetError(files.trainImages, 'holds no images');
  if (test.split.n === 0) throw new DatasetError(files.testImages, 'holds no images; the test split is what every model is evaluated on');
  return {
    shape: train.shape,
    numClasses: checkClasses(train.split.y, test.split.y, files),
    train: train.split,
    test: test.split,
  };
}

/**
 * The class count of a folder with no declared classes: max label + 1, refused when the labels
 * cannot mean that. Train and test must use the same classes (a test class no training example has
 * cannot be learned; a training class the test never shows is never measured), and every class up to
 * the largest label must have examples: one stray label of 255 would otherwise make 256 classes.
 */
export function checkClasses(trainY: Int32Array, testY: Int32Array, files: Pick<IdxFolderFiles, 'trainLabels' | 'testLabels'>): number {
  const count = (y: Int32Array) => {
    const seen = new Map<number, number>();
    y.forEach((l) => seen.set(l, (seen.get(l) ?? 0) + 1));
    return seen;
  };
  const train = count(trainY);
  const test = count(testY);
  const classes = (m: Map<number, number>) => Math.max(...m.keys()) + 1;
  if (classes(train) !== classes(test)) {
    const [more, fewer, moreFile] = classes(test) > classes(train) ? ['test', 'training', files.testLabels] : ['training', 'test', files.trainLabels];
    const top = Math.max(classes(train), classes(test)) - 1;
    throw new DatasetError(moreFile, `uses label ${top}, but the largest ${fewer} label is ${Math.min(classes(train), classes(test)) - 1}: the ${more} and ${fewer} labels must cover the same classes`);
  }
  const n = classes(train);
  const missing = Array.from({ length: n }, (_, c) => c).filter((c) => !train.has(c) && !test.has(c));
  if (missing.length > 0) {
    const top = n - 1;
    const where = trainY.indexOf(top);
    throw new DatasetError(
      files.trainLabels,
      `label ${top} (at index ${where}) implies ${n} classes, but ${missing.length} of them (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}) have no example; is that label a mistake?`,
    );
  }
  return n;
}
