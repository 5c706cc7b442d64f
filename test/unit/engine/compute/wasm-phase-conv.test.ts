/**
 * Conv2DBackpropInput at stride > 1 on wasm (wasm-phase-conv.ts: one stride-1 Conv2D per output phase, interleaved)
 * against the cpu backend: strides 2 and 3 (and unequal ones), kernels 1/3/5/7, valid/same/explicit pads (asymmetric,
 * wider than the filter), odd sizes, batch 1, channel counts off multiples of 4; the SIMD and the JS interleave.
 * IS_TEST makes the engine check every kernel for leaked data ids.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import {
  conv2DBackpropInputPhases,
  phaseAxes,
  phaseKernels,
} from '../../../../src/main/engine/compute/wasm-phase-conv';
import { builtins, Scratch, type WasmBackend } from '../../../../src/main/engine/compute/wasm-scratch';
import { assertClose, onBoth, prng, randInt, size, values, type Pad } from './compare';

type Shape4 = [number, number, number, number];
interface Case {
  x: Shape4;
  k: [number, number];
  co: number;
  strides: [number, number];
  pad: Pad;
  rounding?: 'floor' | 'ceil' | 'round';
}

const label = (c: Case) =>
  `x=[${c.x}] k=${c.k} co=${c.co} s=${c.strides} pad=${JSON.stringify(c.pad)}${c.rounding ? ` ${c.rounding}` : ''}`;

function geometry(c: Case) {
  const fShape: Shape4 = [c.k[0], c.k[1], c.x[3], c.co];
  const info = tf.backend_util.computeConv2DInfo(c.x, fShape, c.strides, 1, c.pad, c.rounding);
  const attrs: tf.NamedAttrMap = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
  if (c.rounding != null) attrs.dimRoundingMode = c.rounding;
  return { fShape, info, attrs };
}

/** dx through the engine's Conv2DBackpropInput on the active backend. */
function dx(c: Case, dyv: Float32Array, wv: Float32Array): Float32Array {
  const { fShape, info, attrs } = geometry(c);
  return tf.tidy(() => {
    const inputs = { dy: tf.tensor4d(dyv, info.outShape), filter: tf.tensor4d(wv, fShape) };
    return tf.engine().runKernel<tf.Tensor>('Conv2DBackpropInput', inputs, attrs).dataSync() as Float32Array;
  });
}

function gridCases(): Case[] {
  const r = prng(20261208);
  const cases: Case[] = [];
  for (const k of [1, 3, 5, 7]) {
    for (const s of [2, 3]) {
      for (const kind of ['valid', 'same', 'explicit', 'number'] as const) {
        for (let i = 0; i < 6; i++) {
          // Batch 1 often, odd sizes often (H not a multiple of the stride), Ci off multiples of 4 mostly.
          const x: Shape4 = [randInt(r, 1, 2), randInt(r, k, 13), randInt(r, k, 13), [1, 3, 4, 5, 6, 8][i]];
          const p = () => randInt(r, 0, k + 1); // wider than the filter sometimes: cropped phases
          const pad: Pad =
            kind === 'explicit'
              ? [
                  [0, 0],
                  [p(), p()],
                  [p(), p()],
                  [0, 0],
                ]
              : kind === 'number'
                ? randInt(r, 0, 2)
                : kind;
          const strides: [number, number] = i === 5 ? [s, 5 - s] : [s, s]; // one unequal pair per group
          const rounding = kind === 'number' ? (['floor', 'ceil', 'round'] as const)[i % 3] : undefined;
          cases.push({ x, k: [k, k], co: randInt(r, 1, 9), strides, pad, rounding });
        }
      }
    }
  }
  // Non-square filters, inputs smaller than the stride, a filter wider than the padded input's phases.
  cases.push({ x: [1, 7, 9, 3], k: [3, 5], co: 2, strides: [2, 3], pad: 'same' });
  cases.push({ x: [2, 2, 5, 2], k: [1, 3], co: 3, strides: [3, 2], pad: 'valid' });
  cases.push({ x: [1, 5, 5, 1], k: [7, 7], co: 1, strides: [2, 2], pad: 'same' });
  cases.push({
    x: [1, 9, 9, 2],
    k: [3, 3],
    co: 2,
    strides: [4, 4],
    pad: [
      [0, 0],
      [4, 0],
      [0, 4],
      [0, 0],
    ],
  });
  // ResNet-18's stride-2 layers, scaled down: 3x3 pad 1 and 'same', 1x1 shortcuts.
  cases.push({ x: [1, 16, 16, 8], k: [3, 3], co: 16, strides: [2, 2], pad: 1 });
  cases.push({ x: [1, 16, 16, 8], k: [3, 3], co: 16, strides: [2, 2], pad: 'same' });
  cases.push({ x: [1, 16, 16, 8], k: [1, 1], co: 16, strides: [2, 2], pad: 'valid' });
  return cases;
}

