/**
 * Reads an IDX images file with its labels file (dataset-files/idx-file.ts holds the format itself,
 * which main's checks read too).
 */
import { basename } from 'node:path';
import { DatasetError } from './errors';
import { readIdx } from '../../dataset-files/idx-file';
import type { RawSplit } from './raw';

export {
  declaredIdxBytes,
  IDX_LIMIT,
  MAX_IDX_BYTES,
  parseIdx,
  readIdx,
  readMaybeGzip,
  type DecompressedLimit,
  type IdxArray,
  type IdxKind,
} from '../../dataset-files/idx-file';

export interface IdxPairOptions {
  /** When given, every label must be below it. */
  numClasses?: number;
  /** Swap rows and columns of every image (EMNIST stores its images transposed). */
  transpose?: boolean;
}

export interface IdxPair {
  split: RawSplit;
  /** [height, width, 1] after any transpose. */
  shape: [number, number, number];
  /** Largest label + 1. */
  maxLabelPlusOne: number;
}

/** Reads an images file and its labels file, checking that they agree. */
export function readIdxPair(imagesFile: string, labelsFile: string, opts: IdxPairOptions = {}): IdxPair {
  const images = readIdx(imagesFile, 'images');
  const labels = readIdx(labelsFile, 'labels');
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw new DatasetError(
      labelsFile,
      `has ${labels.dims[0]} labels but its images file ${basename(imagesFile)} has ${n} images`,
    );
  }
  const y = new Int32Array(n);
  let maxLabel = -1;
  for (let i = 0; i < n; i++) {
    const label = labels.data[i];
    if (opts.numClasses !== undefined && label >= opts.numClasses) {
      throw new DatasetError(
        labelsFile,
        `label ${label} at index ${i} is out of range for ${opts.numClasses} classes (0-${opts.numClasses - 1})`,
      );
    }
    if (label > maxLabel) maxLabel = label;
    y[i] = label;
  }
  let pixels: Uint8Array;
  if (opts.transpose) {
    pixels = new Uint8Array(images.data.length);
    const size = rows * cols;
    for (let i = 0; i < n; i++) {
      const base = i * size;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) pixels[base + c * rows + r] = images.data[base + r * cols + c];
      }
    }
  } else {
    pixels = images.data;
  }
  const shape: [number, number, number] = opts.transpose ? [cols, rows, 1] : [rows, cols, 1];
  return { split: { pixels, y, n }, shape, maxLabelPlusOne: maxLabel + 1 };
}
