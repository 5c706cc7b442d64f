/**
 * One file holding a training's state after a completed round (issue 13's checkpoints): a JSON part
 * (what the state is and the round records so far) and named float32 / float64 arrays (weights in
 * float32 as the engine holds them; accumulators such as CSL in float64, so they resume bit for bit).
 *
 * Format FMC1 (little-endian):
 *   bytes 0..3   ASCII 'FMC1'
 *   bytes 4..7   uint32 H, the byte length of the header
 *   bytes 8..    H bytes of UTF-8 JSON {"meta":…, "arrays":[{"name","type":"f32"|"f64","length"}], "sha256"},
 *                padded with spaces so the data starts at a multiple of 8
 *   then         the arrays' values back to back, in header order
 * sha256 covers the JSON of meta and arrays and then the values, so damage anywhere is caught.
 * The file is written to a temporary name, fsynced and renamed, so a kill leaves the previous round's
 * file or this one, never half of one; a file that fails any check is refused with one sentence.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { writeFileAtomically } from '../../files/atomic-file';
import { fromExactJson, toExactJson } from './exact-json';

export const ROUND_STATE_MAGIC = 'FMC1';
const PREFIX = 8;
const LE = os.endianness() === 'LE';

export type StateArray = Float32Array | Float64Array;

export interface StateFile {
  meta: unknown;
  arrays: Record<string, StateArray>;
}

interface ArraySpec {
  name: string;
  type: 'f32' | 'f64';
  length: number;
}

export class CheckpointFileError extends Error {
  constructor(file: string, problem: string) {
    super(`the checkpoint ${file} cannot be used: ${problem}`);
    this.name = 'CheckpointFileError';
  }
}

/** Over the header's description and the data, so a change to either is caught. */
function checksum(described: { meta: unknown; arrays: ArraySpec[] }, payload: Buffer): string {
  return createHash('sha256').update(toExactJson(described)).update(payload).digest('hex');
}

function littleEndianBytes(a: StateArray): Buffer {
  const view = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (LE) return view;
  const copy = Buffer.from(view);
  if (a instanceof Float64Array) copy.swap64();
  else copy.swap32();
  return copy;
}

export function encodeStateFile(state: StateFile): Buffer {
  const specs: ArraySpec[] = Object.entries(state.arrays).map(([name, a]) => ({
    name,
    type: a instanceof Float64Array ? 'f64' : 'f32',
    length: a.length,
  }));
  const payload = Buffer.concat(Object.values(state.arrays).map(littleEndianBytes));
  const sha256 = checksum({ meta: state.meta, arrays: specs }, payload);
  const json = Buffer.from(toExactJson({ meta: state.meta, arrays: specs, sha256 }), 'utf8');
  const header = Buffer.alloc(Math.ceil((PREFIX + json.length) / 8) * 8 - PREFIX, 0x20);
  json.copy(header);
  const prefix = Buffer.alloc(PREFIX);
  prefix.write(ROUND_STATE_MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(header.length, 4);
  return Buffer.concat([prefix, header, payload]);
}

/** Reads a buffer back; throws CheckpointFileError (naming `file`) when anything does not add up. */
export function decodeStateFile(buf: Buffer, file: string): StateFile {
  const bad = (problem: string) => new CheckpointFileError(file, problem);
  if (buf.length < PREFIX || buf.toString('latin1', 0, 4) !== ROUND_STATE_MAGIC)
    throw bad('it is not a checkpoint file or is truncated');
  const headerLen = buf.readUInt32LE(4);
  if (PREFIX + headerLen > buf.length) throw bad('it is truncated inside its header');
  let header: { meta: unknown; arrays: ArraySpec[]; sha256: string };
  try {
    header = fromExactJson(buf.toString('utf8', PREFIX, PREFIX + headerLen)) as typeof header;
    const ok =
      Array.isArray(header.arrays) &&
      typeof header.sha256 === 'string' &&
      header.arrays.every(
        (s) =>
          typeof s?.name === 'string' &&
          (s.type === 'f32' || s.type === 'f64') &&
          Number.isSafeInteger(s.length) &&
          s.length >= 0,
      );
    if (!ok) throw new Error('bad fields');
  } catch {
    throw bad('its header is damaged');
  }
  const start = PREFIX + headerLen;
  const expected = start + header.arrays.reduce((n, s) => n + s.length * (s.type === 'f64' ? 8 : 4), 0);
  if (buf.length !== expected) throw bad(buf.length < expected ? 'it is truncated' : 'it has bytes past its end');
  const payload = buf.subarray(start);
  if (checksum({ meta: header.meta, arrays: header.arrays }, payload) !== header.sha256)
    throw bad('its contents do not match their checksum');
  const arrays: Record<string, StateArray> = {};
  let off = 0;
  for (const s of header.arrays) {
    const a = s.type === 'f64' ? new Float64Array(s.length) : new Float32Array(s.length);
    const bytes = new Uint8Array(a.buffer);
    bytes.set(payload.subarray(off, off + bytes.length));
    if (!LE) s.type === 'f64' ? Buffer.from(a.buffer).swap64() : Buffer.from(a.buffer).swap32();
    off += bytes.length;
    arrays[s.name] = a;
  }
  return { meta: header.meta, arrays };
}

/** Writes atomically: temporary name in the same folder, fsync, rename over the previous file. */
export function writeStateFile(file: string, state: StateFile): void {
  writeFileAtomically(file, [encodeStateFile(state)]);
}

/** The state in `file`, or null when there is none; a damaged file throws CheckpointFileError. */
export function readStateFile(file: string): StateFile | null {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CheckpointFileError(file, `it cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  return decodeStateFile(buf, file);
}
