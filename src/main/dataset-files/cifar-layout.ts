/**
 * The CIFAR-10 / CIFAR-100 "binary version" layout (https://www.cs.toronto.edu/~kriz/cifar.html): which
 * files a folder holds and how long each record is. One rule for the engine's reader (engine/data/cifar.ts)
 * and main's checks (dataset-facts.ts), which count records from file sizes without reading them.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS } from '../../shared/catalog';
import { DatasetError } from './dataset-error';

export const SIDE = DATASETS.cifar10.facts.shape[0];
export const PLANE = SIDE * SIDE;
export const PIXELS = 3 * PLANE;
/** CIFAR-10 and CIFAR-100 each hold 60,000 images, so no batch file holds more records. */
export const MAX_RECORDS = 60_000;

export interface CifarFormat {
  name: string;
  labelBytes: number;
  /** Which label byte we keep (CIFAR-100: the fine label, byte 1). */
  labelByte: number;
  numClasses: number;
  /** Upper bounds for each label byte, checked in order. */
  labelLimits: number[];
  labelNames: string[];
  trainFiles: string[];
  testFiles: string[];
  /** The folder name inside the official archive, accepted as a child of the given folder. */
  archiveFolder: string;
}

export const CIFAR10: CifarFormat = {
  name: DATASETS.cifar10.name,
  labelBytes: 1,
  labelByte: 0,
  numClasses: DATASETS.cifar10.facts.numClasses,
  labelLimits: [DATASETS.cifar10.facts.numClasses],
  labelNames: ['label'],
  trainFiles: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
  testFiles: ['test_batch.bin'],
  archiveFolder: 'cifar-10-batches-bin',
};

export const CIFAR100: CifarFormat = {
  name: DATASETS.cifar100.name,
  labelBytes: 2,
  labelByte: 1,
  numClasses: DATASETS.cifar100.facts.numClasses,
  labelLimits: [20, DATASETS.cifar100.facts.numClasses],
  labelNames: ['coarse label', 'fine label'],
  trainFiles: ['train.bin'],
  testFiles: ['test.bin'],
  archiveFolder: 'cifar-100-binary',
};

/** Label bytes + pixel bytes of one record. */
export function cifarRecordBytes(fmt: CifarFormat): number {
  return fmt.labelBytes + PIXELS;
}

/**
 * The training and test batch files of a CIFAR folder (or of the archive's folder inside it); refused in
 * one sentence when any is missing.
 */
export function findCifarFiles(dir: string, fmt: CifarFormat): { train: string[]; test: string[] } {
  if (!existsSync(dir)) throw new DatasetError(dir, `the ${fmt.name} folder does not exist`);
  if (!statSync(dir).isDirectory())
    throw new DatasetError(dir, `is not a folder (expected the ${fmt.name} binary folder)`);
  // Accept the folder that holds the extracted archive as well as the archive's own folder.
  const nested = join(dir, fmt.archiveFolder);
  const root = !existsSync(join(dir, fmt.testFiles[0])) && existsSync(nested) ? nested : dir;
  const all = [...fmt.trainFiles, ...fmt.testFiles];
  for (const f of all) {
    if (!existsSync(join(root, f))) {
      throw new DatasetError(
        join(root, f),
        `file not found in ${root} (a ${fmt.name} binary folder holds ${all.join(', ')})`,
      );
    }
  }
  return { train: fmt.trainFiles.map((f) => join(root, f)), test: fmt.testFiles.map((f) => join(root, f)) };
}
