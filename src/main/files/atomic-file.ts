/**
 * The one way files beside the database are written: under a temporary name in the same folder,
 * fsynced, then renamed over the real name, so a process killed mid-write never leaves a half-written
 * file under the real name. The temporary names are what the sweep on open (store/sweep.ts) removes
 * when their writer is gone. Files and the folders made for them are owner-only (private-files.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir, openNewPrivateFile } from './private-files';

/** "<name>.tmp-<pid>-<hex>" (a file) or ".tmp-<pid>-<hex>" (a folder built before its rename). */
export const TEMP_NAME = /(?:^|\.)tmp-(\d+)-[0-9a-f]+$/;

/** A fresh temporary name beside `file` (or, with `folder`, inside it), carrying this process's pid. */
export function tempPathFor(file: string, folder = false): string {
  const suffix = `tmp-${process.pid}-${randomBytes(folder ? 6 : 4).toString('hex')}`;
  return folder ? path.join(file, `.${suffix}`) : `${file}.${suffix}`;
}

/** Writes `chunks` to `file` atomically; `onChunk` sees each chunk as written (for a running hash). */
export function writeFileAtomically(
  file: string,
  chunks: Iterable<Uint8Array>,
  onChunk?: (chunk: Uint8Array) => void,
): number {
  makePrivateDir(path.dirname(file));
  const tmp = tempPathFor(file);
  let bytes = 0;
  const fd = openNewPrivateFile(tmp);
  try {
    for (const chunk of chunks) {
      let off = 0;
      while (off < chunk.length) off += fs.writeSync(fd, chunk, off, chunk.length - off);
      onChunk?.(chunk);
      bytes += chunk.length;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed */
    }
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return bytes;
}
