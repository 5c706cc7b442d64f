/**
 * Label noise for chosen clients: each chosen client has exactly round(rate * size) of its examples
 * relabelled to a uniformly drawn *different* class. The examples to flip come from a per-client fork of
 * the Rng, so a client's noise does not depend on which other clients are chosen or in what order.
 */
import type { Rng } from '../rng';
import type { Partition } from '../types';
import { PartitionError } from './errors';

export interface LabelNoiseResult {
  /** A new copy of the training labels with the flips applied. */
  labels: Int32Array;
  /** 1 where the example's label was flipped, per training example. */
  noisy: Uint8Array;
  /** A copy of the labels before any flip. */
  originalLabels: Int32Array;
}

export function injectLabelNoise(
  labels: Int32Array,
  partition: Partition,
  clients: readonly number[],
  rate: number,
  numClasses: number,
  rng: Rng,
): LabelNoiseResult {
  if (!(rate >= 0 && rate <= 1)) throw new PartitionError(`label-noise rate must be between 0 and 1, got ${rate}`);
  if (numClasses < 2) throw new PartitionError(`label noise needs at least 2 classes, got ${numClasses}`);
  const originalLabels = labels.slice();
  const out = labels.slice();
  const noisy = new Uint8Array(labels.length);
  for (const client of new Set(clients)) {
    if (!Number.isInteger(client) || client < 0 || client >= partition.clients.length) {
      throw new PartitionError(
        `label noise names client ${client}, but clients are numbered 0-${partition.clients.length - 1}`,
      );
    }
    const members = partition.clients[client];
    const flips = Math.round(rate * members.length);
    const r = rng.fork(`client-${client}`);
    const chosen = r.shuffle(Array.from(members)).slice(0, flips);
    for (const i of chosen) {
      // A draw from the C-1 other classes: skip over the true class.
      const offset = 1 + r.int(numClasses - 1);
      out[i] = (originalLabels[i] + offset) % numClasses;
      noisy[i] = 1;
    }
  }
  return { labels: out, noisy, originalLabels };
}
