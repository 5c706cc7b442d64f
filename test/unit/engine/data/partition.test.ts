import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRng } from '../../../../src/main/engine/rng';
import { PartitionError } from '../../../../src/main/engine/data/errors';
import {
  makePartition,
  partitionDirichlet,
  partitionIid,
  partitionOneClass,
} from '../../../../src/main/engine/data/partition';
import type { Partition } from '../../../../src/main/engine/types';

/** n labels over c classes, slightly unbalanced and shuffled. */
function labels(n: number, c: number, seed = 0): Int32Array {
  const y = Int32Array.from({ length: n }, (_, i) => (i % (c + 1)) % c);
  return createRng(`labels/${seed}`).shuffle(y);
}

function assertCovers(p: Partition, y: Int32Array, c: number): void {
  const seen = new Uint8Array(y.length);
  for (const client of p.clients) for (const i of client) seen[i]++;
  assert.ok(
    seen.every((s) => s === 1),
    'every example assigned exactly once',
  );
  p.clients.forEach((idx, j) => {
    const counts = new Array<number>(c).fill(0);
    for (const i of idx) counts[y[i]]++;
    assert.deepEqual(p.classCounts[j], counts);
    for (let t = 1; t < idx.length; t++) assert.ok(idx[t] > idx[t - 1], 'ascending');
  });
}

function meanEntropy(p: Partition): number {
  const h = p.classCounts.map((counts) => {
    const total = counts.reduce((a, b) => a + b, 0);
    return -counts.reduce((s, v) => (v > 0 ? s + (v / total) * Math.log(v / total) : s), 0);
  });
  return h.reduce((a, b) => a + b, 0) / h.length;
}

describe('iid', () => {
  test('deals equal shares of every example', () => {
    const y = labels(1003, 10);
    const p = partitionIid(y, 10, 10, createRng(1));
    assertCovers(p, y, 10);
    const sizes = p.clients.map((c) => c.length);
    assert.deepEqual(sizes, [101, 101, 101, 100, 100, 100, 100, 100, 100, 100]);
  });

  test('deterministic per seed, different across seeds', () => {
    const y = labels(500, 10);
    assert.deepEqual(partitionIid(y, 5, 10, createRng(3)), partitionIid(y, 5, 10, createRng(3)));
    assert.notDeepEqual(partitionIid(y, 5, 10, createRng(3)).clients, partitionIid(y, 5, 10, createRng(4)).clients);
  });

  test('more clients than examples is an error', () => {
    assert.throws(() => partitionIid(labels(3, 2), 4, 2, createRng(1)), PartitionError);
  });
});

describe('dirichlet', () => {
  const y = labels(5000, 10);

  test('covers every example, respects minSize, is deterministic', () => {
    const p = partitionDirichlet(y, 20, 10, createRng(1), { alpha: 0.3, minSize: 30 });
    assertCovers(p, y, 10);
    assert.ok(p.clients.every((c) => c.length >= 30));
    assert.deepEqual(p, partitionDirichlet(y, 20, 10, createRng(1), { alpha: 0.3, minSize: 30 }));
    assert.notDeepEqual(p.clients, partitionDirichlet(y, 20, 10, createRng(2), { alpha: 0.3, minSize: 30 }).clients);
  });

  test('small alpha is more skewed than large alpha', () => {
    const skewed = meanEntropy(partitionDirichlet(y, 10, 10, createRng(7), { alpha: 0.1, minSize: 1 }));
    const mild = meanEntropy(partitionDirichlet(y, 10, 10, createRng(7), { alpha: 100, minSize: 1 }));
    assert.ok(mild > Math.log(10) * 0.95, `alpha 100 is near uniform (${mild})`);
    assert.ok(skewed < mild - 0.8, `alpha 0.1 entropy ${skewed} vs alpha 100 ${mild}`);
  });

  test('an unreachable minimum size fails after bounded attempts with a clear message', () => {
    assert.throws(
      () => partitionDirichlet(labels(1000, 10), 50, 10, createRng(1), { alpha: 0.01, minSize: 15, maxAttempts: 20 }),
      /could not give each of 50 clients at least 15 examples in 20 attempts/,
    );
    assert.throws(
      () => partitionDirichlet(labels(100, 10), 20, 10, createRng(1), { alpha: 1, minSize: 10 }),
      /needs 200 examples/,
    );
    assert.throws(() => partitionDirichlet(y, 5, 10, createRng(1), { alpha: 0 }), /alpha must be a positive number/);
  });
});

describe('one-class', () => {
  const y = labels(1000, 10);
  const nonzero = (p: Partition) => p.classCounts.map((c) => c.flatMap((v, k) => (v > 0 ? [k] : [])));

  test('K = C: client j holds all of class j', () => {
    const p = partitionOneClass(y, 10, 10, createRng(1));
    assertCovers(p, y, 10);
    assert.deepEqual(
      nonzero(p),
      Array.from({ length: 10 }, (_, j) => [j]),
    );
  });

  test('K > C: classes assigned round-robin and shared evenly', () => {
    const p = partitionOneClass(y, 25, 10, createRng(1));
    assertCovers(p, y, 10);
    assert.deepEqual(
      nonzero(p),
      Array.from({ length: 25 }, (_, j) => [j % 10]),
    );
    const shares = [0, 10, 20].map((j) => p.clients[j].length);
    assert.ok(Math.max(...shares) - Math.min(...shares) <= 1, String(shares));
    assert.deepEqual(p, partitionOneClass(y, 25, 10, createRng(1)));
    assert.notDeepEqual(p.clients, partitionOneClass(y, 25, 10, createRng(2)).clients);
  });

  test('K < C is a clear error', () => {
    assert.throws(
      () => partitionOneClass(y, 5, 10, createRng(1)),
      /needs at least as many clients as classes with examples \(10\), got 5/,
    );
  });
});

describe('makePartition', () => {
  test('dispatches on the config scheme', () => {
    const y = labels(600, 10);
    assert.deepEqual(
      makePartition(y, 10, { clients: 4, scheme: 'iid' }, createRng(1)),
      partitionIid(y, 4, 10, createRng(1)),
    );
    const d = makePartition(y, 10, { clients: 4, scheme: 'dirichlet', alpha: 0.5, minSize: 10 }, createRng(1));
    assert.deepEqual(d, partitionDirichlet(y, 4, 10, createRng(1), { alpha: 0.5, minSize: 10 }));
    assert.equal(makePartition(y, 10, { clients: 10, scheme: 'one-class' }, createRng(1)).clients.length, 10);
  });
});
