/**
 * A client task's batches: built on the host batch by batch (wasm, cpu, tensorflow: the copy into the backend is
 * the only cost), or gathered on the device from the task's examples uploaded once (WebGPU, where every upload is
 * a round trip). Augmented batches are always built on the host: the crop and flip are drawn there, per image.
 * Both give the same values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { augmentImage, drawAugment, type AugmentSpec } from '../data/augment';
import type { Rng } from '../rng';

export interface LabelledImages {
  x: Float32Array;
  y: Int32Array;
}

export interface Augmenter {
  spec: AugmentSpec;
  rng: Rng;
}

export interface Batch {
  xs: tf.Tensor4D;
  ys: tf.Tensor1D;
}

/** A task's batches: pos are positions into the task's indices. */
export interface Batches {
  take(pos: Int32Array, augment: Augmenter | null): Batch;
  dispose(): void;
}

/** The examples at positions `pos` of `indices`, copied (and augmented) on the host into one batch. */
export function hostBatch(
  shape: [number, number, number],
  data: LabelledImages,
  pos: Int32Array,
  indices: Int32Array,
  augment: Augmenter | null = null,
): Batch {
  const [h, w, c] = shape;
  const pixels = h * w * c;
  const buf = new Float32Array(pos.length * pixels);
  const labels = new Int32Array(pos.length);
  for (let k = 0; k < pos.length; k++) {
    const idx = indices[pos[k]];
    const image = data.x.subarray(idx * pixels, (idx + 1) * pixels);
    const slot = buf.subarray(k * pixels, (k + 1) * pixels);
    if (augment) augmentImage(image, slot, shape, augment.spec.padding, drawAugment(augment.rng, augment.spec));
    else slot.set(image);
    labels[k] = data.y[idx];
  }
  return { xs: tf.tensor4d(buf, [pos.length, h, w, c]), ys: tf.tensor1d(labels, 'int32') };
}

/** The batches of a task over `indices`: gathered on the device from one upload when `onDevice`, else host-built. */
export function taskBatches(
  shape: [number, number, number],
  data: LabelledImages,
  indices: Int32Array,
  onDevice: boolean,
): Batches {
  const host: Batches = { take: (pos, augment) => hostBatch(shape, data, pos, indices, augment), dispose: () => {} };
  if (!onDevice) return host;
  const all = Int32Array.from({ length: indices.length }, (_, i) => i);
  const { xs, ys } = hostBatch(shape, data, all, indices);
  return {
    take: (pos, augment) => {
      if (augment) return host.take(pos, augment);
      return tf.tidy(() => {
        const at = tf.tensor1d(pos, 'int32');
        return { xs: tf.gather(xs, at), ys: tf.gather(ys, at) };
      });
    },
    dispose: () => tf.dispose([xs, ys]),
  };
}
