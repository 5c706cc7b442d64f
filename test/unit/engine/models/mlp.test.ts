import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from './tf-setup';
import { buildMlp } from '../../../../src/main/engine/models/mlp';
import { countParams } from '../../../../src/main/engine/models/registry';
import { initWeights } from '../../../../src/main/engine/models/init';
import { createRng } from '../../../../src/main/engine/rng';

test('MLP: parameter layout and count on 28x28x1 / 10', () => {
  const def = buildMlp([28, 28, 1], 10);
  assert.deepEqual(
    def.params.map((p) => [p.name, p.shape, p.init]),
    [
      ['fc1.weight', [784, 200], 'kaiming-uniform'],
      ['fc1.bias', [200], 'uniform-0.1'],
      ['fc2.weight', [200, 200], 'kaiming-uniform'],
      ['fc2.bias', [200], 'uniform-0.1'],
      ['fc3.weight', [200, 10], 'kaiming-uniform'],
      ['fc3.bias', [10], 'uniform-0.1'],
    ],
  );
  // 784*200+200 + 200*200+200 + 200*10+10
  assert.equal(countParams(def), 157000 + 40200 + 2010);
});

test('MLP: forward equals a plain-JS matrix computation', () => {
  const shape: [number, number, number] = [2, 2, 1];
  const classes = 3;
  const def = buildMlp(shape, classes);
  const ws = initWeights(def.params, createRng(3));
  const xs = [Float32Array.from([0.1, 0.5, -0.3, 0.9]), Float32Array.from([1, 0, 0.25, -0.75])];

  // y = x W + b with W as [in, out] row-major
  const affine = (x: ArrayLike<number>, W: Float32Array, b: Float32Array, out: number) =>
    Array.from({ length: out }, (_, j) => {
      let s = b[j];
      for (let i = 0; i < x.length; i++) s += x[i] * W[i * out + j];
      return s;
    });
  const relu = (v: number[]) => v.map((a) => Math.max(0, a));
  const expected = xs.map((x) => {
    const h1 = relu(affine(x, ws[0], ws[1], 200));
    const h2 = relu(affine(h1, ws[2], ws[3], 200));
    return affine(h2, ws[4], ws[5], classes);
  });

  const w = ws.map((a, i) => tf.tensor(a, def.params[i].shape));
  const x = tf.tensor4d([...xs[0], ...xs[1]], [2, ...shape]);
  const y = def.forward(w, x);
  const got = y.arraySync();
  for (let n = 0; n < 2; n++)
    for (let k = 0; k < classes; k++)
      assert.ok(Math.abs(got[n][k] - expected[n][k]) < 1e-4, `[${n}][${k}] ${got[n][k]} vs ${expected[n][k]}`);
  tf.dispose([y, x, ...w]);
});
