/** Shared by the wasm kernel tests: a seeded PRNG, a float32 closeness check, and cpu-vs-wasm runs. */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const randInt = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
export const values = (r: () => number, n: number) => Float32Array.from({ length: n }, () => r() * 2 - 1);
export const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
/** A conv padding as tf.conv2d takes it: a mode, a number, or explicit NHWC pairs. */
export type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];

/** max |actual - expected| <= tol * max(1, max |expected|): float32 rounding, not a different answer. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-4): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let maxRef = 0;
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
  }
  assert.ok(maxDiff <= tol * Math.max(1, maxRef), `${what}: max |diff| ${maxDiff} (max |ref| ${maxRef})`);
}

/** Runs `f` on the cpu backend, then on wasm. */
export async function onBoth<T>(f: () => T): Promise<{ cpu: T; wasm: T }> {
  await tf.setBackend('cpu');
  const cpu = f();
  await tf.setBackend('wasm');
  return { cpu, wasm: f() };
}
