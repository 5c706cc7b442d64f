/**
 * Readers keep pixels as the bytes they came in (HWC, uint8) and only expand to Float32 in [0, 1] after
 * subsampling: full CIFAR-10 as floats is 600 MB, as bytes 150 MB.
 */
import type { ImageSplit } from '../types';

export interface RawSplit {
  /** NHWC bytes, 0..255. */
  pixels: Uint8Array;
  y: Int32Array;
  n: number;
}

export interface RawDataset {
  shape: [number, number, number];
  numClasses: number;
  train: RawSplit;
  test: RawSplit;
}

/** byte / 255 as float32, looked up rather than computed per pixel. */
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, b) => b / 255);

/** Expands bytes to floats in [0, 1], taking only `indices` (in that order) when given. */
export function toImageSplit(raw: RawSplit, shape: [number, number, number], indices?: Int32Array): ImageSplit {
  const size = shape[0] * shape[1] * shape[2];
  const n = indices ? indices.length : raw.n;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = indices ? indices[i] : i;
    y[i] = raw.y[src];
    const from = src * size;
    const to = i * size;
    for (let k = 0; k < size; k++) x[to + k] = BYTE_TO_UNIT[raw.pixels[from + k]];
  }
  return { x, y, n };
}
