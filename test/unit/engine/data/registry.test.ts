import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { join } from 'node:path';
import { DatasetConfigError } from '../../../../src/main/engine/data/errors';
import { listDatasets, loadDataset, loadDatasetWithIndices } from '../../../../src/main/engine/data/registry';
import { imagesBytes, labelsBytes, tempDir, write } from './fixtures';

const { dir, cleanup } = tempDir('registry');
after(cleanup);

describe('dataset registry', () => {
  test('lists every built-in dataset for the UI', () => {
    const list = listDatasets();
    assert.deepEqual(
      list.map((d) => d.id),
      ['mnist', 'idx', 'cifar10', 'cifar100', 'synthetic'],
    );
    assert.deepEqual(
      list.filter((d) => d.needsPath).map((d) => d.id),
      ['idx', 'cifar10', 'cifar100'],
    );
    for (const d of list) assert.ok(d.name && d.description.length > 20);
  });

  test('a missing path names dataset.path', () => {
    for (const id of ['idx', 'cifar10', 'cifar100'] as const) {
      assert.throws(
        () => loadDataset({ id }, 1),
        (e: unknown) =>
          e instanceof DatasetConfigError && e.field === 'dataset.path' && /^dataset\.path: /.test(e.message),
      );
    }
  });

  test('sizes larger than the data name the field', () => {
    assert.throws(
      () => loadDataset({ id: 'mnist', trainSize: 70000 }, 1),
      /dataset\.trainSize: asks for 70000 examples but the MNIST training split has 60000/,
    );
    assert.throws(() => loadDataset({ id: 'mnist', trainSize: 10, testSize: 20000 }, 1), /dataset\.testSize/);
  });

  test('synthetic loads deterministically from the seed with the requested sizes', () => {
    const a = loadDataset({ id: 'synthetic', trainSize: 120, testSize: 30 }, 5);
    assert.equal(a.train.n, 120);
    assert.equal(a.test.n, 30);
    assert.deepEqual(a.shape, [28, 28, 1]);
    assert.equal(a.numClasses, 10);
    assert.deepEqual(a, loadDataset({ id: 'synthetic', trainSize: 120, testSize: 30 }, 5));
    assert.notDeepEqual(a.train.x, loadDataset({ id: 'synthetic', trainSize: 120, testSize: 30 }, 6).train.x);
  });

  test('idx folder through the registry, subsamples seeded and independent per split', () => {
    const d = join(dir, 'idx');
    const n = 60;
    write(
      d,
      'train-images-idx3-ubyte',
      imagesBytes(n, 2, 2, (i) => i),
    );
    write(d, 'train-labels-idx1-ubyte', labelsBytes(Array.from({ length: n }, (_, i) => i % 3)));
    write(
      d,
      't10k-images-idx3-ubyte',
      imagesBytes(30, 2, 2, (i) => 100 + i),
    );
    write(d, 't10k-labels-idx1-ubyte', labelsBytes(Array.from({ length: 30 }, (_, i) => i % 3)));
    const a = loadDatasetWithIndices({ id: 'idx', path: d, trainSize: 30, testSize: 9 }, 1);
    assert.equal(a.dataset.numClasses, 3);
    assert.equal(a.dataset.name, 'IDX folder');
    a.trainIndices.forEach((src, i) => assert.equal(a.dataset.train.x[4 * i], Math.fround(src / 255)));
    assert.deepEqual(
      [0, 1, 2].map((k) => a.dataset.train.y.filter((v) => v === k).length),
      [10, 10, 10],
    );
    const b = loadDatasetWithIndices({ id: 'idx', path: d, trainSize: 30, testSize: 12 }, 1);
    assert.deepEqual(a.trainIndices, b.trainIndices, 'test size does not move the train subsample');
    const c = loadDatasetWithIndices({ id: 'idx', path: d, trainSize: 30, testSize: 9 }, 2);
    assert.notDeepEqual(a.trainIndices, c.trainIndices);
  });

  test('unknown id', () => {
    assert.throws(() => loadDataset({ id: 'svhn' as 'mnist' }, 1), /dataset\.id: unknown dataset "svhn"/);
  });
});
