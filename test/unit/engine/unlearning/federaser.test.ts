/** FedEraser's calibration: each calibrated tensor has the recorded update's norm and the new update's direction. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../../src/main/engine/rng';
import type { Weights } from '../../../../src/main/engine/types';
import { calibrateUpdate, calibrationEpochs } from '../../../../src/main/engine/unlearning/federaser';

const norm = (t: Float32Array) => Math.sqrt(t.reduce((s, v) => s + v * v, 0));
const random = (rng: ReturnType<typeof createRng>, sizes: number[], scale: number): Weights =>
  sizes.map((n) => Float32Array.from({ length: n }, () => scale * rng.normal()));

test('defining property: per tensor, the recorded norm and the new direction (1e-6 relative)', () => {
  const rng = createRng('federaser');
  const recorded = random(rng, [50, 7, 1], 0.3);
  const fresh = random(rng, [50, 7, 1], 5);
  const out = calibrateUpdate(recorded, fresh);
  out.forEach((t, i) => {
    const rel = Math.abs(norm(t) - norm(recorded[i])) / norm(recorded[i]);
    assert.ok(rel < 1e-6, `tensor ${i}: norm off by ${rel}`);
    // Same direction: the cosine with the new update is 1.
    const cos = t.reduce((s, v, k) => s + v * fresh[i][k], 0) / (norm(t) * norm(fresh[i]));
    assert.ok(Math.abs(1 - cos) < 1e-6, `tensor ${i}: cosine ${cos}`);
  });
});

test('by hand: (3,4) recorded, (0,-2) new -> (0,-5); a zero new tensor stays zero', () => {
  const out = calibrateUpdate(
    [Float32Array.from([3, 4]), Float32Array.from([1])],
    [Float32Array.from([0, -2]), Float32Array.from([0])],
  );
  assert.deepEqual(Array.from(out[0]), [0, -5]);
  assert.deepEqual(Array.from(out[1]), [0]);
});

test('calibration epochs: the ratio of the local epochs, rounded up, at least one', () => {
  assert.equal(calibrationEpochs(1, 0.5), 1);
  assert.equal(calibrationEpochs(10, 0.5), 5);
  assert.equal(calibrationEpochs(5, 0.5), 3);
  assert.equal(calibrationEpochs(4, 1), 4);
});
