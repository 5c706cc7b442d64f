import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { DatasetError } from '../../../../src/main/engine/data/errors';
import { readIdx, readIdxPair } from '../../../../src/main/engine/data/idx';
import { findIdxFiles, readIdxFolder } from '../../../../src/main/engine/data/idx-folder';
import { toImageSplit } from '../../../../src/main/engine/data/raw';
import { idxBytes, imagesBytes, labelsBytes, tempDir, write } from './fixtures';

const { dir, cleanup } = tempDir('idx');
after(cleanup);

const px = (i: number, r: number, c: number) => (i * 50 + r * 10 + c) % 256;

/** Asserts that fn throws a DatasetError about `file` whose message contains every fragment. */
function throwsAbout(fn: () => unknown, file: string, ...fragments: (string | RegExp)[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DatasetError, `expected DatasetError, got ${String(e)}`);
    assert.equal(e.file, file);
    assert.ok(e.message.startsWith(file.split('/').pop()! + ': '), e.message);
    for (const f of fragments) assert.match(e.message, typeof f === 'string' ? new RegExp(escape(f)) : f);
    return true;
  });
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('IDX reader', () => {
  test('reads plain images and labels with exact values', () => {
    const img = write(dir, 'a-images', imagesBytes(3, 2, 3, px));
    const lab = write(dir, 'a-labels', labelsBytes([7, 0, 3]));
    const { split, shape, maxLabelPlusOne } = readIdxPair(img, lab, { numClasses: 10 });
    assert.deepEqual(shape, [2, 3, 1]);
    assert.equal(split.n, 3);
    assert.deepEqual([...split.y], [7, 0, 3]);
    assert.equal(maxLabelPlusOne, 8);
    assert.deepEqual([...split.pixels.subarray(6, 12)], [50, 51, 52, 60, 61, 62]);
    const floats = toImageSplit(split, shape);
    assert.equal(floats.x[7], Math.fround(51 / 255));
    assert.equal(floats.x.length, 18);
  });

  test('reads gzipped files, detected by content not name', () => {
    const img = write(dir, 'gz-images-no-suffix', imagesBytes(2, 4, 4, px), true);
    const lab = write(dir, 'gz-labels.gz', labelsBytes([1, 2]), true);
    const { split } = readIdxPair(img, lab);
    assert.deepEqual([...split.pixels.subarray(16, 20)], [50, 51, 52, 53]);
    assert.deepEqual([...split.y], [1, 2]);
  });

  test('transpose swaps rows and columns', () => {
    const img = write(dir, 't-images', imagesBytes(1, 2, 3, px));
    const lab = write(dir, 't-labels', labelsBytes([0]));
    const { split, shape } = readIdxPair(img, lab, { transpose: true });
    assert.deepEqual(shape, [3, 2, 1]);
    // original rows [0 1 2],[10 11 12] -> transposed rows [0 10],[1 11],[2 12]
    assert.deepEqual([...split.pixels], [0, 10, 1, 11, 2, 12]);
  });

  test('bad magic number names the file and both numbers', () => {
    const bad = idxBytes(1234, [1, 2, 2], [0, 0, 0, 0]);
    const f = write(dir, 'train-images-idx3-ubyte', bad);
    throwsAbout(() => readIdx(f, 'images'), f, 'expected magic number 2051 (images) but found 1234');
  });

  test('a labels file passed as images is reported', () => {
    const f = write(dir, 'swapped-labels', labelsBytes([1, 2]));
    throwsAbout(() => readIdx(f, 'images'), f, 'expected magic number 2051 (images) but found 2049');
  });

  test('truncated and oversized files', () => {
    const full = imagesBytes(2, 3, 3, px);
    const t = write(dir, 'trunc-images', full.subarray(0, full.length - 5));
    throwsAbout(
      () => readIdx(t, 'images'),
      t,
      'is truncated',
      '2x3x3',
      `should be ${full.length} bytes but it is ${full.length - 5}`,
    );
    const o = write(dir, 'long-images', Buffer.concat([full, Buffer.from([1, 2])]));
    throwsAbout(() => readIdx(o, 'images'), o, 'trailing bytes');
    const h = write(dir, 'short-header', full.subarray(0, 9));
    throwsAbout(() => readIdx(h, 'images'), h, 'truncated inside its header');
    const tiny = write(dir, 'tiny', Buffer.from([0, 0]));
    throwsAbout(() => readIdx(tiny, 'labels'), tiny, 'too short for an IDX header');
  });

  test('image/label count mismatch names the labels file', () => {
    const img = write(dir, 'm-images', imagesBytes(3, 2, 2, px));
    const lab = write(dir, 'm-labels', labelsBytes([1, 2]));
    throwsAbout(() => readIdxPair(img, lab), lab, 'has 2 labels but its images file m-images has 3 images');
  });

  test('label out of range', () => {
    const img = write(dir, 'r-images', imagesBytes(3, 2, 2, px));
    const lab = write(dir, 'r-labels', labelsBytes([1, 12, 2]));
    throwsAbout(
      () => readIdxPair(img, lab, { numClasses: 10 }),
      lab,
      'label 12 at index 1 is out of range for 10 classes',
    );
  });

  test('missing file and broken gzip', () => {
    const missing = join(dir, 'nope-images');
    throwsAbout(() => readIdx(missing, 'images'), missing, 'file not found');
    const broken = write(dir, 'broken.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    throwsAbout(() => readIdx(broken, 'labels'), broken, 'cannot be decompressed');
  });
});

describe('IDX folder', () => {
  test('finds MNIST-style names with t10k and .gz', () => {
    const d = join(dir, 'fashion');
    write(d, 'train-images-idx3-ubyte.gz', imagesBytes(4, 2, 2, px), true);
    write(d, 'train-labels-idx1-ubyte.gz', labelsBytes([0, 1, 2, 3]), true);
    write(d, 't10k-images-idx3-ubyte.gz', imagesBytes(2, 2, 2, px), true);
    write(d, 't10k-labels-idx1-ubyte.gz', labelsBytes([3, 1]), true);
    write(d, 'README.txt', Buffer.from('hello'));
    const raw = readIdxFolder(d);
    assert.equal(raw.numClasses, 4, 'max label + 1');
    assert.deepEqual(raw.shape, [2, 2, 1]);
    assert.equal(raw.train.n, 4);
    assert.deepEqual([...raw.test.y], [3, 1]);
  });

  test('finds EMNIST names and transposes on request', () => {
    const d = join(dir, 'emnist');
    // EMNIST Balanced: 47 classes, every one with examples.
    write(d, 'emnist-balanced-train-images-idx3-ubyte.gz', imagesBytes(47, 2, 3, px), true);
    write(d, 'emnist-balanced-train-labels-idx1-ubyte.gz', labelsBytes(Array.from({ length: 47 }, (_, i) => i)), true);
    write(d, 'emnist-balanced-test-images-idx3-ubyte.gz', imagesBytes(2, 2, 3, px), true);
    write(d, 'emnist-balanced-test-labels-idx1-ubyte.gz', labelsBytes([3, 46]), true);
    write(d, 'emnist-balanced-mapping.txt', Buffer.from('0 48\n'));
    const files = findIdxFiles(d);
    assert.match(files.testLabels, /emnist-balanced-test-labels/);
    const raw = readIdxFolder(d, { transpose: true });
    assert.equal(raw.numClasses, 47);
    assert.deepEqual(raw.shape, [3, 2, 1]);
    assert.deepEqual([...raw.train.pixels.subarray(0, 6)], [0, 10, 1, 11, 2, 12]);
  });

  test('no candidate or several candidates are clear errors', () => {
    const d = join(dir, 'partial');
    write(d, 'train-images-idx3-ubyte', imagesBytes(1, 2, 2, px));
    write(d, 'train-labels-idx1-ubyte', labelsBytes([0]));
    throwsAbout(() => findIdxFiles(d), d, 'no test images file found');
    write(d, 'train-images-idx3-ubyte.gz', imagesBytes(1, 2, 2, px), true);
    throwsAbout(
      () => findIdxFiles(d),
      d,
      'several candidate training images files (train-images-idx3-ubyte, train-images-idx3-ubyte.gz)',
    );
    throwsAbout(() => findIdxFiles(join(dir, 'absent')), join(dir, 'absent'), 'does not exist');
  });

  test('train and test image sizes must agree', () => {
    const d = join(dir, 'sizes');
    write(d, 'train-images', imagesBytes(1, 2, 2, px));
    write(d, 'train-labels', labelsBytes([0]));
    const testImages = write(d, 'test-images', imagesBytes(1, 3, 3, px));
    write(d, 'test-labels', labelsBytes([0]));
    throwsAbout(() => readIdxFolder(d), testImages, 'has 3x3 images but the training images are 2x2');
  });

  const folder = (name: string, trainLabels: number[], testLabels: number[]) => {
    const d = join(dir, name);
    write(d, 'train-images', imagesBytes(trainLabels.length, 2, 2, px));
    const trainFile = write(d, 'train-labels', labelsBytes(trainLabels));
    const testImages = write(d, 'test-images', imagesBytes(testLabels.length, 2, 2, px));
    const testFile = write(d, 'test-labels', labelsBytes(testLabels));
    return { d, trainFile, testFile, testImages };
  };

  test('an empty test split is refused, naming the file, before any training', () => {
    const f = folder('empty-test', [0, 1], []);
    throwsAbout(() => readIdxFolder(f.d), f.testImages, 'holds no images');
  });

  test('one stray label does not silently add classes: 255 among 0-2 is refused, naming where it is', () => {
    const f = folder('stray', [0, 1, 2, 255, 1], [0, 1, 2, 255]);
    throwsAbout(
      () => readIdxFolder(f.d),
      f.trainFile,
      'label 255 (at index 3) implies 256 classes, but 252 of them (3, 4, 5, …) have no example',
    );
  });

  test('train and test must cover the same classes, in either direction', () => {
    const more = folder('test-more', [0, 1, 0], [0, 1, 2]);
    throwsAbout(() => readIdxFolder(more.d), more.testFile, 'uses label 2, but the largest training label is 1');
    const fewer = folder('test-fewer', [0, 1, 2, 3], [0, 1]);
    throwsAbout(() => readIdxFolder(fewer.d), fewer.trainFile, 'uses label 3, but the largest test label is 1');
  });
});

describe('IDX decompression is bounded by the header', () => {
  test('a gzip bomb (a header declaring 20 bytes, 200 MB of zeros behind it) stops at the declared size', () => {
    const header = idxBytes(0x803, [1, 2, 2], [1, 2, 3, 4]);
    const bomb = Buffer.concat([header, Buffer.alloc(200e6)]);
    const file = write(dir, 'bomb-images.gz', bomb, true);
    assert.ok(statSync(file).size < 1e6, 'a small file on disk');
    throwsAbout(() => readIdx(file, 'images'), file, 'decompresses to more than the 20 bytes its IDX header declares');
  });

  test('a header declaring more than an IDX file may hold is refused before decompressing', () => {
    const huge = idxBytes(0x803, [4_000_000_000, 28, 28], []);
    const file = write(dir, 'huge-images.gz', huge, true);
    throwsAbout(
      () => readIdx(file, 'images'),
      file,
      /its IDX header declares 3136000000016 bytes, more than the 2147483647/,
    );
  });

  test('a gzip file whose header sits behind a 20 KB gzip file-name field is still read', () => {
    const plain = imagesBytes(2, 2, 2, px);
    const gz = gzipWithName(plain, 'x'.repeat(20_000));
    const file = join(dir, 'named-images.gz');
    writeFileSync(file, gz);
    assert.deepEqual(readIdx(file, 'images').dims, [2, 2, 2]);
  });
});

/** A gzip member with the FNAME field set (RFC 1952), which zlib's gzipSync never writes. */
function gzipWithName(data: Buffer, name: string): Buffer {
  const deflated = deflateRawSync(data);
  const header = Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 255]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, Buffer.from(name + '\0', 'latin1'), deflated, trailer]);
}
