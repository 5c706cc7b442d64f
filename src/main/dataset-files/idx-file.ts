/**
 * IDX reader (the MNIST file format, http://yann.lecun.com/exdb/mnist/): a big-endian header
 * `0x00 0x00 <type> <ndim>` followed by ndim uint32 sizes and the data. We read unsigned-byte images
 * (magic 0x00000803 = 2051) and labels (0x00000801 = 2049), plain or gzipped (detected by the gzip magic
 * bytes, not the file name). The format alone, below the engine: its readers (engine/data/idx.ts) and
 * main's cheap checks of a config against the data (dataset-facts.ts) both read through it.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';

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

/**
 * The largest IDX file read (header + data): far beyond any image dataset stored as IDX, small enough to refuse a
 * typo'd or hostile header before allocating it.
 */
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

/** Runs `read` on a regular file of at most MAX_IDX_BYTES, turning what the file system says into one sentence. */
function readChecked(file: string, read: (size: number) => Buffer): Buffer {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new DatasetError(file, 'is not a regular file');
    if (st.size > MAX_IDX_BYTES)
      throw new DatasetError(file, `is ${st.size} bytes long, more than the ${MAX_IDX_BYTES} an IDX file may hold`);
    return read(st.size);
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(file, code === 'ENOENT' ? 'file not found' : `cannot be read (${(e as Error).message})`);
  }
}

function readFile(file: string): Buffer {
  return readChecked(file, () => readFileSync(file));
}

/** The first `bytes` bytes of a file (fewer when it is shorter). */
function readStart(file: string, bytes: number): Buffer {
  return readChecked(file, (size) => {
    const buf = Buffer.alloc(Math.min(bytes, size));
    const fd = openSync(file, 'r');
    try {
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  });
}

const isGzip = (buf: Uint8Array) => buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;

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

/** The first decompressed bytes of gzipped `buf`: enough for `limit` to say the whole size, when they can. */
function gunzipHead(file: string, buf: Buffer, limit: DecompressedLimit): { head: Buffer; declared: number | null } {
  let head = Buffer.alloc(0);
  let declared: number | null = null;
  for (const prefix of GZIP_HEADER_PREFIXES) {
    try {
      head = gunzipSync(buf.subarray(0, prefix), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
        maxOutputLength: 1100 * prefix,
      });
    } catch (e) {
      throw new DatasetError(file, `starts like a gzip file but cannot be decompressed (${(e as Error).message})`);
    }
    declared = limit.bytes(head);
    if (declared !== null || prefix >= buf.length) break;
  }
  return { head, declared };
}

/**
 * Reads a whole file, gunzipping it when it starts with the gzip magic bytes 1f 8b. Decompression is
 * capped at the size `limit` allows (for IDX, what the header declares, read first from a prefix): a
 * gzip bomb or a corrupt stream stops at that size with one sentence, instead of taking the process's memory.
 */
export function readMaybeGzip(file: string, limit: DecompressedLimit = IDX_LIMIT): Buffer {
  const buf = readFile(file);
  if (!isGzip(buf)) return buf;
  const { head, declared } = gunzipHead(file, buf, limit);
  // Too short to declare anything: decompress what little there is and let the parser say what is wrong.
  const cap = declared === null ? head.length : declared;
  if (cap > MAX_IDX_BYTES)
    throw new DatasetError(
      file,
      `${limit.source} ${cap} bytes, more than the ${MAX_IDX_BYTES} a dataset file may hold`,
    );
  try {
    // One byte more than allowed, so trailing data is caught as such rather than silently cut.
    return gunzipSync(buf, { maxOutputLength: cap + 1 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetError(
        file,
        `decompresses to more than the ${cap} bytes ${limit.source} (a corrupt or hostile file)`,
      );
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

/** The dims the header at the start of `buf` declares, validated for `kind`; `file` is only used in error messages. */
function parseIdxHeader(buf: Buffer, file: string, kind: IdxKind): { dims: number[]; headerBytes: number } {
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
  return { dims, headerBytes };
}

/** Parses and validates an IDX buffer of the given kind; `file` is only used in error messages. */
export function parseIdx(buf: Buffer, file: string, kind: IdxKind): IdxArray {
  const { dims, headerBytes } = parseIdxHeader(buf, file, kind);
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

/**
 * The dims an IDX file's header declares (images: [n, rows, cols]; labels: [n]), from its first bytes
 * only: a gzipped file is decompressed no further than its header. The data is neither read nor checked.
 */
export function readIdxHeader(file: string, kind: IdxKind): number[] {
  const start = readStart(file, GZIP_HEADER_PREFIXES[GZIP_HEADER_PREFIXES.length - 1]);
  return parseIdxHeader(isGzip(start) ? gunzipHead(file, start, IDX_LIMIT).head : start, file, kind).dims;
}
