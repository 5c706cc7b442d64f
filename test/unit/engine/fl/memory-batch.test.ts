/**
 * Batches sized to the model's memory (fl/memory-batch.ts): the pure cap, the probe's ordering of the models
 * (the CNN keeps its batches, the paper's big models get fewer examples per batch), and the words a heap
 * overrun reaches people with.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { explainHeapTrap } from '../../../../src/main/engine/errors';
import {
  BACKWARD_FACTOR,
  BATCH_MEMORY_BUDGET,
  batchForMemory,
  bytesPerExample,
  evaluationBatch,
  gradientBatch,
} from '../../../../src/main/engine/fl/memory-batch';
import { buildModel } from '../../../../src/main/engine/models/registry';

before(async () => {
  await initBackend('wasm');
});

test('batchForMemory: the largest batch that fits, never above the request nor below 1', () => {
  assert.equal(batchForMemory(128, 1000, 64_000), 64);
  assert.equal(batchForMemory(128, 1000, 63_999), 63);
  assert.equal(batchForMemory(32, 1000, 1_000_000), 32);
  assert.equal(batchForMemory(128, 10_000, 5_000), 1);
  assert.equal(batchForMemory(128, 0, 5_000), 128, 'an unmeasured model keeps its batch');
});

test('the probe: the CNN keeps its batches; ResNet-18 on 32x32x3 gets batches that fit the budget', () => {
  const cnn = buildModel('cnn', [28, 28, 1], 10);
  const resnet = buildModel('resnet18', [32, 32, 3], 10);
  const small = bytesPerExample(cnn);
  const big = bytesPerExample(resnet);
  // ResNet-18's first stage alone holds 64 x 32 x 32 floats per tensor, several tensors per layer.
  assert.ok(big > 20 * small, `resnet18 ${big} B vs cnn ${small} B per example`);
  assert.ok(big > 4 * 64 * 32 * 32 * 4, `resnet18 holds ${big} B per example`);
  assert.equal(gradientBatch(cnn, 128), 128);
  assert.equal(evaluationBatch(cnn, 500), 500);
  const g = gradientBatch(resnet, 128);
  assert.ok(g >= 1 && g < 128, `resnet18 gradient batch ${g}`);
  assert.ok(g * BACKWARD_FACTOR * big <= BATCH_MEMORY_BUDGET);
  assert.ok((g + 1) * BACKWARD_FACTOR * big > BATCH_MEMORY_BUDGET, 'the largest batch that fits');
  assert.equal(bytesPerExample(resnet), big, 'measured once, the same after');
});

test('the probe counts what grows with the batch, not the copy of the parameters every batch holds', () => {
  const resnet = buildModel('resnet18', [32, 32, 3], 10);
  const perExample = bytesPerExample(resnet);
  // Independently: the tape at 2 and at 6 examples (the probe uses 1 and 3); shapes only, so exactly linear.
  const vars = resnet.params.map((p) => tf.variable(tf.zeros(p.shape), true));
  const held = (n: number) => {
    const x = tf.zeros<tf.Rank.R4>([n, 32, 32, 3]);
    const before = tf.memory().numBytes;
    let bytes = 0;
    const { value, grads } = tf.variableGrads(() => {
      const loss = tf.mean<tf.Scalar>(resnet.forward(vars, x));
      bytes = tf.memory().numBytes - before;
      return loss;
    }, vars);
    tf.dispose([value, ...Object.values(grads), x]);
    return bytes;
  };
  const [two, six] = [held(2), held(6)];
  tf.dispose(vars);
  assert.ok(Math.abs((six - two) / 4 - perExample) <= 0.01 * perExample, `${(six - two) / 4} vs ${perExample}`);
  // Every conv's output is held: 5 per stage at 64x32x32, 128x16x16, 256x8x8, 512x4x4 floats per example.
  const convOutputs = 5 * (64 * 1024 + 128 * 256 + 256 * 64 + 512 * 16) * 4;
  assert.ok(perExample >= convOutputs, `${perExample} B per example holds at least the conv outputs`);
  // The parameters (44.7 MB) are not in it: counted per example they made it ~30 MB instead of ~9.
  const paramBytes = resnet.params.reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1) * 4, 0);
  assert.ok(two - 2 * perExample > 0.9 * paramBytes, 'the batch-independent part is the parameters');
  assert.ok(perExample < 6 * convOutputs, `${perExample} B per example`);
});

test('a wasm heap overrun says what happened and what to change', () => {
  const m = explainHeapTrap('memory access out of bounds');
  assert.match(m, /ran out of memory/);
  assert.match(m, /4 GiB/);
  assert.match(m, /training\.batchSize/);
  assert.equal(explainHeapTrap('weights have 3 tensors'), 'weights have 3 tensors');
});
