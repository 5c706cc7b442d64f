/**
 * Client partitioners for the training split. All are deterministic functions of the labels, the settings
 * and the Rng; every training example goes to exactly one client; each client's indices are ascending.
 *  - iid: shuffle, then deal equal contiguous shares (the first N mod K clients get one extra).
 *  - dirichlet: label skew after Hsu et al. 2019 ("Measuring the effects of non-identical data distribution
 *    for federated visual classification"): per class, proportions ~ Dir(alpha) over clients.
 *  - one-class: pathological skew, every client holds a single class.
 */
import type { Rng } from '../rng';
import type { Partition } from '../types';
import { PartitionError } from './errors';

export type PartitionScheme = 'iid' | 'dirichlet' | 'one-class';

/** The fields of the experiment config's `partition` section that partitioning reads. */
export interface PartitionConfig {
  clients: number;
  scheme: PartitionScheme;
  /** Dirichlet concentration; default 0.5. */
  alpha?: number;
  /** Dirichlet: smallest acceptable client size; default 10. */
  minSize?: number;
  /** Dirichlet: redraws before giving up; default 1000. */
  maxAttempts?: number;
}

export const DIRICHLET_DEFAULTS = { alpha: 0.5, minSize: 10, maxAttempts: 1000 };

export function classCountsOf(clients: Int32Array[], labels: Int32Array, numClasses: number): number[][] {
  return clients.map((idx) => {
    const counts = new Array<number>(numClasses).fill(0);
    for (const i of idx) counts[labels[i]]++;
    return counts;
  });
}

function finish(lists: ArrayLike<number>[], labels: Int32Array, numClasses: number): Partition {
  const clients = lists.map((l) => Int32Array.from(l).sort());
  return { clients, classCounts: classCountsOf(clients, labels, numClasses) };
}

function checkClients(numClients: number, total: number): void {
  if (!Number.isInteger(numClients) || numClients < 1) {
    throw new PartitionError(`the number of clients must be a positive integer, got ${numClients}`);
  }
  if (numClients > total) {
    throw new PartitionError(
      `cannot give each of ${numClients} clients an example from only ${total} training examples`,
    );
  }
}

function indicesByClass(labels: Int32Array, numClasses: number): number[][] {
  const by: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((k, i) => {
    if (k < 0 || k >= numClasses)
      throw new PartitionError(`training label ${k} at index ${i} is outside 0-${numClasses - 1}`);
    by[k].push(i);
  });
  return by;
}

export function partitionIid(labels: Int32Array, numClients: number, numClasses: number, rng: Rng): Partition {
  const n = labels.length;
  checkClients(numClients, n);
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const base = Math.floor(n / numClients);
  const extra = n % numClients;
  const lists: Int32Array[] = [];
  let at = 0;
  for (let j = 0; j < numClients; j++) {
    const size = base + (j < extra ? 1 : 0);
    lists.push(order.subarray(at, at + size));
    at += size;
  }
  return finish(lists, labels, numClasses);
}

/** Dir(alpha, ..., alpha) over k entries. Gamma draws for tiny alpha can underflow to 0; then one entry gets it all. */
function dirichlet(rng: Rng, alpha: number, k: number): number[] {
  const g = Array.from({ length: k }, () => rng.gamma(alpha));
  const sum = g.reduce((a, b) => a + b, 0);
  if (!(sum > 0) || !Number.isFinite(sum)) {
    const one = new Array<number>(k).fill(0);
    one[rng.int(k)] = 1;
    return one;
  }
  return g.map((v) => v / sum);
}

