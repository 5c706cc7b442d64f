/**
 * FedAU's auxiliary head in the client trainer: training it leaves the backbone and the main head bit
 * for bit as they are without it (same seed, same batches), while the head itself learns its labels;
 * and its random labels touch exactly the examples to forget, never giving the true label.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { auxLabels, initAuxHead } from '../../../../src/main/engine/fl/aux-head';
import { ClientTrainer, type TrainSettings } from '../../../../src/main/engine/fl/client-trainer';
import { initWeights } from '../../../../src/main/engine/models/init';
import { buildModel } from '../../../../src/main/engine/models/registry';
import { createRng } from '../../../../src/main/engine/rng';
import type { ModelId } from '../../../../src/shared/catalog';

before(async () => {
  await initBackend('cpu');
});

const same = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function setup(id: ModelId, shape: [number, number, number], n: number) {
  const rng = createRng(`aux-${id}`);
  const x = Float32Array.from({ length: n * shape[0] * shape[1] * shape[2] }, () => rng.next());
  const y = Int32Array.from({ length: n }, () => rng.int(10));
  const model = buildModel(id, shape, 10);
  return { model, trainer: new ClientTrainer(model, { x, y }), global: initWeights(model.params, rng.fork('init')), y };
}

for (const [id, shape, optimizer] of [
  ['mlp', [6, 6, 1], 'adam'],
  ['cnn', [8, 8, 1], 'sgd'],
] as const) {
  test(`${id} (${optimizer}): one local epoch with the auxiliary head leaves every model weight bit-identical`, async () => {
    const n = 40;
    const { model, trainer, global } = setup(id, [...shape], n);
    const settings: TrainSettings = { localEpochs: 1, batchSize: 8, optimizer, lr: 0.05, momentum: 0.9 };
    const indices = Int32Array.from({ length: n }, (_, i) => i);
    const head = initAuxHead(model, createRng('head'));
    const labels = Int32Array.from({ length: n }, () => 3);
    const plain = await trainer.train(global, { client: 0, indices, seed: 'task' }, settings);
    const withAux = await trainer.train(
      global,
      { client: 0, indices, seed: 'task', aux: { weights: head, labels } },
      settings,
    );
    trainer.dispose();

    assert.ok(
      plain.weights.some((w, t) => !same(w, global[t])),
      'training moved the model, so equality has teeth',
    );
    plain.weights.forEach((w, t) =>
      assert.ok(same(w, withAux.weights[t]), `${model.params[t].name} differs with the auxiliary head`),
    );
    assert.ok(same(plain.exampleLoss, withAux.exampleLoss), 'per-example losses differ');
    assert.equal(plain.meanLoss, withAux.meanLoss);
    assert.equal(plain.aux, undefined);

    // The head trained on its own labels (all class 3): class 3's bias rose more than any other's.
    const [w, b] = withAux.aux!;
    assert.deepEqual([w.length, b.length], [head[0].length, head[1].length]);
    assert.ok(!same(w, head[0]), 'the auxiliary matrix did not move');
    const rise = Array.from(b, (v, c) => v - head[1][c]);
    assert.equal(rise.indexOf(Math.max(...rise)), 3);
  });
}

test('random labels: only the examples to forget change, never to their own label, reproducibly', () => {
  const y = Int32Array.from({ length: 2000 }, (_, i) => i % 10);
  const forget = Int32Array.from({ length: 1000 }, (_, k) => 2 * k);
  const a = auxLabels(y, forget, 10, createRng('s'));
  assert.deepEqual(a, auxLabels(y, forget, 10, createRng('s')));
  assert.notDeepEqual(a, auxLabels(y, forget, 10, createRng('t')), 'another seed, other labels');
  for (let i = 0; i < y.length; i++) {
    if (i % 2 === 1) assert.equal(a[i], y[i], `example ${i} is kept and must keep its label`);
    else assert.ok(a[i] !== y[i] && a[i] >= 0 && a[i] < 10, `example ${i}: ${a[i]}`);
  }
  // Uniform over the 9 other classes: each occurs about 1000 / 9 ~ 111 times.
  const counts = new Array(10).fill(0);
  for (const i of forget) counts[(a[i] - y[i] + 10) % 10]++;
  assert.equal(counts[0], 0);
  assert.ok(
    counts.slice(1).every((c) => c > 70 && c < 160),
    `offsets ${counts}`,
  );
  assert.deepEqual(y.slice(0, 3), Int32Array.from([0, 1, 2]), 'the input labels are not modified');
});
