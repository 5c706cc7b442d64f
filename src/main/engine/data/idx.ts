/**
 * IDX reader (the MNIST file format, http://yann.lecun.com/exdb/mnist/): a big-endian header
 * `0x00 0x00 <type> <ndim>` followed by ndim uint32 sizes and the data. We read unsigned-byte images
 * (magic 0x00000803 = 2051) and labels (0x00000801 = 2049), plain or gzipped (detected by the gzip magic
 * bytes, not the file name).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { DatasetError } from './errors';
import type { RawSplit } from './raw';

export type IdxKind = 'images' | 'labels';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const MAGIC: Record<IdxKind, number> = { images: 0x00000803, labels: 0x00000801 };
const NDIM: Record<IdxKind, number> = { images: 3, labels: 1 };
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

/** The largest IDX file read (header + data): far beyond any image dataset stored as IDX, small enough to refuse a typo'd or hostile header before allocating it. */
export const MAX_IDX_BYTES = 2 ** 31 - 1;

/**
 * Gzip input prefixes tried in turn to decompress the IDX header (at most 4 + 4 x 255 bytes): the
 * first almost always suffices; the larger ones cover a long gzip file-name field. Deflate expands at
 * most ~1000x, so even a hostile 1 KB prefix yields about a megabyte.
 */
const GZIP_HEADER_PREFIXES = [1024, 16 * 1024, 64 * 1024];

/** Bytes an IDX header declares the whole file holds; null when the header is too short to say. */
export function declaredIdxBytes(head: Uint8Array): number | null {
  if (head.length < 4) return null;
  const ndim = head[3];
  const headerBytes = 4 + 4 * ndim;
  if (head.length < headerBytes) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  let data = 1;
  for (let i = 0; i < ndim; i++) data *= view.getUint32(4 + 4 * i);
  return headerBytes + data;
}

function readFile(file: string): Buffer {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new DatasetError(file, 'is not a regular file');
    if (st.size > MAX_IDX_BYTES) throw new DatasetError(file, `is ${st.size} bytes long, more than the ${MAX_IDX_BYTES} an IDX file may hold`);
    return readFileSync(file);
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(file, code === 'ENOENT' ? 'file not found' : `cannot be read (${(e as Error).message})`);
  }
}

/**
 * How large a file may decompress to: `bytes(head)` from its first decompressed bytes (null when too
 * few to say), and `source` for the message ("its IDX header declares").
 */
export interface DecompressedLimit {
  bytes: (head: Uint8Array) => number | null;
  source: string;
}

/** IDX files say their own size in the header. */
export const IDX_LIMIT: DecompressedLimit = { bytes: declaredIdxBytes, source: 'its IDX header declares' };

/**
 * Reads a whole file, gunzipping it when it starts with the gzip magic bytes 1f 8b. Decompression is
 * capped at the size `limit` allows (for IDX, what the header declares, read first from a prefix): a
 * gzip bomb or a corrupt stream stops at that size with one sentence, instead of taking the process's memory.
 */
export function readMaybeGzip(file: string, limit: DecompressedLimit = IDX_LIMIT): Buffer {
  const buf = readFile(file);
  if (!(buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b)) return buf;
  let head = Buffer.alloc(0);
  let declared: number | null = null;
  for (const prefix of GZIP_HEADER_PREFIXES) {
    try {
      head = gunzipSync(buf.subarray(0, prefix), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1100 * prefix });
    } catch (e) {
      throw new DatasetError(file, `starts like a gzip file but cannot be decompressed (${(e as Error).message})`);
    }
    declared = limit.bytes(head);
    if (declared !== null || prefix >= buf.length) break;
  }
  // Too short to declare anything: decompress what little there is and let the parser say what is wrong.
  const cap = declared === null ? head.length : declared;
  if (cap > MAX_IDX_BYTES) throw new DatasetError(file, `${limit.source} ${cap} bytes, more than the ${MAX_IDX_BYTES} a dataset file may hold`);
  try {
    // One byte more than allowed, so trailing data is caught as such rather than silently cut.
    return gunzipSync(buf, { maxOutputLength: cap + 1 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetError(file, `decompresses to more than the ${cap} bytes ${limit.source} (a corrupt or hostile file)`);
    }
    throw new DatasetError(file, `starts like a gzip file but cannot be decompressed (${(e as Error).message})`);
  }
}

function describeMagic(buf: Buffer): string {
  if (buf[0] !== 0 || buf[1] !== 0) return 'not an IDX file?';
  const type = TYPE_NAMES[buf[2]];
  if (!type) return 'not an IDX file?';
  if (buf[2] === 0x08 && buf[3] === 1) return 'a labels file?';
  if (buf[2] === 0x08 && buf[3] === 3) return 'an images file?';
  return `${type} data with ${buf[3]} dimensions`;
}

/** Parses and validates an IDX buffer of the given kind; `file` is only used in error messages. */
export function parseIdx(buf: Buffer, file: string, kind: IdxKind): IdxArray {
  const expected = MAGIC[kind];
  if (buf.length < 4) throw new DatasetError(file, `is ${buf.length} bytes long, too short for an IDX header`);
  const magic = buf.readUInt32BE(0);
  if (magic !== expected) {
    throw new DatasetError(
      file,
      `expected magic number ${expected} (${kind}) but found ${magic} (${describeMagic(buf)})`,
    );
  }
  const ndim = buf[3];
  if (ndim !== NDIM[kind]) {
    throw new DatasetError(file, `expected ${NDIM[kind]} dimensions (${kind}) but the header declares ${ndim}`);
  }
  const headerBytes = 4 + 4 * ndim;
  if (buf.length < headerBytes) {
    throw new DatasetError(file, `is truncated inside its header (${buf.length} of ${headerBytes} bytes)`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  if (kind === 'images' && (dims[1] === 0 || dims[2] === 0)) {
    throw new DatasetError(file, `declares images of ${dims[1]}x${dims[2]} pixels`);
  }
  const dataBytes = dims.reduce((a, b) => a * b, 1);
  const want = headerBytes + dataBytes;
  if (buf.length !== want) {
    const what = buf.length < want ? 'is truncated' : 'has trailing bytes';
    throw new DatasetError(
      file,
      `${what}: its header declares ${dims.join('x')} bytes of data, so the file should be ${want} bytes but it is ${buf.length}`,
    );
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, dataBytes) };
}

export function readIdx(file: string, kind: IdxKind): IdxArray {
  return parseIdx(readMaybeGzip(file), file, kind);
}

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

