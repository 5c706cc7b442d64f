/**
 * The client trainer's reads and batches: a task's data kept on the device (batches gathered there) gives the
 * very values of batches built on the host, and training, gradients, ascent steps and evaluation leave no
 * tensor behind, a cancelled task included.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { createOptimizer } from '../../../../src/main/engine/compute/fused-optimizer';
import { CIFAR_AUGMENT } from '../../../../src/main/engine/data/augment';
import { initAuxHead } from '../../../../src/main/engine/fl/aux-head';
import { CancelledError } from '../../../../src/main/engine/fl/cancelled';
import { ClientTrainer, type TrainResult, type TrainSettings } from '../../../../src/main/engine/fl/client-trainer';
import { Evaluator } from '../../../../src/main/engine/fl/evaluate';
import { initWeights } from '../../../../src/main/engine/models/init';
import { buildModel } from '../../../../src/main/engine/models/registry';
import { createRng } from '../../../../src/main/engine/rng';
import type { Weights } from '../../../../src/main/engine/types';
import type { ModelId } from '../../../../src/shared/catalog';

before(async () => {
  await initBackend('cpu');
});

const same = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const sameWeights = (a: Weights, b: Weights) => a.length === b.length && a.every((w, t) => same(w, b[t]));

function setup(id: ModelId, shape: [number, number, number], n: number) {
  const rng = createRng(`trainer-${id}`);
  const x = Float32Array.from({ length: n * shape[0] * shape[1] * shape[2] }, () => rng.next());
  const y = Int32Array.from({ length: n }, () => rng.int(10));
  const model = buildModel(id, shape, 10);
  return { model, data: { x, y }, global: initWeights(model.params, rng.fork('init')) };
}

function assertSameResult(a: TrainResult, b: TrainResult, what: string) {
  assert.ok(sameWeights(a.weights, b.weights), `${what}: weights differ`);
  assert.ok(same(a.exampleLoss, b.exampleLoss), `${what}: per-example losses differ`);
  assert.equal(a.meanLoss, b.meanLoss, `${what}: mean loss differs`);
  assert.equal(a.aux === undefined, b.aux === undefined);
  if (a.aux) assert.ok(sameWeights(a.aux, b.aux!), `${what}: auxiliary heads differ`);
}

for (const [id, shape, optimizer] of [
  ['mlp', [6, 6, 1], 'adam'],
  ['cnn', [8, 8, 3], 'sgd'],
] as const) {
  test(`${id} (${optimizer}): data kept on the device trains to the same bits as batches built on the host`, async () => {
    const n = 50;
    const { model, data, global } = setup(id, [...shape], n);
    const host = new ClientTrainer(model, data);
    const device = new ClientTrainer(model, data, undefined, { deviceResidentData: true });
    // A shuffled subset of uneven size, so batches are partial and positions differ from indices.
    const indices = Int32Array.from({ length: 37 }, (_, i) => (i * 7) % n);
    const settings: TrainSettings = { localEpochs: 2, batchSize: 8, optimizer, lr: 0.05, momentum: 0.9 };
    const task = { client: 0, indices, seed: 'task' };
    try {
      const plain = await host.train(global, task, settings);
      assert.ok(!sameWeights(plain.weights, global), 'training moved the model, so equality has teeth');
      assertSameResult(plain, await device.train(global, task, settings), 'plain');

      const aux = { weights: initAuxHead(model, createRng('head')), labels: indices.map((_, k) => k % 10) };
      assertSameResult(
        await host.train(global, { ...task, aux }, settings),
        await device.train(global, { ...task, aux }, settings),
        'with the auxiliary head',
      );

      const augmented = { ...settings, augment: CIFAR_AUGMENT };
      assertSameResult(
        await host.train(global, task, augmented),
        await device.train(global, task, augmented),
        'augmented',
      );

      assert.ok(
        sameWeights(await host.gradient(global, indices, 9), await device.gradient(global, indices, 9)),
        'gradients differ',
      );
    } finally {
      host.dispose();
      device.dispose();
    }
  });
}

test('training, gradients, ascent steps and evaluation leave no tensor behind', async () => {
  const n = 30;
  const { model, data, global } = setup('cnn', [8, 8, 1], n);
  const indices = Int32Array.from({ length: n }, (_, i) => i);
  const settings: TrainSettings = { localEpochs: 2, batchSize: 7, optimizer: 'adam', lr: 0.01, momentum: 0.9 };
  const aux = { weights: initAuxHead(model, createRng('head')), labels: new Int32Array(n) };
  for (const deviceResidentData of [false, true]) {
    const trainer = new ClientTrainer(model, data, undefined, { deviceResidentData });
    const evaluator = new Evaluator(model);
    // Made once: tf.train's momentum optimizer keeps one scalar past its dispose() (tfjs 4.22).
    const optimizer = createOptimizer({ optimizer: 'sgd', lr: 0.1, momentum: 0.9 });
    const work = async () => {
      await trainer.train(global, { client: 0, indices, seed: 's' }, settings);
      await trainer.train(global, { client: 0, indices, seed: 's', aux }, settings);
      await trainer.train(global, { client: 0, indices, seed: 's' }, { ...settings, augment: CIFAR_AUGMENT });
      await trainer.gradient(global, indices, 8);
      await trainer.ascentStep(optimizer, indices.subarray(0, 5), indices, 0.5);
      await trainer.read();
      await evaluator.run(global, data, indices, n);
      await evaluator.run(global, data, null, n);
      await evaluator.probabilities(global, data, indices, 4);
      await evaluator.features(global, data, indices, 4);
    };
    // The first pass makes the auxiliary head's variables, which the trainer keeps.
    await work();
    const before = tf.memory().numTensors;
    await work();
    assert.equal(tf.memory().numTensors, before, `deviceResidentData ${deviceResidentData}`);
    optimizer.dispose();
    trainer.dispose();
    evaluator.dispose();
  }
});

test('a task cancelled between batches throws CancelledError and leaves no tensor behind', async () => {
  const n = 40;
  const { model, data, global } = setup('mlp', [6, 6, 1], n);
  const indices = Int32Array.from({ length: n }, (_, i) => i);
  const settings: TrainSettings = { localEpochs: 1, batchSize: 8, optimizer: 'adam', lr: 0.01, momentum: 0.9 };
  for (const deviceResidentData of [false, true]) {
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const trainer = new ClientTrainer(model, data, stop, { deviceResidentData });
    const aux = { weights: initAuxHead(model, createRng('head')), labels: new Int32Array(n) };
    await trainer.train(global, { client: 0, indices, seed: 's', aux }, settings);
    const before = tf.memory().numTensors;
    // The auxiliary head reads one label per example of a batch: the third batch raises the flag, so the task
    // stops before its fourth with three steps' losses unread.
    let reads = 0;
    const labels = new Proxy(aux.labels, {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key) && ++reads === 2 * settings.batchSize + 1)
          Atomics.store(stop, 0, 1);
        return Reflect.get(target, key) as unknown;
      },
    });
    const task = { client: 0, indices, seed: 's', aux: { ...aux, labels } };
    await assert.rejects(trainer.train(global, task, settings), CancelledError);
    assert.equal(reads, 3 * settings.batchSize, 'stopped after three batches');
    assert.equal(tf.memory().numTensors, before, `deviceResidentData ${deviceResidentData}`);
    trainer.dispose();
  }
});
