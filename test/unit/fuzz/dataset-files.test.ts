/**
 * Fuzzing the dataset readers with corrupted files: IDX (plain and gzipped) and CIFAR binary batches
 * truncated at random points, with wrong magic numbers, wrong or huge declared counts, broken gzip
 * streams, gzip bombs and random bytes. A reader either returns data consistent with the file or
 * throws a DatasetError whose message names the file: never another error, never a second line.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { readIdx } from '../../../src/main/engine/data/idx';
import { readIdxFolder } from '../../../src/main/engine/data/idx-folder';
import { readCifar10, readCifar100 } from '../../../src/main/engine/data/cifar';
import { DatasetError } from '../../../src/main/engine/data/errors';
import { cifarBytes, imagesBytes, labelsBytes, tempDir, write, writeCifar10 } from '../engine/data/fixtures';
import { assertOneSentence, fuzzParams, RUNS } from './arbitraries';

const { dir, cleanup } = tempDir('fuzz');
after(cleanup);
let caseNo = 0;
/** The message of the latest refusal seen by refusedProperly. */
let lastRefusal = '';

/** A corruption of a byte string; `gzip` applies it after compressing (so it breaks the stream itself). */
type Corruption =
  | { kind: 'truncate'; at: number }
  | { kind: 'overwrite'; at: number; bytes: number[] }
  | { kind: 'append'; bytes: number[] }
  | { kind: 'dim'; index: number; value: number }
  | { kind: 'random'; bytes: Uint8Array }
  | { kind: 'bomb'; zeros: number };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constant('truncate'), at: fc.nat({ max: 400 }) }),
  fc.record({
    kind: fc.constant('overwrite'),
    at: fc.nat({ max: 40 }),
    bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('append'), bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 64 }) }),
  fc.record({
    kind: fc.constant('dim'),
    index: fc.nat({ max: 2 }),
    value: fc.oneof(fc.nat({ max: 64 }), fc.constantFrom(0, 2 ** 31, 2 ** 32 - 1, 4_000_000_000), fc.nat()),
  }),
  fc.record({ kind: fc.constant('random'), bytes: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('bomb'), zeros: fc.integer({ min: 1000, max: 2_000_000 }) }),
);

function corrupt(bytes: Buffer, c: Corruption): Buffer {
  switch (c.kind) {
    case 'truncate':
      return bytes.subarray(0, Math.min(c.at, bytes.length - 1));
    case 'overwrite': {
      const copy = Buffer.from(bytes);
      c.bytes.forEach((b, i) => c.at + i < copy.length && (copy[c.at + i] = b));
      return copy;
    }
    case 'append':
      return Buffer.concat([bytes, Buffer.from(c.bytes)]);
    case 'dim': {
      const copy = Buffer.from(bytes);
      const at = 4 + 4 * Math.min(c.index, copy[3] - 1);
      if (at + 4 <= copy.length) copy.writeUInt32BE(c.value >>> 0, at);
      return copy;
    }
    case 'random':
      return Buffer.from(c.bytes);
    case 'bomb':
      return Buffer.concat([bytes, Buffer.alloc(c.zeros)]);
  }
}

/** Writes the (possibly gzipped, possibly then broken) bytes to `folder/name`. */
function writeCase(
  folder: string,
  name: string,
  bytes: Buffer,
  gz: { gzip: boolean; breakStream?: Corruption },
): string {
  let out = gz.gzip ? gzipSync(bytes) : bytes;
  if (gz.gzip && gz.breakStream) out = corrupt(out, gz.breakStream);
  return write(folder, name, out);
}

/** Either a result, or a DatasetError naming `file` in one sentence; anything else fails the property. */
function refusedProperly(read: () => unknown, files: string[], context: string): unknown {
  try {
    return read();
  } catch (e) {
    assert.ok(e instanceof DatasetError, `threw ${(e as Error)?.name}: ${(e as Error)?.message} (${context})`);
    assert.ok(
      files.some((f) => e.message.includes(basename(f))),
      `message does not name the file: ${e.message} (${context})`,
    );
    assertOneSentence(e.message, context);
    lastRefusal = e.message;
    return undefined;
  } finally {
    for (const f of files) rmSync(f, { force: true });
  }
}

const gzipMode = fc.oneof(
  fc.constant({ gzip: false }),
  fc.constant({ gzip: true }),
  corruption.filter((c) => c.kind !== 'bomb' && c.kind !== 'dim').map((breakStream) => ({ gzip: true, breakStream })),
);

