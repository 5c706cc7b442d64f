/**
 * FedAU's defining property: the unlearned final layer is exactly (1 - alpha) main + alpha auxiliary,
 * element by element, and every other tensor (the backbone) is an untouched copy. Plus its config.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plannedRounds } from '../../../../src/shared/method-rounds';
import { unlearningSchema } from '../../../../src/shared/unlearning-config';
import { methodSchema } from '../../../../src/shared/method-schemas';
import { buildCnn } from '../../../../src/main/engine/models/cnn';
import { initWeights } from '../../../../src/main/engine/models/init';
import { createRng } from '../../../../src/main/engine/rng';
import { combineHeads, fedauWeights } from '../../../../src/main/engine/unlearning/fedau';

const same = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

test('combination on hand-made heads: (1 - alpha) main + alpha aux', () => {
  const main = Float32Array.from([1, -2, 0.5, 4]);
  const aux = Float32Array.from([3, 2, -0.5, 0]);
  assert.deepEqual(Array.from(combineHeads(main, aux, 0.25)), [1.5, -1, 0.25, 3]);
  assert.deepEqual(Array.from(combineHeads(main, aux, 0)), Array.from(main), 'alpha 0 keeps the main head');
  assert.deepEqual(Array.from(combineHeads(main, aux, 1)), Array.from(aux), 'alpha 1 is the auxiliary head');
  assert.throws(() => combineHeads(main, aux.subarray(1), 0.5), /differ in size/);
});

test('the unlearned model: head replaced by the combination, backbone bit-identical copies', () => {
  const model = buildCnn([28, 28, 1], 10);
  const original = initWeights(model.params, createRng(1));
  const aux = [
    Float32Array.from({ length: 64 * 10 }, (_, k) => Math.sin(k)),
    Float32Array.from({ length: 10 }, (_, k) => k / 10),
  ];
  const out = fedauWeights(original, model.head, aux, 0.9);
  const w = original[model.head.weight];
  const b = original[model.head.bias];
  for (let k = 0; k < w.length; k++)
    assert.equal(out[model.head.weight][k], Math.fround((1 - 0.9) * w[k] + 0.9 * aux[0][k]));
  for (let k = 0; k < b.length; k++)
    assert.equal(out[model.head.bias][k], Math.fround((1 - 0.9) * b[k] + 0.9 * aux[1][k]));
  assert.ok(!same(out[model.head.weight], w), 'the head changed, so the check has teeth');
  original.forEach((t, i) => {
    if (i === model.head.weight || i === model.head.bias) return;
    assert.ok(same(out[i], t), `${model.params[i].name} moved`);
    assert.notEqual(out[i], t, 'a copy, not the original array');
  });
});

test('config: alpha 0.9 and all clients by default, strict, one auxiliary setting per run; one recorded round', () => {
  const m = methodSchema.parse({ id: 'fedau' });
  assert.deepEqual(m, { id: 'fedau', alpha: 0.9, auxClients: 'all' });
  assert.equal(methodSchema.safeParse({ id: 'fedau', rounds: 3 }).success, false, 'FedAU does no retraining rounds');
  assert.equal(methodSchema.safeParse({ id: 'fedau', alpha: 1.5 }).success, false);
  const request = { kind: 'clients', clients: [0] };
  assert.ok(
    unlearningSchema.safeParse({ request, methods: [{ id: 'fedau' }, { id: 'fedau', alpha: 0.5, label: 'FedAU 0.5' }] })
      .success,
  );
  const mixed = unlearningSchema.safeParse({
    request,
    methods: [{ id: 'fedau' }, { id: 'fedau', auxClients: 'forgetting', label: 'code' }],
  });
  assert.equal(mixed.success, false);
  assert.deepEqual(mixed.error.issues[0].path, ['methods', 1, 'auxClients']);
  assert.equal(plannedRounds(m, 50), 1);
});
