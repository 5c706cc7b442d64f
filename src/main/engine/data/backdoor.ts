/**
 * The classic BadNets backdoor (Gu et al.; the paper's Appendix G.3): a small white square (every
 * channel at the maximum pixel value, 1 in the engine's [0, 1] images) stamped at one corner of a
 * seeded share of the chosen clients' training examples, which are then relabelled to the target
 * class. Like label noise, the examples come from a per-client fork of the Rng, so a client's trigger
 * does not depend on which other clients are chosen.
 */
import type { Rng } from '../rng';
import type { Partition } from '../types';
import { PartitionError } from './errors';

import type { TRIGGER_POSITIONS } from '../../../shared/config';

export type TriggerPosition = (typeof TRIGGER_POSITIONS)[number];

export interface TriggerPattern {
  /** Side of the square, in pixels. */
  size: number;
  position: TriggerPosition;
}

/** The brightest pixel value of the engine's images (NHWC in [0, 1]). */
export const PIXEL_MAX = 1;

/** Flat offsets (within one image) of the trigger's pixels, every channel. */
export function triggerOffsets([h, w, c]: readonly [number, number, number], p: TriggerPattern): number[] {
  if (!Number.isInteger(p.size) || p.size < 1 || p.size > h || p.size > w) {
    throw new PartitionError(`the trigger's size must be between 1 and ${Math.min(h, w)} pixels, got ${p.size}`);
  }
  const top = p.position.startsWith('top') ? 0 : h - p.size;
  const left = p.position.endsWith('left') ? 0 : w - p.size;
  const out: number[] = [];
  for (let r = top; r < top + p.size; r++) {
    for (let col = left; col < left + p.size; col++) for (let ch = 0; ch < c; ch++) out.push((r * w + col) * c + ch);
  }
  return out;
}

/** A copy of `x` with the trigger stamped on the images `which` (all images when null). */
export function stampTrigger(
  x: Float32Array,
  shape: readonly [number, number, number],
  p: TriggerPattern,
  which: Iterable<number> | null,
): Float32Array {
  const pixels = shape[0] * shape[1] * shape[2];
  const offsets = triggerOffsets(shape, p);
  const out = x.slice();
  const n = x.length / pixels;
  for (const i of which ?? Array.from({ length: n }, (_, k) => k)) {
    const base = i * pixels;
    for (const o of offsets) out[base + o] = PIXEL_MAX;
  }
  return out;
}

export interface BackdoorResult {
  /** A copy of the training images with the trigger on the chosen examples. */
  x: Float32Array;
  /** A copy of the labels with the chosen examples relabelled to the target. */
  labels: Int32Array;
  /** 1 where the example carries the trigger. */
  triggered: Uint8Array;
}

export function injectBackdoor(
  x: Float32Array,
  labels: Int32Array,
  shape: readonly [number, number, number],
  partition: Partition,
  clients: readonly number[],
  share: number,
  target: number,
  pattern: TriggerPattern,
  numClasses: number,
  rng: Rng,
): BackdoorResult {
  if (!(share >= 0 && share <= 1)) throw new PartitionError(`the backdoor share must be between 0 and 1, got ${share}`);
  if (!Number.isInteger(target) || target < 0 || target >= numClasses) {
    throw new PartitionError(`the backdoor target class must be between 0 and ${numClasses - 1}, got ${target}`);
  }
  const triggered = new Uint8Array(labels.length);
  const out = labels.slice();
  for (const client of new Set(clients)) {
    if (!Number.isInteger(client) || client < 0 || client >= partition.clients.length) {
      throw new PartitionError(
        `the backdoor names client ${client}, but clients are numbered 0-${partition.clients.length - 1}`,
      );
    }
    const members = partition.clients[client];
    const chosen = rng
      .fork(`client-${client}`)
      .shuffle(Array.from(members))
      .slice(0, Math.round(share * members.length));
    for (const i of chosen) {
      triggered[i] = 1;
      out[i] = target;
    }
  }
  const which = Array.from(triggered.keys()).filter((i) => triggered[i] === 1);
  return { x: stampTrigger(x, shape, pattern, which), labels: out, triggered };
}

/** The examples of the given clients, split into those without and with the trigger (each ascending). */
export function splitByTrigger(
  clients: readonly Int32Array[],
  triggered: Uint8Array,
): { clean: Int32Array; triggered: Int32Array } {
  const all = [...new Set(clients.flatMap((c) => Array.from(c)))].sort((a, b) => a - b);
  return {
    clean: Int32Array.from(all.filter((i) => !triggered[i])),
    triggered: Int32Array.from(all.filter((i) => triggered[i])),
  };
}
