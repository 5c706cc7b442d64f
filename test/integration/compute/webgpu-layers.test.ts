/**
 * The WebGPU backend against the wasm backend, on the software adapter Mesa gives a machine with no GPU
 * (.ci/run installs libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri). The shaders are the ones a real GPU
 * runs; only the rasteriser differs. Each layer type the models use, and each model whole, is run
 * forward and differentiated on both backends from the same inputs and parameters; the loss and every
 * gradient must agree to TOLERANCE relative to the tensor's largest magnitude (float32 sums in another
 * order differ in the last bits, not more). `auto` must not pick the software adapter.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { detectBackends, initBackend } from '../../../src/main/engine/compute/backend';
import { listWebGpuAdapters } from '../../../src/main/engine/compute/webgpu';
import { perExampleLoss } from '../../../src/main/engine/fl/losses';
import { groupNorm } from '../../../src/main/engine/models/group-norm';
import { initWeights } from '../../../src/main/engine/models/init';
import { conv, convRelu, dense, maxPool2 } from '../../../src/main/engine/models/layers';
import { buildModel } from '../../../src/main/engine/models/registry';
import { createRng } from '../../../src/main/engine/rng';
import type { ModelId } from '../../../src/shared/catalog';
import { skipOrFail } from '../support/required-tool';

/** Max |webgpu - wasm| over max |wasm|, per tensor. */
const TOLERANCE = 1e-4;

let adapterWhy: string | undefined;

before(async () => {
  const probes = await listWebGpuAdapters();
  if (!probes.some((p) => p.adapter != null)) {
    adapterWhy = `no WebGPU adapter (${probes.map((p) => `${p.api}: ${p.error ?? 'none'}`).join('; ')}); install Mesa's EGL/GLES`;
  }
});

/** Loss and gradients of `f` with respect to `params`, on `backend`, read back as plain arrays. */
async function valueAndGrads(
  backend: 'wasm' | 'webgpu',
  params: { shape: number[]; data: Float32Array }[],
  f: (p: tf.Tensor[]) => tf.Scalar,
): Promise<Float32Array[]> {
  await initBackend(backend);
  const vars = params.map((p) => tf.variable(tf.tensor(p.data, p.shape)));
  try {
    const { value, grads } = tf.variableGrads(() => f(vars), vars);
    const out = [(await value.data()) as Float32Array];
    for (const v of vars) out.push((await grads[v.name].data()) as Float32Array);
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  } finally {
    tf.dispose(vars);
  }
}

function relativeError(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

function random(shape: number[], seed: number, scale = 1): { shape: number[]; data: Float32Array } {
  const rng = createRng(`webgpu-layers/${seed}`);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale) };
}

async function agree(
  t: import('node:test').TestContext,
  what: string,
  params: { shape: number[]; data: Float32Array }[],
  f: (p: tf.Tensor[]) => tf.Scalar,
): Promise<void> {
  if (adapterWhy) return skipOrFail(t, adapterWhy);
  const cpu = await valueAndGrads('wasm', params, f);
  const gpu = await valueAndGrads('webgpu', params, f);
  let worst = 0;
  cpu.forEach((ref, i) => {
    const err = relativeError(gpu[i], ref);
    worst = Math.max(worst, err);
    assert.ok(
      err <= TOLERANCE,
      `${what}: ${i === 0 ? 'loss' : `gradient ${i - 1}`} differs by ${err.toExponential(2)}`,
    );
  });
  t.diagnostic(`${what}: largest relative difference ${worst.toExponential(2)} over ${cpu.length} tensors`);
  // The check has teeth: the loss is not zero and the gradients are not all zero.
  assert.ok(Math.abs(cpu[0][0]) > 1e-6, `${what}: the loss is zero`);
  assert.ok(
    cpu.slice(1).every((g) => g.some((v) => v !== 0)),
    `${what}: a gradient is all zero`,
  );
}

const x4 = (p: tf.Tensor) => p as tf.Tensor4D;
/** A loss that weights every output differently, so a permuted or misplaced output cannot pass. */
const probe = (y: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(y, tf.reshape(tf.linspace(-1, 1, y.size), y.shape)));

