import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParamSpec } from '../../../../src/main/engine/types';
import { createRng } from '../../../../src/main/engine/rng';
import { defaultInit, fanIn, initTensor, initWeights, kaimingBound } from '../../../../src/main/engine/models/init';

const spec = (name: string, shape: number[], init = defaultInit(shape)): ParamSpec => ({ name, shape, init });

test('fanIn is the product of all dims but the last', () => {
  assert.equal(fanIn([3, 3, 16, 32]), 3 * 3 * 16); // conv KH*KW*Cin
  assert.equal(fanIn([784, 200]), 784); // dense in
  assert.equal(fanIn([10]), 1);
  assert.equal(kaimingBound([784, 200]), Math.sqrt(6 / 784));
});

test('defaultInit: kaiming for rank >= 2, U(-0.1, 0.1) for rank 1', () => {
  assert.equal(defaultInit([3, 3, 1, 16]), 'kaiming-uniform');
  assert.equal(defaultInit([64, 10]), 'kaiming-uniform');
  assert.equal(defaultInit([10]), 'uniform-0.1');
});

test('kaiming-uniform: values within sqrt(6/fan_in), variance close to b^2/3', () => {
  const s = spec('conv.weight', [3, 3, 64, 128]);
  const v = initTensor(s, createRng(42));
  const b = Math.sqrt(6 / (3 * 3 * 64));
  assert.equal(v.length, 3 * 3 * 64 * 128);
  let sum = 0;
  let sq = 0;
  for (const x of v) {
    assert.ok(x >= -b && x <= b, `${x} outside [-${b}, ${b}]`);
    sum += x;
    sq += x * x;
  }
  const mean = sum / v.length;
  const variance = sq / v.length - mean * mean;
  assert.ok(Math.abs(mean) < 0.01 * b, `mean ${mean}`);
  // SE of the variance estimate is ~0.3% of b^2/3 for 73,728 draws; allow 2%.
  assert.ok(Math.abs(variance / ((b * b) / 3) - 1) < 0.02, `variance ${variance} vs ${(b * b) / 3}`);
  // Not degenerate: it fills the range.
  assert.ok(Math.max(...v) > 0.99 * b && Math.min(...v) < -0.99 * b);
});

test('rank-1 tensors are U(-0.1, 0.1); zeros and ones are constant', () => {
  const v = initTensor(spec('fc.bias', [5000]), createRng(1));
  assert.ok(v.every((x) => x >= -0.1 && x <= 0.1));
  assert.ok(Math.max(...v) > 0.099 && Math.min(...v) < -0.099);
  assert.ok(initTensor(spec('z', [4, 3], 'zeros'), createRng(1)).every((x) => x === 0));
  assert.ok(initTensor(spec('o', [7], 'ones'), createRng(1)).every((x) => x === 1));
});

test('kaiming-uniform on a rank-1 tensor is rejected', () => {
  assert.throws(() => initTensor(spec('b', [10], 'kaiming-uniform'), createRng(1)), /rank >= 2/);
});

test('initWeights is deterministic per seed and differs across seeds', () => {
  const params = [spec('a.weight', [20, 30]), spec('a.bias', [30])];
  const w1 = initWeights(params, createRng(5));
  const w2 = initWeights(params, createRng(5));
  const w3 = initWeights(params, createRng(6));
  assert.deepEqual(w1, w2);
  assert.notDeepEqual(w1[0], w3[0]);
  assert.equal(w1[0].length, 600);
  assert.equal(w1[1].length, 30);
});

test("one tensor's values do not depend on the order or presence of others (fork per name)", () => {
  const a = spec('a.weight', [8, 8]);
  const b = spec('b.weight', [16, 4]);
  const c = spec('c.bias', [4]);
  const [a1, b1, c1] = initWeights([a, b, c], createRng(9));
  const [c2, a2] = initWeights([c, a], createRng(9));
  const [b3] = initWeights([b], createRng(9));
  assert.deepEqual(a1, a2);
  assert.deepEqual(c1, c2);
  assert.deepEqual(b1, b3);
  // Same as drawing directly from the forked stream (how unlearning re-initialises one tensor).
  assert.deepEqual(initTensor(b, createRng(9).fork('b.weight')), b1);
});

test('initWeights rejects duplicate names', () => {
  assert.throws(() => initWeights([spec('x', [2, 2]), spec('x', [2])], createRng(1)), /duplicate/);
});