/** Calls of the wasm backend's Conv2D and PadV2 kernels (also those our kernels make directly) while f runs. */
function countKernels(f: () => void): { conv: number[][]; pad: number } {
  const seen = { conv: [] as number[][], pad: 0 };
  // The backend's own kernels, which ours call (the registered Conv2D is ours: wasm-conv-forward.ts, which these
  // channel counts, 3 and 5, leave to XNNPACK).
  const configs = ['Conv2D', 'PadV2'].map(
    (n) => (builtins.get(n) ?? tf.getKernel(n, 'wasm')) as { kernelFunc: tf.KernelFunc },
  );
  const inner = configs.map((c) => c.kernelFunc);
  configs[0].kernelFunc = (args) => {
    seen.conv.push(args.inputs.filter!.shape);
    return inner[0](args);
  };
  configs[1].kernelFunc = (args) => {
    seen.pad++;
    return inner[1](args);
  };
  try {
    f();
  } finally {
    configs.forEach((c, i) => (c.kernelFunc = inner[i]));
  }
  return seen;
}

describe('wasm Conv2DBackpropInput at stride > 1 (phase decomposition)', () => {
  before(async () => {
    await initBackend('wasm');
    tf.env().set('IS_TEST', true);
  });

  it('matches cpu over strides 2/3, kernels 1/3/5/7 and valid/same/explicit/numeric pads', async () => {
    const cases = gridCases();
    const r = prng(31);
    for (const c of cases) {
      const { fShape, info } = geometry(c);
      const dyv = values(r, size(info.outShape));
      const wv = values(r, size(fShape));
      const { cpu, wasm } = await onBoth(() => dx(c, dyv, wv));
      assertClose(wasm, cpu, `dx ${label(c)}`);
    }
    assert.ok(cases.length >= 190);
  });

  it('runs one stride-1 Conv2D per phase that taps reach, and no PadV2 (no dilated dy)', async () => {
    await tf.setBackend('wasm');
    const r = prng(37);
    for (const [c, filters] of [
      // 3x3, stride 2, pad 1: rows/cols of phase 0 take tap 1, of phase 1 taps 0 and 2.
      [
        { x: [1, 8, 8, 3], k: [3, 3], co: 5, strides: [2, 2], pad: 1 },
        [
          [1, 1],
          [1, 2],
          [2, 1],
          [2, 2],
        ],
      ],
      // 'same' at an even size puts the pad after: phase 0 takes taps 0 and 2.
      [
        { x: [1, 8, 8, 3], k: [3, 3], co: 5, strides: [2, 2], pad: 'same' },
        [
          [2, 2],
          [2, 1],
          [1, 2],
          [1, 1],
        ],
      ],
      // 1x1 shortcut: one phase of four takes the tap, the others are zeros without a conv.
      [{ x: [2, 8, 8, 3], k: [1, 1], co: 5, strides: [2, 2], pad: 'valid' }, [[1, 1]]],
      [{ x: [1, 9, 9, 3], k: [3, 3], co: 5, strides: [3, 3], pad: 'valid' }, new Array(9).fill([1, 1])],
    ] as [Case, number[][]][]) {
      const { fShape, info } = geometry(c);
      const dyv = values(r, size(info.outShape));
      const wv = values(r, size(fShape));
      const seen = countKernels(() => dx(c, dyv, wv));
      assert.equal(seen.pad, 0, `PadV2 calls for ${label(c)}`);
      assert.deepEqual(
        seen.conv.map((s) => s.slice(0, 2)),
        filters,
        `Conv2D filter sizes for ${label(c)}`,
      );
      for (const s of seen.conv) assert.deepEqual(s.slice(2), [c.co, c.x[3]], 'channels swapped');
    }
  });

  it('gives each phase its rows, taps and pads', () => {
    // H = 9, 3x3, stride 2, pad 1 before: dy has 5 rows. Phase 0 (rows 0,2,..,8: 5) takes tap 1 at dy row j;
    // phase 1 (rows 1,3,5,7: 4) takes taps 0 and 2: dy rows j+1 and j, so no pad before and none after.
    assert.deepEqual(phaseAxes(9, 5, 3, 2, 1), [
      { r: 0, k0: 1, taps: 1, rows: 5, padBefore: 0, padAfter: 0 },
      { r: 1, k0: 0, taps: 2, rows: 4, padBefore: 0, padAfter: 0 },
    ]);
    // 1x1 at stride 2: phase 1 takes no tap; an input shorter than the stride has fewer phases.
    assert.equal(phaseAxes(8, 4, 1, 2, 0)[1].taps, 0);
    assert.equal(phaseAxes(2, 1, 1, 3, 0).length, 2);
  });

  it('JS interleave (no wasm SIMD) matches the SIMD one', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as WasmBackend;
    assert.ok(phaseKernels(backend), 'the SIMD interleave compiled and bound to the wasm memory');
    const r = prng(41);
    for (const c of [
      { x: [2, 9, 7, 3], k: [3, 3], co: 4, strides: [2, 2], pad: 'same' },
      { x: [1, 8, 11, 5], k: [1, 1], co: 2, strides: [3, 2], pad: 'valid' },
      {
        x: [1, 10, 10, 8],
        k: [5, 5],
        co: 3,
        strides: [2, 2],
        pad: [
          [0, 0],
          [3, 1],
          [0, 6],
          [0, 0],
        ],
      },
    ] as Case[]) {
      const { fShape, info } = geometry(c);
      const dyv = values(r, size(info.outShape));
      const wv = values(r, size(fShape));
      const run = (simd: boolean) =>
        tf.tidy(() => {
          const [dy, filter] = [tf.tensor4d(dyv, info.outShape), tf.tensor4d(wv, fShape)];
          const s = new Scratch(backend);
          try {
            const out = conv2DBackpropInputPhases(s, dy, filter, info, simd);
            return tf.engine().makeTensorFromTensorInfo(out).dataSync() as Float32Array;
          } finally {
            s.dispose();
          }
        });
      const simd = run(true);
      assertClose(run(false), simd, `JS vs SIMD ${label(c)}`, 0);
      assertClose(simd, (await onBoth(() => dx(c, dyv, wv))).cpu, `SIMD vs cpu ${label(c)}`);
    }
  });

  it('leaks no tensors or wasm buffers across repeated calls', async () => {
    await tf.setBackend('wasm');
    const r = prng(43);
    const cases: Case[] = [
      { x: [2, 9, 9, 3], k: [3, 3], co: 4, strides: [2, 2], pad: 'same' },
      { x: [1, 8, 8, 4], k: [1, 1], co: 8, strides: [2, 2], pad: 'valid' },
      {
        x: [1, 7, 7, 2],
        k: [3, 3],
        co: 2,
        strides: [2, 2],
        pad: [
          [0, 0],
          [4, 0],
          [0, 4],
          [0, 0],
        ],
      },
    ];
    const inputs = cases.map((c) => {
      const { fShape, info } = geometry(c);
      return [values(r, size(info.outShape)), values(r, size(fShape))];
    });
    const all = () => cases.forEach((c, i) => dx(c, inputs[i][0], inputs[i][1]));
    all(); // warm-up: first calls may allocate kernel-side caches
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 3; i++) all();
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.backend().numDataIds(), buffers);
  });
});
