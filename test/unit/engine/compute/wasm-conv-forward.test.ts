/**
 * Our wasm Conv2D (im2col + GEMM, wasm-conv-forward.ts) against the cpu backend's, over strides, paddings, kernel
 * sizes, odd sizes and batch 1; layers it does not take (an RGB input, 5 output channels, dilation 2) go to XNNPACK
 * and agree too. IS_TEST makes the engine check every kernel for leaked data ids.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Conv2D, getKernel } from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { conv2DWasm, convGemm } from '../../../../src/main/engine/compute/wasm-conv-forward';
import { Scratch, type WasmBackend } from '../../../../src/main/engine/compute/wasm-scratch';
import { assertClose, onBoth, prng, randInt, values, type Pad } from './compare';

interface Case {
  x: [number, number, number, number];
  k: number;
  co: number;
  stride: number;
  pad: Pad;
  dilation?: number;
}

const label = (c: Case) => `x [${c.x}] k${c.k} co${c.co} s${c.stride} pad ${JSON.stringify(c.pad)} d${c.dilation ?? 1}`;

function forward(c: Case, xv: Float32Array, wv: Float32Array): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.x);
    const w = tf.tensor4d(wv, [c.k, c.k, c.x[3], c.co]);
    return tf.conv2d(x, w, c.stride, c.pad, 'NHWC', c.dilation ?? 1).dataSync() as Float32Array;
  });
}

function check(c: Case, seed: number): Promise<void> {
  const r = prng(seed);
  const xv = values(
    r,
    c.x.reduce((a, b) => a * b, 1),
  );
  const wv = values(r, c.k * c.k * c.x[3] * c.co);
  return onBoth(() => forward(c, xv, wv)).then(({ cpu, wasm }) => assertClose(wasm, cpu, label(c)));
}

/** Whether our GEMM path takes the case (rather than XNNPACK). */
function takes(c: Case): boolean {
  const backend = tf.backend() as unknown as WasmBackend;
  const s = new Scratch(backend);
  const x = tf.zeros(c.x);
  const w = tf.zeros([c.k, c.k, c.x[3], c.co]);
  try {
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilation ?? 1 };
    const out = convGemm(s, x, w, attrs as unknown as tf.Conv2DAttrs);
    if (out != null) backend.disposeData(out.dataId);
    return out != null;
  } finally {
    s.dispose();
    tf.dispose([x, w]);
  }
}

describe('wasm Conv2D through im2col + GEMM', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('is the wasm backend registered Conv2D', () => {
    assert.equal(getKernel(Conv2D, 'wasm')?.kernelFunc, conv2DWasm);
  });

  it('matches cpu over strides, paddings, kernel sizes, odd sizes and batch 1', async () => {
    const r = prng(90210);
    const pads: Pad[] = [
      'same',
      'valid',
      1,
      0,
      [
        [0, 0],
        [2, 0],
        [1, 3],
        [0, 0],
      ],
    ];
    let taken = 0;
    for (const k of [1, 3, 5]) {
      for (const stride of [1, 2, 3]) {
        for (const pad of pads) {
          const n = randInt(r, 1, 3);
          const c: Case = {
            x: [n, randInt(r, k, 11), randInt(r, k, 11), 4 * randInt(r, 1, 3)],
            k,
            co: 8 * randInt(r, 1, 2),
            stride,
            pad,
          };
          await tf.setBackend('wasm');
          if (takes(c)) taken++;
          await check(c, randInt(r, 1, 1e9));
        }
      }
    }
    // Positions are a multiple of 4 for most draws; the rest go to XNNPACK (also checked above).
    assert.ok(taken >= 20, `the GEMM path took ${taken} of 45 cases`);
  });

  it("ResNet-18's layers at batch 2 (3x3 stride 1 and 2, 1x1 stride 2) take the GEMM path and match cpu", async () => {
    await tf.setBackend('wasm');
    const cases: Case[] = [
      { x: [2, 32, 32, 64], k: 3, co: 64, stride: 1, pad: 1 },
      { x: [2, 16, 16, 128], k: 3, co: 256, stride: 2, pad: 1 },
      { x: [2, 8, 8, 256], k: 1, co: 512, stride: 2, pad: 0 },
    ];
    for (const c of cases) {
      await tf.setBackend('wasm');
      assert.equal(takes(c), true, label(c));
      await check(c, 7);
    }
  });

  it('leaves an RGB input, 5 output channels and dilation 2 to XNNPACK, with the same results as cpu', async () => {
    const cases: Case[] = [
      { x: [2, 9, 9, 3], k: 3, co: 16, stride: 1, pad: 1 },
      { x: [2, 9, 9, 8], k: 3, co: 5, stride: 1, pad: 'same' },
      { x: [1, 12, 12, 8], k: 3, co: 8, stride: 1, pad: 'valid', dilation: 2 },
    ];
    for (const c of cases) {
      await tf.setBackend('wasm');
      assert.equal(takes(c), false, label(c));
      await check(c, 11);
    }
  });
});