export function partitionDirichlet(
  labels: Int32Array,
  numClients: number,
  numClasses: number,
  rng: Rng,
  opts: { alpha: number; minSize?: number; maxAttempts?: number },
): Partition {
  const { alpha } = opts;
  const minSize = opts.minSize ?? DIRICHLET_DEFAULTS.minSize;
  const maxAttempts = opts.maxAttempts ?? DIRICHLET_DEFAULTS.maxAttempts;
  checkClients(numClients, labels.length);
  if (!(alpha > 0) || !Number.isFinite(alpha))
    throw new PartitionError(`Dirichlet alpha must be a positive number, got ${alpha}`);
  if (!Number.isInteger(minSize) || minSize < 0)
    throw new PartitionError(`Dirichlet minSize must be a non-negative integer, got ${minSize}`);
  if (minSize * numClients > labels.length) {
    throw new PartitionError(
      `Dirichlet minSize ${minSize} for ${numClients} clients needs ${minSize * numClients} examples but there are ${labels.length}`,
    );
  }
  const byClass = indicesByClass(labels, numClasses);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const lists: number[][] = Array.from({ length: numClients }, () => []);
    for (const members of byClass) {
      if (members.length === 0) continue;
      const shuffled = rng.shuffle(members.slice());
      const p = dirichlet(rng, alpha, numClients);
      let cum = 0;
      let start = 0;
      for (let j = 0; j < numClients; j++) {
        cum += p[j];
        const end =
          j === numClients - 1 ? shuffled.length : Math.min(shuffled.length, Math.round(cum * shuffled.length));
        for (let t = start; t < end; t++) lists[j].push(shuffled[t]);
        start = Math.max(start, end);
      }
    }
    if (lists.every((l) => l.length >= minSize)) return finish(lists, labels, numClasses);
  }
  throw new PartitionError(
    `Dirichlet partition with alpha ${alpha} could not give each of ${numClients} clients at least ${minSize} examples ` +
      `in ${maxAttempts} attempts; raise alpha, lower the minimum size or use fewer clients`,
  );
}

/**
 * Client j gets class j mod C. With more clients than classes, the clients sharing a class split its
 * (shuffled) examples evenly. With fewer clients than classes some classes would have no owner, and
 * dropping their examples silently would change the dataset, so that is an error.
 */
export function partitionOneClass(labels: Int32Array, numClients: number, numClasses: number, rng: Rng): Partition {
  checkClients(numClients, labels.length);
  const byClass = indicesByClass(labels, numClasses);
  const present = byClass.map((m, k) => (m.length > 0 ? k : -1)).filter((k) => k >= 0);
  if (numClients < present.length) {
    throw new PartitionError(
      `one-class partition needs at least as many clients as classes with examples (${present.length}), got ${numClients} clients`,
    );
  }
  const owners: number[][] = present.map(() => []);
  for (let j = 0; j < numClients; j++) owners[j % present.length].push(j);
  const lists: number[][] = Array.from({ length: numClients }, () => []);
  present.forEach((k, slot) => {
    const members = rng.fork(k).shuffle(byClass[k].slice());
    const share = owners[slot];
    if (members.length < share.length) {
      throw new PartitionError(
        `one-class partition: class ${k} has ${members.length} examples but ${share.length} clients share it`,
      );
    }
    const base = Math.floor(members.length / share.length);
    const extra = members.length % share.length;
    let at = 0;
    share.forEach((client, s) => {
      const size = base + (s < extra ? 1 : 0);
      lists[client] = members.slice(at, at + size);
      at += size;
    });
  });
  return finish(lists, labels, numClasses);
}

export function makePartition(labels: Int32Array, numClasses: number, cfg: PartitionConfig, rng: Rng): Partition {
  switch (cfg.scheme) {
    case 'iid':
      return partitionIid(labels, cfg.clients, numClasses, rng);
    case 'dirichlet':
      return partitionDirichlet(labels, cfg.clients, numClasses, rng, {
        alpha: cfg.alpha ?? DIRICHLET_DEFAULTS.alpha,
        minSize: cfg.minSize,
        maxAttempts: cfg.maxAttempts,
      });
    case 'one-class':
      return partitionOneClass(labels, cfg.clients, numClasses, rng);
  }
}
