/**
 * CIFAR-10 / CIFAR-100 "binary version" readers (https://www.cs.toronto.edu/~kriz/cifar.html).
 * CIFAR-10 records: 1 label byte + 3072 pixel bytes; CIFAR-100 records: coarse and fine label bytes + 3072.
 * Pixels are stored channel-major (1024 red, 1024 green, 1024 blue, each row-major 32x32); we convert to HWC.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from './errors';
import { readMaybeGzip, type DecompressedLimit } from './idx';
import type { RawDataset, RawSplit } from './raw';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = 3 * PLANE;
/** CIFAR-10 and CIFAR-100 each hold 60,000 images, so no batch file holds more records. */
const MAX_RECORDS = 60_000;

interface CifarFormat {
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

const CIFAR10: CifarFormat = {
  name: 'CIFAR-10',
  labelBytes: 1,
  labelByte: 0,
  numClasses: 10,
  labelLimits: [10],
  labelNames: ['label'],
  trainFiles: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
  testFiles: ['test_batch.bin'],
  archiveFolder: 'cifar-10-batches-bin',
};

const CIFAR100: CifarFormat = {
  name: 'CIFAR-100',
  labelBytes: 2,
  labelByte: 1,
  numClasses: 100,
  labelLimits: [20, 100],
  labelNames: ['coarse label', 'fine label'],
  trainFiles: ['train.bin'],
  testFiles: ['test.bin'],
  archiveFolder: 'cifar-100-binary',
};

export function readCifar10(dir: string): RawDataset {
  return readCifar(dir, CIFAR10);
}

/** CIFAR-100 with its 100 fine labels. */
export function readCifar100(dir: string): RawDataset {
  return readCifar(dir, CIFAR100);
}

function readCifar(dir: string, fmt: CifarFormat): RawDataset {
  if (!existsSync(dir)) throw new DatasetError(dir, `the ${fmt.name} folder does not exist`);
  if (!statSync(dir).isDirectory()) throw new DatasetError(dir, `is not a folder (expected the ${fmt.name} binary folder)`);
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
  return {
    shape: [SIDE, SIDE, 3],
    numClasses: fmt.numClasses,
    train: readFiles(fmt.trainFiles.map((f) => join(root, f)), fmt),
    test: readFiles(fmt.testFiles.map((f) => join(root, f)), fmt),
  };
}

function readFiles(files: string[], fmt: CifarFormat): RawSplit {
  const parts = files.map((f) => readBatch(f, fmt));
  const n = parts.reduce((a, p) => a + p.n, 0);
  if (parts.length === 1) return parts[0];
  const pixels = new Uint8Array(n * PIXELS);
  const y = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    pixels.set(p.pixels, at * PIXELS);
    y.set(p.y, at);
    at += p.n;
  }
  return { pixels, y, n };
}

/** Reads one batch file into HWC bytes, validating its size and every label. */
function readBatch(file: string, fmt: CifarFormat): RawSplit {
  const record = fmt.labelBytes + PIXELS;
  // A CIFAR file has no header declaring its size (unlike IDX): a gzipped batch is capped at the largest one there is.
  const maxBytes = MAX_RECORDS * record;
  const limit: DecompressedLimit = { bytes: () => maxBytes, source: `a ${fmt.name} batch file (${MAX_RECORDS} records at most) may hold` };
  const buf = readMaybeGzip(file, limit);
  if (buf.length > maxBytes) throw new DatasetError(file, `holds more than the ${maxBytes} bytes ${limit.source}`);
  if (buf.length === 0) throw new DatasetError(file, 'is empty');
  if (buf.length % record !== 0) {
    throw new DatasetError(
      file,
      `size ${buf.length} bytes is not a multiple of the ${record}-byte ${fmt.name} record ` +
        `(${fmt.labelBytes} label byte${fmt.labelBytes > 1 ? 's' : ''} + ${PIXELS} pixel bytes)`,
    );
  }
  const n = buf.length / record;
  const pixels = new Uint8Array(n * PIXELS);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const off = i * record;
    for (let b = 0; b < fmt.labelBytes; b++) {
      const v = buf[off + b];
      if (v >= fmt.labelLimits[b]) {
        throw new DatasetError(
          file,
          `record ${i} has ${fmt.labelNames[b]} ${v}, but ${fmt.name} ${fmt.labelNames[b]}s are 0-${fmt.labelLimits[b] - 1}`,
        );
      }
    }
    y[i] = buf[off + fmt.labelByte];
    const src = off + fmt.labelBytes;
    const dst = i * PIXELS;
    for (let p = 0; p < PLANE; p++) {
      pixels[dst + 3 * p] = buf[src + p];
      pixels[dst + 3 * p + 1] = buf[src + PLANE + p];
      pixels[dst + 3 * p + 2] = buf[src + 2 * PLANE + p];
    }
  }
  return { pixels, y, n };
}
