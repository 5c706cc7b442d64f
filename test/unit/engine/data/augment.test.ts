/**
 * Random crop with zero padding and horizontal flip (Appendix E.3), checked on hand-worked images,
 * and in the client trainer: seeded (the same run twice gives the same weights) and actually applied
 * (the weights differ from training on the stored images).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { augmentImage, drawAugment, CIFAR_AUGMENT } from '../../../../src/main/engine/data/augment';
import { generateSynthetic } from '../../../../src/main/engine/data/synthetic';
import { toImageSplit } from '../../../../src/main/engine/data/raw';
import { ClientTrainer, type TrainSettings } from '../../../../src/main/engine/fl/client-trainer';
import { initWeights } from '../../../../src/main/engine/models/init';
import { buildModel } from '../../../../src/main/engine/models/registry';
import { createRng } from '../../../../src/main/engine/rng';

// 3x3, one channel:   1 2 3 / 4 5 6 / 7 8 9
const image = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
const run = (top: number, left: number, flip: boolean, padding = 1) => {
  const out = new Float32Array(9).fill(-1);
  augmentImage(image, out, [3, 3, 1], padding, { top, left, flip });
  return Array.from(out);
};

test('crop offset equal to the padding and no flip is the identity', () => {
  assert.deepEqual(run(1, 1, false), Array.from(image));
});

test('a shifted crop reads the padded image and fills with zeros', () => {
  // Output (r, c) = padded (r + 0, c + 2) = image (r - 1, c + 1).
  assert.deepEqual(run(0, 2, false), [0, 0, 0, 2, 3, 0, 5, 6, 0]);
});

test('flip mirrors the cropped window', () => {
  // Crop as above, then mirror each row: 0 0 0 / 0 3 2 / 0 6 5.
  assert.deepEqual(run(0, 2, true), [0, 0, 0, 0, 3, 2, 0, 6, 5]);
  assert.deepEqual(run(1, 1, true), [3, 2, 1, 6, 5, 4, 9, 8, 7]);
});

test('channels move together', () => {
  const rgb = Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => i + 1); // pixels (1,2,3) (4,5,6) / (7,8,9) (10,11,12)
  const out = new Float32Array(12);
  augmentImage(rgb, out, [2, 2, 3], 1, { top: 1, left: 1, flip: true });
  assert.deepEqual(Array.from(out), [4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9]);
});

test('draws stay inside the padded image and use both flip states', () => {
  const rng = createRng('augment-draws');
  const draws = Array.from({ length: 500 }, () => drawAugment(rng, CIFAR_AUGMENT));
  assert.ok(draws.every((d) => d.top >= 0 && d.top <= 8 && d.left >= 0 && d.left <= 8));
  assert.deepEqual(new Set(draws.map((d) => d.top)).size, 9, 'every offset 0..8 occurs');
  const flips = draws.filter((d) => d.flip).length;
  assert.ok(flips > 200 && flips < 300, `${flips} of 500 flipped`);
  assert.ok(drawAugment(createRng(1), { padding: 2, flip: false }).flip === false);
});

test('the trainer augments reproducibly, and augmentation changes what it learns', async () => {
  await initBackend('cpu');
  const raw = generateSynthetic(createRng(3), { trainSize: 64, testSize: 8 });
  const data = toImageSplit(raw.train, raw.shape);
  const model = buildModel('mlp', raw.shape, 10);
  const trainer = new ClientTrainer(model, data);
  const global = initWeights(model.params, createRng(4));
  const task = { client: 0, indices: Int32Array.from({ length: 64 }, (_, i) => i), seed: 'aug-task' };
  const base: TrainSettings = { localEpochs: 1, batchSize: 16, optimizer: 'adam', lr: 1e-3, momentum: 0.9 };
  const a = await trainer.train(global, task, { ...base, augment: CIFAR_AUGMENT });
  const b = await trainer.train(global, task, { ...base, augment: CIFAR_AUGMENT });
  const plain = await trainer.train(global, task, base);
  trainer.dispose();
  a.weights.forEach((w, t) => assert.deepEqual(w, b.weights[t], `tensor ${t}: same seed, same weights`));
  assert.ok(
    a.weights.some((w, t) => w.some((v, k) => v !== plain.weights[t][k])),
    'augmented training differs from plain training',
  );
});
