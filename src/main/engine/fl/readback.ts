/**
 * Reading tensors back to the host. Only async reads work on every backend (WebGPU in Node has no
 * readSync), and each read of a device backend is a round trip, so several tensors are read as one:
 * flattened, concatenated (a copy: the values are the same bits) and read once.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The values of `tensors` (all of one dtype), each as its own copy, with one read. Disposes nothing it is given. */
export async function readTensors(tensors: tf.Tensor[]): Promise<tf.TypedArray[]> {
  if (tensors.length === 0) return [];
  const flat = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t, [-1]))));
  try {
    const all = await flat.data<'float32' | 'int32'>();
    let offset = 0;
    return tensors.map((t) => all.slice(offset, (offset += t.size)));
  } finally {
    flat.dispose();
  }
}

/** The values of `tensors` laid end to end in one array, with one read. Disposes nothing it is given. */
export async function readConcatenated(tensors: tf.Tensor[], dtype: 'float32' | 'int32'): Promise<tf.TypedArray> {
  if (tensors.length === 0) return dtype === 'int32' ? new Int32Array(0) : new Float32Array(0);
  const flat = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t, [-1]))));
  try {
    // A copy: on the cpu backend data() hands out the tensor's own storage, which dispose() lets go.
    return (await flat.data<'float32' | 'int32'>()).slice();
  } finally {
    flat.dispose();
  }
}
