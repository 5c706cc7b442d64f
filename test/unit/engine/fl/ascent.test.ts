/**
 * Projected gradient ascent (Halimi et al. 2022's unlearning step). Its defining properties, on the
 * real loop with a small MLP on the cpu backend: every iterate the model holds stays within the L2
 * ball (norm <= radius + 1e-6), and the early stop fires at the first step whose squared distance to
 * the anchor exceeds the threshold, not before. The pure pieces are checked by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tf } from '../models/tf-setup';
import { squaredDistance } from '../../../../src/main/engine/fl/aggregate';
import {
  projectedAscent,
  projectToBall,
  type AscentOptions,
  type AscentStep,
} from '../../../../src/main/engine/fl/ascent';
import { clipScale, ClientTrainer } from '../../../../src/main/engine/fl/client-trainer';
import { buildMlp } from '../../../../src/main/engine/models/mlp';
import { initWeights } from '../../../../src/main/engine/models/init';
import { createRng } from '../../../../src/main/engine/rng';
import type { Weights } from '../../../../src/main/engine/types';

const f32 = (...v: number[]) => Float32Array.from(v);

test('projection onto the ball: inside is untouched, outside lands on the sphere along the same direction', () => {
  const inside = [f32(0.3), f32(0.4)];
  assert.equal(projectToBall(inside, [f32(0), f32(0)], 1).weights, inside);
  const out = projectToBall([f32(3), f32(4)], [f32(0), f32(0)], 1);
  assert.equal(out.projected, true);
  assert.ok(Math.abs(out.weights[0][0] - 0.6) < 1e-6 && Math.abs(out.weights[1][0] - 0.8) < 1e-6);
  assert.ok(squaredDistance(out.weights, [f32(0), f32(0)]) <= 1);
  // Around a centre other than 0, over two tensors at once.
  const shifted = projectToBall([f32(1, 3), f32(1)], [f32(1, 1), f32(1)], 1).weights;
  assert.deepEqual([...shifted[0], ...shifted[1]], [1, 2, 1]);
});

test('the projected float32 weights are within the radius even where rounding would push them out', () => {
  const rng = createRng(5);
  for (let trial = 0; trial < 20; trial++) {
    const w = [Float32Array.from({ length: 500 }, () => 10 + rng.next())];
    const c = [Float32Array.from({ length: 500 }, () => 10 + rng.next())];
    const r = 1e-2 * (1 + trial);
    const p = projectToBall(w, c, r);
    const d = Math.sqrt(squaredDistance(p.weights, c));
    assert.ok(d <= r && d > r * (1 - 1e-2), `trial ${trial}: ${d} vs radius ${r}`);
  }
});

test('gradient clipping follows clip_grad_norm_: max / (norm + 1e-6), never above 1, 0 = off', () => {
  assert.equal(clipScale(10, 5), 5 / (10 + 1e-6));
  assert.equal(clipScale(1, 5), 1);
  assert.equal(clipScale(1e9, 0), 1);
});

// A small problem: 24 images of 4x4x1, 3 classes, an MLP from a seeded init.
const model = buildMlp([4, 4, 1], 3);
const N = 24;
const rng = createRng(11);
const data = {
  x: Float32Array.from({ length: N * 16 }, () => rng.next()),
  y: Int32Array.from({ length: N }, (_, i) => i % 3),
};
const indices = Int32Array.from({ length: N }, (_, i) => i);
const reference = initWeights(model.params, createRng(1));
const base: Omit<AscentOptions, 'radius' | 'threshold'> = {
  reference,
  anchor: reference,
  indices,
  epochs: 3,
  batchSize: 4,
  lr: 0.05,
  momentum: 0.9,
  clipNorm: 5,
  seed: 'ascent-test',
};

/** Runs the real loop; per step, the record and the distance of the weights the model actually holds. */
async function run(o: Partial<AscentOptions> & Pick<AscentOptions, 'radius' | 'threshold'>) {
  const trainer = new ClientTrainer(model, data);
  const steps: AscentStep[] = [];
  const held: number[] = [];
  const tensors: number[] = [];
  try {
    const result = await projectedAscent(trainer, {
      ...base,
      ...o,
      onStep: async (s, w) => {
        steps.push(s);
        tensors.push(tf.memory().numTensors);
        const read = await trainer.read();
        assert.equal(squaredDistance(read, w), 0, 'the hook sees the weights the model holds');
        held.push(Math.sqrt(squaredDistance(read, o.reference ?? reference)));
      },
    });
    // The optimizer makes its slots on the first step; after that, no step may leave a tensor behind.
    assert.deepEqual(
      tensors,
      tensors.map(() => tensors[0]),
      'tensor count flat across steps',
    );
    return { result, steps, held };
  } finally {
    trainer.dispose();
  }
}

