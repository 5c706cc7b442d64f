/**
 * Evaluation split between the training workers (fl/pool-evaluation.ts) against the engine thread's own: on real
 * MNIST, a trained CNN's per-example probabilities, predictions and losses, and the accuracy and mean loss, are
 * bit-identical for the test set and for a subset of the training set, with 1 and 2 workers; data the workers do
 * not hold stays on the engine thread.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { initBackend } from '../../../src/main/engine/compute/backend';
import { loadDataset } from '../../../src/main/engine/data/registry';
import { Evaluator } from '../../../src/main/engine/fl/evaluate';
import { createPool, type ClientPool } from '../../../src/main/engine/fl/pool';
import { MIN_EXAMPLES_PER_WORKER } from '../../../src/main/engine/fl/pool-evaluation';
import { initWeights } from '../../../src/main/engine/models/init';
import { buildModel } from '../../../src/main/engine/models/registry';
import { createRng } from '../../../src/main/engine/rng';
import type { Dataset, Weights } from '../../../src/main/engine/types';

const model = buildModel('cnn', [28, 28, 1], 10);
let dataset: Dataset;
let weights: Weights;
const pools: ClientPool[] = [];
let local: Evaluator;

before(async () => {
  await initBackend('wasm');
  local = new Evaluator(model);
  dataset = loadDataset({ id: 'mnist', trainSize: 1200, testSize: 2 * MIN_EXAMPLES_PER_WORKER + 37 }, 11);
  // A little training, so predictions are neither uniform nor all one class.
  const pool = await cnnPool(1, false);
  const all = Int32Array.from({ length: dataset.train.n }, (_, i) => i);
  const settings = { localEpochs: 1, batchSize: 32, optimizer: 'adam' as const, lr: 1e-3, momentum: 0.9 };
  const [r] = await pool.train(
    initWeights(model.params, createRng(3)),
    [{ client: 0, indices: all, seed: 's' }],
    settings,
  );
  weights = r.weights;
});

/** A wasm pool of the CNN on the training set (and the test set, where `withTest`), closed after the file. */
async function cnnPool(workers: number, withTest: boolean): Promise<ClientPool> {
  const pool = await createPool({
    modelId: 'cnn',
    inputShape: [28, 28, 1],
    numClasses: 10,
    backend: 'wasm',
    data: dataset.train,
    ...(withTest && { test: dataset.test }),
    workers,
  });
  pools.push(pool);
  return pool;
}

after(async () => {
  await Promise.all(pools.map((p) => p.close()));
  local.dispose();
});

for (const workers of [1, 2]) {
  test(`evaluation on ${workers} worker(s) equals the engine thread's, bit for bit`, async () => {
    const pool = await cnnPool(workers, true);
    const offload = pool.evaluationOffload!();
    const remote = new Evaluator(model, offload);
    try {
      const subset = Int32Array.from({ length: 700 }, (_, i) => (i * 7) % dataset.train.n);
      for (const [data, indices, count] of [
        [dataset.test, null, dataset.test.n],
        [dataset.train, subset, subset.length],
      ] as const) {
        assert.equal(offload.holds(data), true);
        const mine = await local.run(weights, data, indices, count);
        const theirs = await remote.run(weights, data, indices, count);
        assert.ok(mine.accuracy > 0.3 && mine.accuracy < 1, `a trained, imperfect model (${mine.accuracy})`);
        assert.equal(theirs.n, mine.n);
        assert.equal(theirs.accuracy, mine.accuracy);
        assert.equal(theirs.loss, mine.loss);
        for (const k of ['probTrue', 'correct', 'loss', 'predicted'] as const) {
          assert.deepEqual(theirs.perExample[k], mine.perExample[k], k);
        }
      }
      // A copy of the test set is other data as far as the workers know: it stays here.
      assert.equal(offload.holds({ x: dataset.test.x.slice(), y: dataset.test.y }), false);
    } finally {
      remote.dispose();
    }
  });
}
