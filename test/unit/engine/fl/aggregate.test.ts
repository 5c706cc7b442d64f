import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyUpdate, clientUpdate, meanUpdate } from '../../../../src/main/engine/fl/aggregate';
import { sampleClients } from '../../../../src/main/engine/fl/fedavg';

const f = (...v: number[]) => Float32Array.from(v);

test('client update is local minus global, per tensor', () => {
  const u = clientUpdate([f(1, 2), f(5)], [f(0.5, 3), f(1)]);
  assert.deepEqual(u, [f(0.5, -1), f(4)]);
});

test("unweighted mean of updates (the authors' FedAvg)", () => {
  const m = meanUpdate([[f(1, 2)], [f(3, -2)], [f(5, 6)]]);
  assert.deepEqual(m, [f(3, 2)]);
});

test('weighted mean by sample counts, worked by hand', () => {
  // (1*10 + 3*30) / 40 = 2.5 ; (2*10 + -2*30) / 40 = -1
  const m = meanUpdate([[f(1, 2)], [f(3, -2)]], [10, 30]);
  assert.deepEqual(m, [f(2.5, -1)]);
});

test('global + mean update equals the mean of local models (Eq. 14) when unweighted', () => {
  const global = [f(1, 1, 1)];
  const locals = [[f(2, 0, 1)], [f(0, 4, 1)], [f(1, 2, 7)]];
  const next = applyUpdate(global, meanUpdate(locals.map((l) => clientUpdate(l, global))));
  assert.deepEqual(next, [f(1, 2, 3)]);
});

test('bad inputs are refused', () => {
  assert.throws(() => meanUpdate([]), /zero client updates/);
  assert.throws(() => meanUpdate([[f(1)]], [1, 2]), /one sample count per update/);
});

test('client sampling is seeded, sorted and sized max(1, round(f*K))', () => {
  const all = [3, 1, 2, 0, 4];
  assert.deepEqual(sampleClients(all, 1, 's'), [0, 1, 2, 3, 4]);
  const a = sampleClients(all, 0.4, 'seed-a');
  assert.equal(a.length, 2);
  assert.deepEqual(
    a,
    [...a].sort((x, y) => x - y),
  );
  assert.deepEqual(sampleClients(all, 0.4, 'seed-a'), a);
  assert.equal(sampleClients(all, 0.01, 'x').length, 1);
});
