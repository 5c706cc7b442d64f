import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readCifar10, readCifar100 } from '../../../../src/main/engine/data/cifar';
import { DatasetError } from '../../../../src/main/engine/data/errors';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import { cifarBytes, cifarPixel, tempDir, write, writeCifar10 } from './fixtures';

const { dir, cleanup } = tempDir('cifar');
after(cleanup);

function throwsAbout(fn: () => unknown, file: string, fragment: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DatasetError, String(e));
    assert.equal(e.file, file);
    assert.ok(e.message.startsWith(`${file.split('/').pop()}: `), e.message);
    assert.ok(e.message.includes(fragment), `"${e.message}" lacks "${fragment}"`);
    return true;
  });
}

/** Checks every pixel of example k of a split against the CHW source, read back as HWC. */
function checkHwc(pixels: Uint8Array, k: number, sourceIndex: number): void {
  for (let r = 0; r < 32; r++)
    for (let c = 0; c < 32; c++)
      for (let ch = 0; ch < 3; ch++) {
        const got = pixels[k * 3072 + (r * 32 + c) * 3 + ch];
        if (got !== cifarPixel(sourceIndex, ch, r, c)) assert.fail(`example ${k} r${r} c${c} ch${ch}: ${got}`);
      }
}

describe('CIFAR-10 binary', () => {
  const d = join(dir, 'c10');
  writeCifar10(d, 2, 3);

  test('reads all batches in order with labels and HWC pixels', () => {
    const raw = readCifar10(d);
    assert.deepEqual(raw.shape, [32, 32, 3]);
    assert.equal(raw.numClasses, 10);
    assert.equal(raw.train.n, 10);
    assert.equal(raw.test.n, 3);
    assert.deepEqual([...raw.train.y], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...raw.test.y], [9, 8, 7]);
    for (let k = 0; k < 10; k++) checkHwc(raw.train.pixels, k, k);
    for (let k = 0; k < 3; k++) checkHwc(raw.test.pixels, k, 1000 + k);
    // One pixel spelled out: example 1, row 2, col 5, green = (31 + 101 + 14 + 15) % 256.
    assert.equal(raw.train.pixels[3072 + (2 * 32 + 5) * 3 + 1], 161);
  });

  test('accepts the folder that contains cifar-10-batches-bin', () => {
    const outer = join(dir, 'outer');
    writeCifar10(join(outer, 'cifar-10-batches-bin'), 1, 1);
    assert.equal(readCifar10(outer).train.n, 5);
  });

  test('the registry converts to floats and subsamples', () => {
    const ds = loadDataset({ id: 'cifar10', path: d, trainSize: 5 }, 3);
    assert.equal(ds.train.n, 5);
    assert.equal(ds.test.n, 3);
    assert.equal(ds.train.x.length, 5 * 3072);
    const label = ds.train.y[0]; // training example with label L is source example L
    assert.equal(ds.train.x[(2 * 32 + 5) * 3 + 1], Math.fround(cifarPixel(label, 1, 2, 5) / 255));
  });

  test('missing batch file is named', () => {
    const m = join(dir, 'missing');
    writeCifar10(m, 1, 1);
    rmSync(join(m, 'data_batch_3.bin'));
    throwsAbout(() => readCifar10(m), join(m, 'data_batch_3.bin'), 'file not found');
  });

  test('wrong record size is named', () => {
    const w = join(dir, 'wrongsize');
    writeCifar10(w, 1, 1);
    const f = write(w, 'data_batch_2.bin', Buffer.concat([cifarBytes([[1]]), Buffer.alloc(10)]));
    throwsAbout(() => readCifar10(w), f, 'size 3083 bytes is not a multiple of the 3073-byte CIFAR-10 record');
  });

  test('label out of range is named', () => {
    const w = join(dir, 'badlabel');
    writeCifar10(w, 1, 1);
    const f = write(w, 'test_batch.bin', cifarBytes([[3], [10]]));
    throwsAbout(() => readCifar10(w), f, 'record 1 has label 10, but CIFAR-10 labels are 0-9');
  });

  test('missing folder', () => {
    throwsAbout(() => readCifar10(join(dir, 'nowhere')), join(dir, 'nowhere'), 'does not exist');
  });
});

describe('CIFAR-100 binary', () => {
  test('uses fine labels and converts pixels', () => {
    const d = join(dir, 'c100');
    write(
      d,
      'train.bin',
      cifarBytes([
        [0, 99],
        [19, 42],
        [5, 7],
      ]),
    );
    write(d, 'test.bin', cifarBytes([[1, 3]], 1000));
    const raw = readCifar100(d);
    assert.equal(raw.numClasses, 100);
    assert.deepEqual([...raw.train.y], [99, 42, 7]);
    assert.deepEqual([...raw.test.y], [3]);
    for (let k = 0; k < 3; k++) checkHwc(raw.train.pixels, k, k);
    checkHwc(raw.test.pixels, 0, 1000);
  });

  test('bad fine or coarse label, bad size, missing file', () => {
    const d = join(dir, 'c100bad');
    const train = write(d, 'train.bin', cifarBytes([[0, 100]]));
    write(d, 'test.bin', cifarBytes([[1, 3]]));
    throwsAbout(() => readCifar100(d), train, 'record 0 has fine label 100, but CIFAR-100 fine labels are 0-99');
    write(d, 'train.bin', cifarBytes([[20, 1]]));
    throwsAbout(() => readCifar100(d), train, 'coarse label 20');
    write(d, 'train.bin', cifarBytes([[1]])); // a CIFAR-10 record: 3073 bytes
    throwsAbout(() => readCifar100(d), train, 'not a multiple of the 3074-byte CIFAR-100 record');
    rmSync(train);
    throwsAbout(() => readCifar100(d), train, 'file not found');
  });
});