test('conv (3x3 stride 1 same, 3x3 stride 2 padding 1, 1x1 stride 2 valid) forward and gradients equal wasm', async (t) => {
  const x = random([2, 9, 9, 4], 1);
  const w3 = random([3, 3, 4, 8], 2, 0.3);
  const w1 = random([1, 1, 4, 8], 3, 0.3);
  await agree(t, 'conv', [x, w3, w1], ([xs, a, b]) =>
    tf.add(
      tf.add(probe(conv([a], { w: 0 }, x4(xs), 1, 'same')), probe(conv([a], { w: 0 }, x4(xs), 2, 1))),
      probe(conv([b], { w: 0 }, x4(xs), 2, 'valid')),
    ),
  );
});

test('conv + bias + ReLU, max pooling, global mean pooling equal wasm', async (t) => {
  const x = random([2, 8, 8, 3], 4);
  const w = random([3, 3, 3, 8], 5, 0.4);
  const b = random([8], 6, 0.1);
  await agree(t, 'conv-relu-pool', [x, w, b], ([xs, wt, bt]) => {
    const y = convRelu([wt, bt], { w: 0, b: 1 }, x4(xs));
    return tf.add(probe(maxPool2(y)), probe(tf.mean(y, [1, 2])));
  });
});

test('group norm (affine) and dense equal wasm', async (t) => {
  const x = random([2, 4, 4, 8], 7);
  const gamma = random([8], 8);
  const beta = random([8], 9);
  const w = random([128, 5], 10, 0.2);
  const b = random([5], 11, 0.1);
  await agree(t, 'group-norm-dense', [x, gamma, beta, w, b], ([xs, g, be, wt, bt]) => {
    const y = groupNorm(x4(xs), 2, { gamma: g, beta: be });
    return probe(dense([wt, bt], { w: 0, b: 1 }, tf.reshape(y, [2, 128])));
  });
});

test('cross-entropy and the FedOSD unlearning cross-entropy equal wasm', async (t) => {
  const logits = random([6, 10], 12, 3);
  const labels = tf.tensor1d([0, 3, 9, 2, 2, 7], 'int32');
  await agree(t, 'losses', [logits], ([l]) =>
    tf.add(
      tf.mean(perExampleLoss('ce', l as tf.Tensor2D, labels)),
      tf.mean(perExampleLoss('fedosd-uce', l as tf.Tensor2D, labels)),
    ),
  );
});

const MODELS: { id: ModelId; shape: [number, number, number] }[] = [
  { id: 'cnn', shape: [28, 28, 1] },
  { id: 'vgg9', shape: [32, 32, 3] },
  { id: 'resnet18', shape: [32, 32, 3] },
];

for (const { id, shape } of MODELS) {
  test(`${id}: the training loss and every parameter's gradient equal wasm`, async (t) => {
    const model = buildModel(id, shape, 10);
    const weights = initWeights(model.params, createRng(`webgpu-layers/${id}`));
    const params = model.params.map((p, i) => ({ shape: [...p.shape], data: weights[i] }));
    const x = random([2, ...shape], 13);
    const labels = tf.tensor1d([1, 7], 'int32');
    await agree(t, id, params, (p) =>
      tf.mean(perExampleLoss('ce', model.forward(p, tf.tensor4d(x.data, [2, ...shape])), labels)),
    );
  });
}

test('auto passes over a software adapter; an explicit webgpu uses it and says so', async (t) => {
  if (adapterWhy) return skipOrFail(t, adapterWhy);
  const probes = await listWebGpuAdapters();
  const adapters = probes.flatMap((p) => (p.adapter ? [p.adapter] : []));
  if (adapters.some((a) => !a.software)) return t.skip('this machine has a hardware adapter');
  assert.notEqual((await initBackend('auto')).name, 'webgpu');
  const webgpu = (await detectBackends()).find((b) => b.name === 'webgpu');
  assert.equal(webgpu?.available, true);
  assert.equal(webgpu?.autoEligible, false);
  const info = await initBackend('webgpu');
  assert.equal(info.name, 'webgpu');
  assert.equal(info.adapter?.software, true);
  assert.match(info.detail ?? '', /software/);
});
