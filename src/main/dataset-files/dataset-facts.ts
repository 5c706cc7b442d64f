/**
 * The dataset facts a config is checked against before a run is stored (shared/data-limits.ts), read
 * cheaply in main: constants for the bundled MNIST and the synthetic generator; for an IDX folder the
 * label files (small: one byte per example) and the training images' header; for CIFAR the batch
 * files' sizes (a fixed-length record each). No image is decoded.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ConfigError, type ConfigIssue, type DatasetConfig, type ExperimentConfig } from '../../shared/config';
import { checkConfigAgainstData, MNIST_FACTS, syntheticFacts, type DatasetFacts } from '../../shared/data-limits';
import { quoted } from '../../shared/one-line';
import { CIFAR10, CIFAR100, cifarRecordBytes, findCifarFiles, SIDE, type CifarFormat } from './cifar-layout';
import { DatasetError } from './dataset-error';
import { readIdx, readIdxHeader } from './idx-file';
import { findIdxFiles } from './idx-folder-files';

function idxFacts(dir: string): DatasetFacts {
  const files = findIdxFiles(dir);
  const train = readIdx(files.trainLabels, 'labels').data;
  const test = readIdx(files.testLabels, 'labels').data;
  // Classes = the largest label + 1, as the engine's reader counts them (engine/data/idx-folder.ts).
  let top = -1;
  for (const labels of [train, test]) for (const l of labels) top = Math.max(top, l);
  const trainClassCounts = new Array<number>(top + 1).fill(0);
  for (const l of train) trainClassCounts[l]++;
  const [, rows, cols] = readIdxHeader(files.trainImages, 'images');
  return {
    name: `the IDX folder ${quoted(dir, 80)}`,
    numClasses: top + 1,
    trainCount: train.length,
    testCount: test.length,
    trainClassCounts,
    imageSize: [rows, cols],
  };
}

/**
 * Records in a CIFAR batch file from its size; a gzipped one from the size its gzip trailer records
 * (exact below 4 GiB, far above any CIFAR batch). Null when that is no whole number of records: the
 * engine's reader then says what is wrong with the file.
 */
function cifarRecords(file: string, fmt: CifarFormat): number | null {
  let fd: number | undefined;
  try {
    const st = statSync(file);
    // Opening a FIFO would wait for a writer; a batch file is a regular file.
    if (!st.isFile()) return null;
    const size = st.size;
    fd = openSync(file, 'r');
    const head = Buffer.alloc(2);
    readSync(fd, head, 0, 2, 0);
    let bytes = size;
    if (head[0] === 0x1f && head[1] === 0x8b && size >= 18) {
      const trailer = Buffer.alloc(4);
      readSync(fd, trailer, 0, 4, size - 4);
      bytes = trailer.readUInt32LE(0);
    }
    return bytes > 0 && bytes % cifarRecordBytes(fmt) === 0 ? bytes / cifarRecordBytes(fmt) : null;
  } catch (e) {
    throw new DatasetError(file, `cannot be read (${(e as Error).message})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function cifarFacts(dir: string, fmt: CifarFormat): DatasetFacts | null {
  const files = findCifarFiles(dir, fmt);
  const count = (list: string[]) =>
    list.map((f) => cifarRecords(f, fmt)).reduce<number | null>((a, b) => (a === null || b === null ? null : a + b), 0);
  const trainCount = count(files.train);
  const testCount = count(files.test);
  if (trainCount === null || testCount === null) return null;
  // Labels sit between the pixels of every record: counting them per class would read the whole file.
  const facts = { name: fmt.name, numClasses: fmt.numClasses, trainCount, testCount };
  return { ...facts, trainClassCounts: null, imageSize: [SIDE, SIDE] };
}

/**
 * The facts of the dataset a config names; null when a cheap read cannot tell (a malformed CIFAR
 * file). A missing or unreadable file throws DatasetError, naming it.
 */
export function readDatasetFacts(
  ds: Pick<DatasetConfig, 'id' | 'path' | 'trainSize' | 'testSize'>,
): DatasetFacts | null {
  switch (ds.id) {
    case 'mnist':
      return MNIST_FACTS;
    case 'synthetic':
      return syntheticFacts(ds.trainSize, ds.testSize);
    case 'idx':
      return ds.path ? idxFacts(ds.path) : null;
    case 'cifar10':
    case 'cifar100':
      return ds.path ? cifarFacts(ds.path, ds.id === 'cifar10' ? CIFAR10 : CIFAR100) : null;
  }
}

/** Reads each dataset once however many configs name it (a study's cells usually share one). */
export type FactsReader = (ds: DatasetConfig) => DatasetFacts | null;

export function cachedFactsReader(): FactsReader {
  const seen = new Map<string, DatasetFacts | null>();
  return (ds) => {
    const key = JSON.stringify([ds.id, ds.path ?? null, ds.id === 'synthetic' ? [ds.trainSize, ds.testSize] : null]);
    if (!seen.has(key)) seen.set(key, readDatasetFacts(ds));
    return seen.get(key)!;
  };
}

/**
 * What the data refuses in a config. A dataset this process cannot read is no refusal here: the
 * engine that reads it says what is wrong with the file (and a study's workers may hold files this
 * machine lacks).
 */
export function dataIssues(config: ExperimentConfig, read: FactsReader = readDatasetFacts): ConfigIssue[] {
  let facts: DatasetFacts | null;
  try {
    facts = read(config.dataset);
  } catch (e) {
    // What the file system says (no such folder, no permission) is the engine's to report, naming the file.
    if (e instanceof DatasetError || typeof (e as NodeJS.ErrnoException).syscall === 'string') return [];
    throw e;
  }
  return facts ? checkConfigAgainstData(config, facts) : [];
}

/** The config, when the data can honour it; else ConfigError (INVALID_CONFIG) naming each field and its limit. */
export function requireDataFits(config: ExperimentConfig): ExperimentConfig {
  const issues = dataIssues(config);
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}
