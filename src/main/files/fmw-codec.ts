/**
 * The FMW1 weights-file codec, without the store: encode, the atomic write (temp name, fsync, rename)
 * and the verified read. The store (weights-file.ts) and the engine process (the training history)
 * both use it; it imports no database code, so the engine can load it.
 *
 * Format FMW1 (all integers little-endian):
 *   bytes 0..3   ASCII 'FMW1'
 *   bytes 4..7   uint32 H, the byte length of the header that follows
 *   bytes 8..    H bytes of UTF-8 JSON {"tensors":[{"name":string,"shape":number[]}, ...]}, padded with
 *                spaces so the data starts at a multiple of 4
 *   then         each tensor's float32 values, little-endian, row-major, in header order, back to back
 * The file size must be exactly 8 + H + 4 * sum(product(shape)).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { writeFileAtomically } from './atomic-file';
import { StoreError, WeightsFileError } from './errors';

export const WEIGHTS_MAGIC = 'FMW1';
export const WEIGHTS_EXT = '.fmw';
const PREFIX_BYTES = 8;
const LITTLE_ENDIAN_HOST = os.endianness() === 'LE';

export interface WeightTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

const elementCount = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

function validShape(shape: unknown): shape is number[] {
  return Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
}

function encodeHeader(tensors: readonly Pick<WeightTensor, 'name' | 'shape'>[]): Buffer {
  const json = JSON.stringify({ tensors: tensors.map((t) => ({ name: t.name, shape: t.shape })) });
  const raw = Buffer.from(json, 'utf8');
  const padded = Buffer.alloc(Math.ceil((PREFIX_BYTES + raw.length) / 4) * 4 - PREFIX_BYTES, 0x20);
  raw.copy(padded);
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(WEIGHTS_MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(padded.length, 4);
  return Buffer.concat([prefix, padded]);
}

function float32Bytes(data: Float32Array): Buffer {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN_HOST) return view;
  const copy = Buffer.from(view);
  copy.swap32();
  return copy;
}

/** Writes the tensors atomically to an absolute path; returns its sha256 and size. */
export function writeWeightsFile(absPath: string, tensors: readonly WeightTensor[]): { sha256: string; bytes: number } {
  for (const t of tensors) {
    if (!validShape(t.shape) || elementCount(t.shape) !== t.data.length) {
      throw new StoreError(
        'STORE_INVALID_INPUT',
        `tensor ${t.name}: shape [${t.shape}] does not match ${t.data.length} values`,
      );
    }
  }
  const hash = createHash('sha256');
  const bytes = writeFileAtomically(
    absPath,
    [encodeHeader(tensors), ...tensors.map((t) => float32Bytes(t.data))],
    (chunk) => hash.update(chunk),
  );
  return { sha256: hash.digest('hex'), bytes };
}

/** Reads and verifies a weights file: magic, header, exact size and, when given, the sha256. */
export function readWeights(file: string, expectedSha256?: string | null): WeightTensor[] {
  const bad = (problem: string) => new WeightsFileError('WEIGHTS_FILE_INVALID', file, problem);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WeightsFileError(
      'WEIGHTS_FILE_MISSING',
      file,
      code === 'ENOENT' ? 'file not found' : `cannot read (${code})`,
      { cause: err },
    );
  }
  if (buf.length < PREFIX_BYTES) throw bad(`truncated: ${buf.length} bytes, shorter than the 8-byte prefix`);
  const magic = buf.toString('latin1', 0, 4);
  if (magic !== WEIGHTS_MAGIC) throw bad(`not an FMW1 weights file (magic ${JSON.stringify(magic)})`);
  const headerLen = buf.readUInt32LE(4);
  if (PREFIX_BYTES + headerLen > buf.length) {
    throw bad(`truncated: header claims ${headerLen} bytes but the file has ${buf.length} bytes in all`);
  }
  let specs: { name: string; shape: number[] }[];
  try {
    const header = JSON.parse(buf.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerLen)) as { tensors?: unknown };
    if (!Array.isArray(header.tensors)) throw new Error('no tensors array');
    specs = header.tensors as { name: string; shape: number[] }[];
    for (const s of specs) if (typeof s?.name !== 'string' || !validShape(s.shape)) throw new Error('bad tensor entry');
  } catch (err) {
    throw bad(`header is not valid (${err instanceof Error ? err.message : String(err)})`);
  }
  const dataStart = PREFIX_BYTES + headerLen;
  if (dataStart % 4 !== 0) throw bad(`data starts at byte ${dataStart}, not 4-byte aligned`);
  const counts = specs.map((s) => elementCount(s.shape));
  const expectedBytes = dataStart + 4 * counts.reduce((a, b) => a + b, 0);
  if (buf.length !== expectedBytes) {
    const kind = buf.length < expectedBytes ? 'truncated' : 'too long';
    throw bad(`${kind}: header describes ${expectedBytes} bytes but the file has ${buf.length}`);
  }
  if (expectedSha256) {
    const actual = createHash('sha256').update(buf).digest('hex');
    if (actual !== expectedSha256.toLowerCase()) {
      throw new WeightsFileError(
        'WEIGHTS_FILE_HASH_MISMATCH',
        file,
        `sha256 mismatch: expected ${expectedSha256}, found ${actual} (the file changed or is corrupt)`,
      );
    }
  }
  let off = dataStart;
  return specs.map((s, i) => {
    const data = new Float32Array(counts[i]); // a fresh, aligned buffer (the read buffer may not be)
    const bytes = new Uint8Array(data.buffer);
    bytes.set(buf.subarray(off, off + bytes.length));
    if (!LITTLE_ENDIAN_HOST) Buffer.from(data.buffer).swap32();
    off += bytes.length;
    return { name: s.name, shape: s.shape, data };
  });
}

/** Size in bytes of the FMW1 file holding tensors of these names and shapes (header, padding and data). */
export function fmwFileBytes(specs: readonly { name: string; shape: readonly number[] }[]): number {
  const header = encodeHeader(specs.map((s) => ({ name: s.name, shape: [...s.shape] })));
  return header.length + 4 * specs.reduce((n, s) => n + elementCount(s.shape), 0);
}
