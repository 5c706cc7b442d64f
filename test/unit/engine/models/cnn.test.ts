import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCnn } from '../../../../src/main/engine/models/cnn';
import { countParams } from '../../../../src/main/engine/models/registry';

test('CNN: parameter count on 28x28x1 / 10 matches the hand count', () => {
  const def = buildCnn([28, 28, 1], 10);
  const conv1 = 3 * 3 * 1 * 16 + 16; // 160
  const conv2 = 3 * 3 * 16 * 32 + 32; // 4,640
  const flat = 7 * 7 * 32; // 28 -> pool 14 -> pool 7; 1,568
  const fc1 = flat * 64 + 64; // 100,416
  const fc2 = 64 * 10 + 10; // 650
  assert.equal(countParams(def), conv1 + conv2 + fc1 + fc2);
  assert.equal(countParams(def), 105866);
  assert.deepEqual(
    def.params.map((p) => p.name),
    ['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'],
  );
  assert.deepEqual(def.params[0].shape, [3, 3, 1, 16]); // [KH, KW, Cin, Cout]
  assert.deepEqual(def.params[4].shape, [1568, 64]); // [in, out]
});

test('CNN: too-small input is rejected at build time', () => {
  assert.throws(() => buildCnn([3, 3, 1], 10), /too small/);
});
