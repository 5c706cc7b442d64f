/**
 * CIFAR-10 / CIFAR-100 "binary version" readers (https://www.cs.toronto.edu/~kriz/cifar.html).
 * CIFAR-10 records: 1 label byte + 3072 pixel bytes; CIFAR-100 records: coarse and fine label bytes + 3072.
 * Pixels are stored channel-major (1024 red, 1024 green, 1024 blue, each row-major 32x32); we convert to HWC.
 */
import {
  CIFAR10,
  CIFAR100,
  cifarRecordBytes,
  findCifarFiles,
  MAX_RECORDS,
  PIXELS,
  PLANE,
  SIDE,
  type CifarFormat,
} from '../../dataset-files/cifar-layout';
import { DatasetError } from './errors';
import { readMaybeGzip, type DecompressedLimit } from './idx';
import type { RawDataset, RawSplit } from './raw';

export function readCifar10(dir: string): RawDataset {
  return readCifar(dir, CIFAR10);
}

/** CIFAR-100 with its 100 fine labels. */
export function readCifar100(dir: string): RawDataset {
  return readCifar(dir, CIFAR100);
}

function readCifar(dir: string, fmt: CifarFormat): RawDataset {
  const files = findCifarFiles(dir, fmt);
  return {
    shape: [SIDE, SIDE, 3],
    numClasses: fmt.numClasses,
    train: readFiles(files.train, fmt),
    test: readFiles(files.test, fmt),
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
  const record = cifarRecordBytes(fmt);
  // A CIFAR file has no header declaring its size (unlike IDX): a gzipped batch is capped at the largest one there is.
  const maxBytes = MAX_RECORDS * record;
  const limit: DecompressedLimit = {
    bytes: () => maxBytes,
    source: `a ${fmt.name} batch file (${MAX_RECORDS} records at most) may hold`,
  };
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
