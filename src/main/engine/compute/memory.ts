/**
 * What one thread's TensorFlow.js holds: live tensors and their bytes, and the size of the wasm
 * backend's heap (a WebAssembly.Memory only grows, so a leak of wasm-held tensors shows here even
 * after the tensors' JS objects are gone). Read by the soak benchmark (scripts/bench-soak.ts) in the
 * engine's thread and, through the pool, in each training worker.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import * as tf from '@tensorflow/tfjs-core';

export interface EngineMemory {
  numTensors: number;
  numBytes: number;
  /** Bytes of the wasm backend's memory; null on other backends. */
  wasmHeapBytes: number | null;
}

export function engineMemory(): EngineMemory {
  const { numTensors, numBytes } = tf.memory();
  // The same handle simd-kernels.ts binds its kernels to: the emscripten module's exported memory.
  const memory = (tf.backend() as { wasm?: { asm?: { memory?: { buffer?: unknown } } } } | undefined)?.wasm?.asm
    ?.memory;
  const wasmHeapBytes = memory?.buffer instanceof ArrayBuffer ? memory.buffer.byteLength : null;
  return { numTensors, numBytes, wasmHeapBytes };
}