test('a corrupted IDX file is read consistently or refused naming it', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(
      fc.constantFrom<'images' | 'labels'>('images', 'labels'),
      fc.integer({ min: 1, max: 5 }),
      corruption,
      gzipMode,
      (kind, n, c, gz) => {
        const clean =
          kind === 'images'
            ? imagesBytes(n, 4, 3, (i, r, col) => (i + r + col) % 256)
            : labelsBytes(Array.from({ length: n }, (_, i) => i % 10));
        const file = writeCase(join(dir, `case-${++caseNo}`), `${kind}-idx.bin`, corrupt(clean, c), gz);
        const got = refusedProperly(
          () => readIdx(file, kind),
          [file],
          `${kind} ${JSON.stringify(c).slice(0, 120)} ${JSON.stringify(gz).slice(0, 80)}`,
        ) as { dims: number[]; data: Uint8Array } | undefined;
        if (got)
          assert.equal(
            got.data.length,
            got.dims.reduce((a, b) => a * b, 1),
            'data length disagrees with the declared dimensions',
          );
        if (c.kind === 'bomb') assert.equal(got, undefined, 'a file with trailing zeros must be refused');
        // Decompression stops one byte past the declared size, so the bomb never expands in full.
        if (c.kind === 'bomb' && gz.gzip && !('breakStream' in gz))
          assert.match(lastRefusal, /decompresses to more than the \d+ bytes its IDX header declares/);
      },
    ),
    fuzzParams(),
  );
});

test(
  'an IDX pair or folder with one corrupted file is read consistently or refused naming a file',
  { timeout: 120_000 },
  () => {
    const roles = [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
    ];
    fc.assert(
      fc.property(
        fc.nat({ max: 3 }),
        corruption,
        fc.boolean(),
        fc.array(fc.nat({ max: 255 }), { minLength: 2, maxLength: 6 }),
        (which, c, gzip, labels) => {
          const folder = join(dir, `folder-${++caseNo}`);
          const n = labels.length;
          const clean = [
            imagesBytes(n, 3, 3, (i) => i),
            labelsBytes(labels),
            imagesBytes(n, 3, 3, (i) => i + 1),
            labelsBytes(labels),
          ];
          const files = roles.map((name, i) =>
            write(folder, gzip ? `${name}.gz` : name, i === which ? corrupt(clean[i], c) : clean[i], gzip),
          );
          const got = refusedProperly(
            () => readIdxFolder(folder),
            files,
            `${roles[which]} ${JSON.stringify(c).slice(0, 120)}`,
          ) as { numClasses: number; train: { n: number } } | undefined;
          if (got) assert.equal(got.train.n, n);
          rmSync(folder, { recursive: true, force: true });
        },
      ),
      fuzzParams(Math.ceil(RUNS / 2)),
    );
  },
);

test('a corrupted CIFAR batch is read consistently or refused naming it', { timeout: 120_000 }, () => {
  fc.assert(
    fc.property(fc.boolean(), fc.nat({ max: 5 }), corruption, gzipMode, (hundred, which, c, gz) => {
      const folder = join(dir, `cifar-${++caseNo}`);
      const names = hundred
        ? ['train.bin', 'test.bin']
        : [1, 2, 3, 4, 5].map((b) => `data_batch_${b}.bin`).concat('test_batch.bin');
      const index = which % names.length;
      const files = names.map((name, i) => {
        const clean = cifarBytes(
          hundred
            ? [
                [i, 50 + i],
                [19, 99],
              ]
            : [[i % 10], [9]],
        );
        return i === index ? writeCase(folder, name, corrupt(clean, c), gz) : write(folder, name, clean);
      });
      const target = files[index];
      const got = refusedProperly(
        () => (hundred ? readCifar100(folder) : readCifar10(folder)),
        [target],
        `${names[index]} ${JSON.stringify(c).slice(0, 120)}`,
      ) as { train: { n: number; pixels: Uint8Array; y: Int32Array } } | undefined;
      if (got) assert.equal(got.train.pixels.length, got.train.n * 3072);
      rmSync(folder, { recursive: true, force: true });
    }),
    fuzzParams(Math.ceil(RUNS / 2)),
  );
});

test('a gzipped CIFAR batch is read, and a gzip bomb posing as one stops at the largest batch there is', () => {
  const folder = join(dir, 'cifar-gz');
  writeCifar10(folder);
  const plain = readCifar10(folder);
  for (const name of [1, 2, 3, 4, 5].map((b) => `data_batch_${b}.bin`).concat('test_batch.bin')) {
    const file = join(folder, name);
    write(folder, name, readFileSync(file), true);
  }
  const gz = readCifar10(folder);
  assert.deepEqual(gz.train.y, plain.train.y);
  assert.deepEqual(gz.test.pixels, plain.test.pixels);
  // 60,000 records of 3073 bytes is the most a CIFAR-10 batch may hold; 200 MB of zeros is more.
  write(folder, 'test_batch.bin', Buffer.concat([cifarBytes([[1]]), Buffer.alloc(200e6)]), true);
  assert.throws(
    () => readCifar10(folder),
    (e: unknown) =>
      e instanceof DatasetError &&
      /^test_batch\.bin: decompresses to more than the 184380000 bytes a CIFAR-10 batch file/.test(e.message),
  );
});
