import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestStack, resolveRequest } from '../../../../src/main/engine/unlearning/request';
import { createRng } from '../../../../src/main/engine/rng';
import type { Partition } from '../../../../src/main/engine/types';

// 8 examples on 3 clients; labels chosen by hand.
const labels = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1]);
const partition: Partition = {
  clients: [Int32Array.from([0, 1, 2]), Int32Array.from([3, 4, 5]), Int32Array.from([6, 7])],
  classCounts: [],
};
const rng = createRng(1);
const arr = (a: Int32Array) => Array.from(a);

test("client request: D_u is the clients' data, they stop training, the others keep everything", () => {
  const r = resolveRequest({ kind: 'clients', clients: [1] }, partition, labels, rng);
  assert.deepEqual(arr(r.unlearn), [3, 4, 5]);
  assert.deepEqual(arr(r.unlearnClient), [1, 1, 1]);
  assert.deepEqual(r.remainingClients, [0, 2]);
  assert.deepEqual(r.unlearningClients, [1]);
  assert.deepEqual(arr(r.remainingByClient[0]), [0, 1, 2]);
  assert.equal(r.remainingByClient[1].length, 0);
});

test('class request: every client loses that class and keeps the rest', () => {
  const r = resolveRequest({ kind: 'class', class: 0 }, partition, labels, rng);
  assert.deepEqual(arr(r.unlearn), [0, 3, 6]);
  assert.deepEqual(arr(r.unlearnClient), [0, 1, 2]);
  assert.deepEqual(r.remainingClients, [0, 1, 2]);
  assert.deepEqual(r.unlearningClients, [0, 1, 2]);
  assert.deepEqual(arr(r.remainingByClient[2]), [7]);
});

test('example request: duplicates collapse; a client emptied by the request stops training', () => {
  const r = resolveRequest({ kind: 'examples', examples: [7, 6, 2, 7] }, partition, labels, rng);
  assert.deepEqual(arr(r.unlearn), [2, 6, 7]);
  assert.deepEqual(r.remainingClients, [0, 1]);
  assert.deepEqual(r.unlearningClients, [0, 2]);
});

test('random example requests are seeded', () => {
  const a = resolveRequest({ kind: 'examples', randomExamples: 3 }, partition, labels, createRng(9));
  const b = resolveRequest({ kind: 'examples', randomExamples: 3 }, partition, labels, createRng(9));
  assert.equal(a.unlearn.length, 3);
  assert.deepEqual(arr(a.unlearn), arr(b.unlearn));
});

test('requests that select nothing or leave nothing are refused with the field named', () => {
  assert.throws(
    () => resolveRequest({ kind: 'class', class: 7 }, partition, labels, rng),
    /unlearning\.request\.class: no training example has class 7/,
  );
  assert.throws(
    () => resolveRequest({ kind: 'examples', examples: [99] }, partition, labels, rng),
    /example 99 does not exist/,
  );
  assert.throws(
    () => resolveRequest({ kind: 'clients', clients: [0, 1, 2] }, partition, labels, rng),
    /leaves no remaining data/,
  );
});

test('request stack executes when full, or on demand, in ascending order', () => {
  const s = new RequestStack(3);
  assert.equal(s.push(5), null);
  assert.equal(s.push(1), null);
  assert.equal(s.push(5), null, 'a duplicate does not fill the stack');
  assert.deepEqual(s.push(3), [1, 3, 5]);
  assert.equal(s.size, 0);
  s.push(9);
  assert.deepEqual(s.flush(), [9]);
});
