/** Writers for real IDX and CIFAR binary files in a temp folder, so the readers are tested on actual bytes. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `fedmem-data-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function idxBytes(magic: number, dims: number[], data: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(data))]);
}

export function imagesBytes(
  n: number,
  rows: number,
  cols: number,
  pixel: (i: number, r: number, c: number) => number,
): Buffer {
  const data: number[] = [];
  for (let i = 0; i < n; i++) for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data.push(pixel(i, r, c));
  return idxBytes(0x803, [n, rows, cols], data);
}

export function labelsBytes(labels: number[]): Buffer {
  return idxBytes(0x801, [labels.length], labels);
}

export function write(dir: string, name: string, bytes: Buffer, gzip = false): string {
  const file = join(dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, gzip ? gzipSync(bytes) : bytes);
  return file;
}

/** A distinct byte for every (example, channel, row, col), so any mix-up of axes shows. */
export function cifarPixel(i: number, ch: number, r: number, c: number): number {
  return (i * 31 + ch * 101 + r * 7 + c * 3) % 256;
}

/** CIFAR binary records: label bytes then the 3072 CHW pixel bytes of example `first + k`. */
export function cifarBytes(labels: number[][], first = 0): Buffer {
  const rec = labels[0]?.length ?? 1;
  const out = Buffer.alloc(labels.length * (rec + 3072));
  labels.forEach((ls, k) => {
    const off = k * (rec + 3072);
    ls.forEach((l, b) => (out[off + b] = l));
    for (let ch = 0; ch < 3; ch++)
      for (let r = 0; r < 32; r++)
        for (let c = 0; c < 32; c++) out[off + rec + ch * 1024 + r * 32 + c] = cifarPixel(first + k, ch, r, c);
  });
  return out;
}

/** A CIFAR-10 folder: 5 training batches of `perBatch` records and a test batch of `testN`. */
export function writeCifar10(dir: string, perBatch = 2, testN = 3): void {
  for (let b = 1; b <= 5; b++) {
    const labels = Array.from({ length: perBatch }, (_, k) => [((b - 1) * perBatch + k) % 10]);
    write(dir, `data_batch_${b}.bin`, cifarBytes(labels, (b - 1) * perBatch));
  }
  write(
    dir,
    'test_batch.bin',
    cifarBytes(
      Array.from({ length: testN }, (_, k) => [9 - k]),
      1000,
    ),
  );
}