test('defining property: every iterate stays within the L2 ball; the ball is what holds it there', async () => {
  const free = await run({ radius: Infinity, threshold: Infinity });
  const radius = 0.3 * Math.max(...free.held);
  assert.ok(
    free.held.some((d) => d > radius + 1e-3),
    'unconstrained, the ascent leaves the ball',
  );
  const ball = await run({ radius, threshold: Infinity });
  assert.equal(ball.steps.length, 3 * (N / 4), 'no early stop with an infinite threshold');
  for (const [i, d] of ball.held.entries()) assert.ok(d <= radius + 1e-6, `step ${i + 1}: ${d} > ${radius}`);
  const projected = ball.steps.filter((s) => s.projected);
  assert.ok(projected.length > 0, 'some steps were projected');
  for (const s of projected)
    assert.ok(Math.abs(s.distanceToReference - radius) < 1e-5 * radius, 'projection lands on the sphere');
});

test('the ascent raises the loss on the data it runs on, and the clip bounds the first step', async () => {
  const { steps } = await run({ radius: Infinity, threshold: Infinity, momentum: 0 });
  const perEpoch = [0, 2].map((e) => steps.filter((s) => s.epoch === e).reduce((a, s) => a + s.loss, 0) / (N / 4));
  assert.ok(perEpoch[1] > perEpoch[0], `mean loss ${perEpoch[0]} -> ${perEpoch[1]}`);
  // With momentum 0 the first step moves exactly lr * min(||g||, clip).
  const clipped = await run({ radius: Infinity, threshold: Infinity, momentum: 0, clipNorm: 0.01, epochs: 1 });
  const first = clipped.steps[0];
  assert.ok(first.gradNorm > 0.01, 'the clip is active');
  assert.ok(Math.abs(first.distanceToReference - 0.05 * 0.01) < 1e-6, `first step ${first.distanceToReference}`);
});

test('defining property: the early stop fires at the first step whose squared distance to the anchor exceeds the threshold', async () => {
  // The anchor stands for the leaving client's model: near the reference, not at it.
  const anchor: Weights = reference.map((t) => t.map((v, k) => v + (k % 2 ? 1e-3 : -1e-3)));
  const full = await run({ radius: Infinity, threshold: Infinity, anchor });
  const d = full.steps.map((s) => s.squaredDistanceToAnchor);
  // The first step from the third on that sets a new maximum; the threshold sits between it and every earlier one.
  const j = d.findIndex((v, i) => i >= 2 && v > Math.max(...d.slice(0, i)));
  assert.ok(j >= 2, 'the distance grows');
  const threshold = (Math.max(...d.slice(0, j)) + d[j]) / 2;
  const stopped = await run({ radius: Infinity, threshold, anchor });
  assert.equal(stopped.result.stoppedEarly, true);
  assert.equal(stopped.result.steps, j + 1);
  assert.deepEqual(
    stopped.steps.map((s) => s.squaredDistanceToAnchor),
    d.slice(0, j + 1),
    'same batches, same iterates',
  );
  assert.ok(
    stopped.steps.slice(0, -1).every((s) => s.squaredDistanceToAnchor <= threshold),
    'not before',
  );
  assert.ok(stopped.result.last!.squaredDistanceToAnchor > threshold);
  assert.equal(squaredDistance(stopped.result.weights, stopped.result.weights), 0);
  assert.equal(full.result.stoppedEarly, false);
});

test('a cancelled run stops the ascent', async () => {
  const trainer = new ClientTrainer(model, data);
  try {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      projectedAscent(trainer, { ...base, radius: Infinity, threshold: Infinity, signal: ac.signal }),
      { code: 'CANCELLED' },
    );
  } finally {
    trainer.dispose();
  }
});
