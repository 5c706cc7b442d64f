/**
 * FedAvg end to end on real MNIST with the real pool: bit-identical global weights whatever the
 * worker count, learning actually happens, divergence stops with a clear error, a training continued
 * from a saved round replays it and ends identical, no tensor leaks.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/main/engine/compute/backend';
import { loadDataset } from '../../../src/main/engine/data/registry';
import { makePartition } from '../../../src/main/engine/data/partition';
import { ClientTrainer, type TrainSettings } from '../../../src/main/engine/fl/client-trainer';
import { Evaluator } from '../../../src/main/engine/fl/evaluate';
import { DivergenceError, runFedAvg, CancelledError, type FedAvgState } from '../../../src/main/engine/fl/fedavg';
import { createPool, type ClientPool } from '../../../src/main/engine/fl/pool';
import { initWeights } from '../../../src/main/engine/models/init';
import { buildModel } from '../../../src/main/engine/models/registry';
import { createRng } from '../../../src/main/engine/rng';
import type { Dataset, Partition } from '../../../src/main/engine/types';

let dataset: Dataset;
let partition: Partition;
let evaluator: Evaluator;
const model = buildModel('cnn', [28, 28, 1], 10);
const settings: TrainSettings = { localEpochs: 1, batchSize: 32, optimizer: 'adam', lr: 1e-3, momentum: 0.9 };
const pools: ClientPool[] = [];

before(async () => {
  await initBackend('wasm');
  dataset = loadDataset({ id: 'mnist', trainSize: 600, testSize: 300 }, 7);
  partition = makePartition(dataset.train.y, 10, { clients: 3, scheme: 'iid' }, createRng(7).fork('partition'));
  evaluator = new Evaluator(model);
});

after(async () => {
  await Promise.all(pools.map((p) => p.close()));
  evaluator.dispose();
});

async function pool(workers: number): Promise<ClientPool> {
  const p = await createPool({
    modelId: 'cnn',
    inputShape: [28, 28, 1],
    numClasses: 10,
    backend: 'wasm',
    data: dataset.train,
    workers,
  });
  pools.push(p);
  return p;
}

function train(p: ClientPool, rounds: number, extra: Partial<Parameters<typeof runFedAvg>[0]> = {}) {
  return runFedAvg({
    stage: 'original',
    initial: initWeights(model.params, createRng(7).fork('init')),
    clients: [0, 1, 2],
    clientIndices: partition.clients,
    rounds,
    settings,
    aggregation: 'mean',
    clientFraction: 1,
    seed: 7,
    pool: p,
    evaluateTest: (w) => evaluator.run(w, dataset.test, null, dataset.test.n),
    ...extra,
  });
}

test('1 worker and 3 workers give bit-identical global weights and metrics', async () => {
  const one = await train(await pool(1), 2);
  const three = await train(await pool(3), 2);
  assert.equal(one.weights.length, three.weights.length);
  one.weights.forEach((w, i) =>
    assert.ok(Buffer.from(w.buffer).equals(Buffer.from(three.weights[i].buffer)), `tensor ${i} differs`),
  );
  assert.deepEqual(
    one.rounds.map((r) => r.testAccuracy),
    three.rounds.map((r) => r.testAccuracy),
  );
  assert.deepEqual(
    one.rounds.map((r) => r.clients),
    three.rounds.map((r) => r.clients),
  );
});

test('the in-process trainer gives the same weights as the worker pool', async () => {
  const viaPool = await train(pools[0], 1);
  const trainer = new ClientTrainer(model, dataset.train);
  const p: ClientPool = {
    kind: 'in-process',
    size: 1,
    train: async (g, tasks, s) => {
      const out = [];
      for (const t of tasks) out.push(await trainer.train(g, t, s));
      return out;
    },
    gradients: async (g, tasks, b) => {
      const out = [];
      for (const t of tasks) out.push(await trainer.gradient(g, t.indices, b));
      return out;
    },
    close: async () => trainer.dispose(),
  };
  pools.push(p);
  const inProc = await train(p, 1);
  inProc.weights.forEach((w, i) =>
    assert.ok(Buffer.from(w.buffer).equals(Buffer.from(viaPool.weights[i].buffer)), `tensor ${i} differs`),
  );
});

test('training learns: test accuracy after 3 rounds is far above chance', async () => {
  const r = await train(pools[1], 3);
  assert.ok(r.rounds[2].testAccuracy > 0.6, `accuracy ${r.rounds[2].testAccuracy}`);
  assert.ok(r.rounds[2].trainLoss < r.rounds[0].trainLoss);
  assert.deepEqual(
    r.rounds.map((x) => x.round),
    [1, 2, 3],
  );
  assert.ok(r.rounds.every((x, i) => i === 0 || x.elapsedMs > r.rounds[i - 1].elapsedMs));
});

test('a diverging run stops with a clear error naming stage and round', async () => {
  const blowUp = { ...settings, optimizer: 'sgd' as const, lr: 1e30 };
  await assert.rejects(train(pools[0], 3, { settings: blowUp }), (e: unknown) => {
    assert.ok(e instanceof DivergenceError);
    assert.match(
      (e as Error).message,
      /training diverged in original at round 1: client \d+ produced a non-finite loss/,
    );
    return true;
  });
});

test('cancellation stops between rounds and keeps the rounds already recorded', async () => {
  const controller = new AbortController();
  const seen: number[] = [];
  await assert.rejects(
    train(pools[0], 5, {
      signal: controller.signal,
      hooks: {
        onRound: (r) => {
          seen.push(r.round);
          if (r.round === 2) controller.abort();
        },
      },
    }),
    CancelledError,
  );
  assert.deepEqual(seen, [1, 2]);
});

test('continued from a saved round: the saved rounds are handed on as replayed, the rest trained, the end identical', async () => {
  const saved: FedAvgState[] = [];
  const whole = await train(pools[0], 3, { checkpoint: { from: null, save: (state) => saved.push(state) } });
  assert.deepEqual(
    saved.map((st) => st.round),
    [1, 2],
    'saved after each round but the last',
  );
  const seen: [number, boolean][] = [];
  const continued = await train(pools[0], 3, {
    checkpoint: { from: saved[0], save: () => undefined },
    hooks: { onRound: (r, replayed) => void seen.push([r.round, replayed === true]) },
  });
  assert.deepEqual(seen, [
    [1, true],
    [2, false],
    [3, false],
  ]);
  continued.weights.forEach((w, i) =>
    assert.ok(Buffer.from(w.buffer).equals(Buffer.from(whole.weights[i].buffer)), `tensor ${i} differs`),
  );
});

test('no tensor leak: tf.memory().numTensors is flat across rounds on the main thread', async () => {
  const trainer = new ClientTrainer(model, dataset.train);
  const g = initWeights(model.params, createRng(1));
  const task = { client: 0, indices: partition.clients[0].subarray(0, 64), seed: 'leak' };
  await trainer.train(g, task, settings);
  await evaluator.run(g, dataset.test, null, 100);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    await trainer.train(g, task, settings);
    await evaluator.run(g, dataset.test, null, 100);
  }
  assert.equal(tf.memory().numTensors, before);
  trainer.dispose();
});
