import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, countParams, isModelId, listModels } from '../../../../src/main/engine/models/registry';
import { MODEL_IDS } from '../../../../src/shared/catalog';
import { defaultInit } from '../../../../src/main/engine/models/init';

test('listModels covers every ModelId with UI metadata', () => {
  const list = listModels();
  assert.deepEqual(
    list.map((m) => m.id),
    ['mlp', 'cnn', 'vgg9', 'resnet18', 'resnet34'],
  );
  for (const m of list) {
    assert.ok(m.name.length > 0 && m.description.length > 0 && m.suitableFor.length > 0, m.id);
  }
});

test("buildModel: every model has unique names and the authors' init scheme by rank", () => {
  for (const id of MODEL_IDS) {
    for (const shape of [
      [28, 28, 1],
      [32, 32, 3],
    ] as [number, number, number][]) {
      const def = buildModel(id, shape, 10);
      assert.equal(def.id, id);
      assert.deepEqual(def.inputShape, shape);
      assert.equal(def.numClasses, 10);
      assert.equal(new Set(def.params.map((p) => p.name)).size, def.params.length, `${id}: duplicate names`);
      for (const p of def.params) assert.equal(p.init, defaultInit(p.shape), `${id} ${p.name}`);
      assert.ok(countParams(def) > 0);
    }
  }
});

test('buildModel rejects bad arguments', () => {
  assert.throws(() => buildModel('nope' as never, [28, 28, 1], 10), /unknown model/);
  assert.throws(() => buildModel('cnn', [28, 28, 1], 1), /numClasses/);
  assert.throws(() => buildModel('cnn', [28, 0, 1], 10), /inputShape/);
  assert.equal(isModelId('vgg9'), true);
  assert.equal(isModelId('toString'), false);
});
