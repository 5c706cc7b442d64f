/**
 * The cheap read of a dataset's sizes that configs are checked against before a run is stored
 * (main/dataset-files/dataset-facts.ts), on real IDX and CIFAR files written here, the bundled MNIST
 * and, when installed, Debian's Fashion-MNIST.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseConfig } from '../../../src/shared/config';
import { MNIST_FACTS } from '../../../src/shared/data-limits';
import { getPreset } from '../../../src/shared/presets';
import { cachedFactsReader, dataIssues, readDatasetFacts } from '../../../src/main/dataset-files/dataset-facts';
import { DatasetError } from '../../../src/main/dataset-files/dataset-error';
import { readIdx, readIdxHeader } from '../../../src/main/dataset-files/idx-file';
import { mnistDataDir } from '../../../src/main/engine/data/mnist';
import { cifarBytes, imagesBytes, labelsBytes, tempDir, write, writeCifar10 } from '../engine/data/fixtures';

const { dir: root, cleanup } = tempDir('facts');
after(cleanup);

const TRAIN_LABELS = [0, 1, 2, 0, 1, 2, 0, 0];
const TEST_LABELS = [2, 1, 0, 0];

function writeIdxFolder(name: string, gzip: boolean): string {
  const dir = join(root, name);
  const ext = gzip ? '.gz' : '';
  write(
    dir,
    `train-images-idx3-ubyte${ext}`,
    imagesBytes(TRAIN_LABELS.length, 6, 5, (i) => i),
    gzip,
  );
  write(dir, `train-labels-idx1-ubyte${ext}`, labelsBytes(TRAIN_LABELS), gzip);
  write(
    dir,
    `t10k-images-idx3-ubyte${ext}`,
    imagesBytes(TEST_LABELS.length, 6, 5, (i) => i),
    gzip,
  );
  write(dir, `t10k-labels-idx1-ubyte${ext}`, labelsBytes(TEST_LABELS), gzip);
  return dir;
}

const tiny = getPreset('tiny');
const onDataset = (dataset: object, request: object) =>
  parseConfig({ ...tiny, dataset, partition: { clients: 2 }, unlearning: { ...tiny.unlearning!, request } });
const cifarFacts = (name: string, numClasses: number, trainCount: number, testCount: number) => ({
  name,
  numClasses,
  trainCount,
  testCount,
  trainClassCounts: null,
  imageSize: [32, 32],
});

describe('IDX folders', () => {
  for (const gzip of [false, true]) {
    test(`classes, class counts and sizes from the labels, image size from the header (${gzip ? 'gzipped' : 'plain'})`, () => {
      const dir = writeIdxFolder(gzip ? 'idx-gz' : 'idx', gzip);
      assert.deepEqual(readDatasetFacts({ id: 'idx', path: dir }), {
        name: `the IDX folder ${JSON.stringify(dir)}`,
        numClasses: 3,
        trainCount: 8,
        testCount: 4,
        trainClassCounts: [4, 2, 2],
        imageSize: [6, 5],
      });
      assert.deepEqual(dataIssues(onDataset({ id: 'idx', path: dir }, { kind: 'class', class: 2 })), []);
      assert.deepEqual(dataIssues(onDataset({ id: 'idx', path: dir }, { kind: 'class', class: 3 })), [
        {
          path: 'unlearning.request.class',
          message: `the IDX folder ${JSON.stringify(dir)} has classes 0-2; 3 is not one of them`,
        },
      ]);
    });
  }

  test('the image header is read without the data: a file cut short still gives its header', () => {
    const full = imagesBytes(1000, 6, 5, (i) => i % 256);
    const plain = write(root, 'cut-images-idx3-ubyte', full.subarray(0, 100));
    assert.deepEqual(readIdxHeader(plain, 'images'), [1000, 6, 5]);
    assert.throws(() => readIdx(plain, 'images'), /is truncated/);
    // A gzip stream cut in half cannot be decompressed whole; its first bytes still can.
    const gz = gzipSync(full);
    const cutGz = join(root, 'cut-images-idx3-ubyte.gz');
    writeFileSync(cutGz, gz.subarray(0, gz.length >> 1));
    assert.deepEqual(readIdxHeader(cutGz, 'images'), [1000, 6, 5]);
    assert.throws(() => readIdx(cutGz, 'images'), DatasetError);
  });

  const fashion = '/usr/share/datasets/fashion-mnist';
  const notInstalled = !existsSync(fashion) && 'dataset-fashion-mnist is not installed';
  test('Debian Fashion-MNIST (gzipped IDX): 10 balanced classes, 60000/10000, 28x28', { skip: notInstalled }, () => {
    const facts = readDatasetFacts({ id: 'idx', path: fashion })!;
    const counts = new Array(10).fill(6000);
    assert.deepEqual(
      { ...facts, name: null },
      {
        name: null,
        numClasses: 10,
        trainCount: 60_000,
        testCount: 10_000,
        trainClassCounts: counts,
        imageSize: [28, 28],
      },
    );
    const config = onDataset({ id: 'idx', path: fashion, trainSize: 600 }, { kind: 'examples', randomExamples: 1e9 });
    assert.deepEqual(dataIssues(config), [
      {
        path: 'unlearning.request.randomExamples',
        message:
          'must be at most 599: dataset.trainSize keeps 600 training examples and at least one must remain to train on',
      },
    ]);
  });
});

describe('CIFAR folders', () => {
  test("record counts from the batch files' sizes, plain or gzipped (its trailer's size)", () => {
    const dir = join(root, 'cifar10');
    writeCifar10(dir, 2, 3);
    const test = join(dir, 'test_batch.bin');
    writeFileSync(test, gzipSync(readFileSync(test)));
    assert.deepEqual(readDatasetFacts({ id: 'cifar10', path: dir }), cifarFacts('CIFAR-10', 10, 10, 3));
    assert.deepEqual(dataIssues(onDataset({ id: 'cifar10', path: dir }, { kind: 'examples', examples: [9] })), []);
    const beyond = dataIssues(onDataset({ id: 'cifar10', path: dir }, { kind: 'examples', examples: [10] }));
    assert.deepEqual(
      beyond.map((i) => i.path),
      ['unlearning.request.examples.0'],
    );
  });

  test('CIFAR-100 has 100 classes and 2 label bytes per record', () => {
    const dir = join(root, 'cifar100');
    write(
      dir,
      'train.bin',
      cifarBytes([
        [0, 5],
        [1, 99],
        [2, 7],
      ]),
    );
    write(dir, 'test.bin', cifarBytes([[3, 3]]));
    assert.deepEqual(readDatasetFacts({ id: 'cifar100', path: dir }), cifarFacts('CIFAR-100', 100, 3, 1));
  });

  test('a file that is no whole number of records tells nothing: the engine will name it', () => {
    const dir = join(root, 'cifar-odd');
    writeCifar10(dir, 2, 3);
    writeFileSync(join(dir, 'data_batch_3.bin'), Buffer.alloc(100));
    assert.equal(readDatasetFacts({ id: 'cifar10', path: dir }), null);
    assert.deepEqual(dataIssues(onDataset({ id: 'cifar10', path: dir }, { kind: 'class', class: 99 })), []);
  });
});

test('a batch file that is a FIFO is not opened (that would wait for a writer): nothing to tell', () => {
  const dir = join(root, 'cifar-fifo');
  writeCifar10(dir, 2, 3);
  rmSync(join(dir, 'data_batch_2.bin'));
  assert.equal(spawnSync('mkfifo', [join(dir, 'data_batch_2.bin')]).status, 0);
  assert.equal(readDatasetFacts({ id: 'cifar10', path: dir }), null);
});

test("a folder that is not there is the engine's to report (a study's workers may have it): no refusal here", () => {
  const missing = join(root, 'nowhere');
  assert.throws(() => readDatasetFacts({ id: 'idx', path: missing }), DatasetError);
  assert.deepEqual(dataIssues(onDataset({ id: 'idx', path: missing }, { kind: 'class', class: 99 })), []);
});

test('the cached reader reads each dataset once', () => {
  const dir = writeIdxFolder('idx-once', false);
  const read = cachedFactsReader();
  const first = read(parseConfig({ ...tiny, dataset: { id: 'idx', path: dir } }).dataset);
  rmSync(dir, { recursive: true });
  assert.deepEqual(read(parseConfig({ ...tiny, dataset: { id: 'idx', path: dir, trainSize: 5 } }).dataset), first);
  assert.throws(() => readDatasetFacts({ id: 'idx', path: dir }), DatasetError);
});

test("MNIST_FACTS are the bundled files' sizes and class counts", () => {
  const labels = (name: string) => readIdx(join(mnistDataDir(), name), 'labels').data;
  const train = labels('train-labels-idx1-ubyte');
  const counts = new Array(10).fill(0);
  for (const l of train) counts[l]++;
  assert.equal(train.length, MNIST_FACTS.trainCount);
  assert.equal(labels('t10k-labels-idx1-ubyte').length, MNIST_FACTS.testCount);
  assert.deepEqual(counts, MNIST_FACTS.trainClassCounts);
});
