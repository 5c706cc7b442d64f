/**
 * Dataset id "idx": any folder holding a train and a test pair of IDX files, e.g. MNIST, Fashion-MNIST
 * (Debian's dataset-fashion-mnist installs one at /usr/share/datasets/fashion-mnist) or one EMNIST split.
 * Files are recognised by name: `train` or `test`/`t10k`, and `images` or `labels`, with or without `.gz`.
 * EMNIST stores every image transposed (column-major); pass `transpose: true` to see upright characters.
 */
import { DatasetError } from './errors';
import { findIdxFiles, type IdxFolderFiles } from '../../dataset-files/idx-folder-files';
import { readIdxPair } from './idx';
import type { RawDataset } from './raw';

export { findIdxFiles, type IdxFolderFiles };

export interface IdxFolderOptions {
  /** Swap rows and columns of every image (needed for EMNIST). Default false. */
  transpose?: boolean;
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
  if (test.split.n === 0)
    throw new DatasetError(files.testImages, 'holds no images; the test split is what every model is evaluated on');
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
export function checkClasses(
  trainY: Int32Array,
  testY: Int32Array,
  files: Pick<IdxFolderFiles, 'trainLabels' | 'testLabels'>,
): number {
  const count = (y: Int32Array) => {
    const seen = new Map<number, number>();
    y.forEach((l) => seen.set(l, (seen.get(l) ?? 0) + 1));
    return seen;
  };
  const train = count(trainY);
  const test = count(testY);
  const classes = (m: Map<number, number>) => Math.max(...m.keys()) + 1;
  if (classes(train) !== classes(test)) {
    const [more, fewer, moreFile] =
      classes(test) > classes(train) ? ['test', 'training', files.testLabels] : ['training', 'test', files.trainLabels];
    const top = Math.max(classes(train), classes(test)) - 1;
    throw new DatasetError(
      moreFile,
      `uses label ${top}, but the largest ${fewer} label is ${Math.min(classes(train), classes(test)) - 1}: the ${more} and ${fewer} labels must cover the same classes`,
    );
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
