/**
 * Times single wasm kernels of a training step of the default CNN (batch 64), the backend's built-in
 * version against ours (src/main/engine/compute/): the conv gradients of both conv layers, the 2x2
 * MaxPoolGrad, and the dense layer's transposed BatchMatMuls. Then ResNet-18's stride-2 dx (batch 32):
 * ours (one Conv2D per output phase, wasm-phase-conv.ts) against a Conv2D of zero-dilated dy, the
 * construction it replaced, and the forward conv of the same layer. Minimum of several runs, since other
 * processes make single timings noisy. dy is a fresh tensor on every call, as in training: XNNPACK
 * caches work per right-hand operand, which a fixed dy would make look free.
 * Run: node --import tsx scripts/bench-kernels.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/main/engine/compute/backend';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '../src/main/engine/compute/wasm-kernels';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
usage: node --import tsx scripts/bench-kernels.ts
  Times single wasm kernels of the default CNN's training step (batch 64), the backend's own against
  ours: the conv gradients, the 2x2 MaxPoolGrad and the dense layer's BatchMatMuls (minimum of several runs).
  Then ResNet-18's stride-2 Conv2DBackpropInput (batch 32; 3x3 pad 1 and 1x1 shortcuts): ours against a
  Conv2D of zero-dilated dy (the former construction, as engine ops) and the layer's forward Conv2D.
`);

type Run = () => tf.Tensor | tf.Tensor[];

function msPerCall(run: Run, iterations: number): number {
  for (let i = 0; i < 2; i++) tf.dispose(run()); // warm-up: operator creation, heap growth
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) tf.dispose(run()); // wasm kernels are synchronous
    best = Math.min(best, (performance.now() - start) / iterations);
  }
  return best;
}

/** A fresh copy of t per call (Relu of non-negative values: one cheap pass), and what it costs. */
function fresh(t: tf.Tensor): { get: () => tf.Tensor; ms: number } {
  const pos = tf.abs(t);
  return { get: () => tf.relu(pos), ms: msPerCall(() => tf.relu(pos), 20) };
}

function row(name: string, ms: number): void {
  console.log(`  ${name.padEnd(40)} ${ms.toFixed(2).padStart(7)} ms/call`);
}

/** Times `run` with the built-in kernels (where `builtin` and the backend has one) and with ours. */
function compare(name: string, run: Run, iterations: number, overhead: number, builtin = true): void {
  if (builtin) {
    unregisterWasmTrainingKernels();
    try {
      row(`built-in ${name}`, msPerCall(run, Math.max(1, iterations >> 2)) - overhead);
    } catch {
      row(`built-in ${name} (missing)`, NaN);
    }
    registerWasmTrainingKernels();
  }
  row(`ours ${name}`, msPerCall(run, iterations) - overhead);
}

async function main(): Promise<void> {
  const info = await initBackend('wasm');
  console.log(`backend ${info.name} (${info.detail}), tfjs-core ${info.tfjsVersion}`);
  const run = (kernel: string, inputs: tf.NamedTensorMap, attrs: object) => () =>
    tf.engine().runKernel<tf.Tensor>(kernel, inputs, attrs as tf.NamedAttrMap);
  const withFresh = (f: ReturnType<typeof fresh>, k: (d: tf.Tensor) => tf.Tensor) => () => tf.tidy(() => k(f.get()));

  for (const [xShape, co] of [
    [[64, 28, 28, 1], 16],
    [[64, 14, 14, 16], 32],
  ] as [[number, number, number, number], number][]) {
    const fShape: [number, number, number, number] = [3, 3, xShape[3], co];
    const x = tf.randomNormal(xShape);
    const w = tf.randomNormal(fShape);
    const dy = fresh(tf.randomNormal([...xShape.slice(0, 3), co]));
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: 'floor' };
    console.log(`\nconv ${xShape} -> ${co}, 3x3, same (fresh dy: ${dy.ms.toFixed(2)} ms, subtracted)`);
    row('forward Conv2D', msPerCall(run('Conv2D', { x, filter: w }, { ...attrs, dilations: 1 }), 20));
    compare(
      'Conv2DBackpropInput',
      withFresh(dy, (d) => run('Conv2DBackpropInput', { dy: d, filter: w }, { ...attrs, inputShape: xShape })()),
      20,
      dy.ms,
    );
    compare(
      'Conv2DBackpropFilter',
      withFresh(dy, (d) => run('Conv2DBackpropFilter', { x, dy: d }, { ...attrs, filterShape: fShape })()),
      20,
      dy.ms,
      false,
    );
    tf.dispose([x, w]);
  }

  console.log('\nMaxPoolGrad, 2x2 stride 2 (fresh dy subtracted)');
  for (const shape of [
    [64, 28, 28, 16],
    [64, 14, 14, 32],
  ] as [number, number, number, number][]) {
    const input = tf.randomNormal(shape);
    const output = tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid');
    const dy = fresh(tf.randomNormal(output.shape));
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
    compare(
      `MaxPoolGrad [${shape}]`,
      withFresh(dy, (d) => run('MaxPoolGrad', { dy: d, input, output }, attrs)()),
      20,
      dy.ms,
    );
    tf.dispose([input, output]);
  }

  console.log('\ndense 1568 -> 64, batch 64 (fresh right-hand operand subtracted)');
  const a = tf.randomNormal([64, 1568]);
  const g = fresh(tf.randomNormal([64, 64]));
  const wt = fresh(tf.randomNormal([1568, 64]));
  compare(
    'x . W',
    withFresh(wt, (b) => tf.matMul(a, b)),
    20,
    wt.ms,
  );
  compare(
    'dW = x^T . dy',
    withFresh(g, (b) => tf.matMul(a, b, true, false)),
    20,
    g.ms,
  );
  compare(
    'dx = dy . W^T',
    withFresh(wt, (b) => tf.matMul(g.get(), b, false, true)),
    20,
    wt.ms + g.ms,
  );

  console.log('\nResNet-18 stride-2 dx, batch 32 (fresh dy subtracted)');
  for (const [xShape, co, k, pad] of [
    [[32, 32, 32, 64], 128, 3, 1],
    [[32, 16, 16, 128], 256, 3, 1],
    [[32, 8, 8, 256], 512, 3, 1],
    [[32, 32, 32, 64], 128, 1, 'valid'],
    [[32, 16, 16, 128], 256, 1, 'valid'],
    [[32, 8, 8, 256], 512, 1, 'valid'],
  ] as [[number, number, number, number], number, number, number | 'valid'][]) {
    const fShape: [number, number, number, number] = [k, k, xShape[3], co];
    const x = tf.randomNormal(xShape);
    const w = tf.randomNormal(fShape);
    const attrs = { strides: 2, pad, dataFormat: 'NHWC', dimRoundingMode: 'floor' };
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, pad);
    const dy = fresh(tf.randomNormal(y.shape));
    console.log(`  [${xShape}] -> ${co}, ${k}x${k}, stride 2, pad ${pad}`);
    row('forward Conv2D', msPerCall(run('Conv2D', { x, filter: w }, { ...attrs, dilations: 1 }), 5));
    row(
      'zero-dilated dy Conv2D (former)',
      msPerCall(
        withFresh(dy, (d) => dilatedDx(d, w, xShape, pad === 'valid' ? 0 : pad)),
        5,
      ) - dy.ms,
    );
    row(
      'ours Conv2DBackpropInput',
      msPerCall(
        withFresh(dy, (d) => run('Conv2DBackpropInput', { dy: d, filter: w }, { ...attrs, inputShape: xShape })()),
        5,
      ) - dy.ms,
    );
    tf.dispose([x, w, y]);
  }
}

/**
 * dx of a stride-2 conv with symmetric pad `p`, as Conv2DBackpropInput computed it before wasm-phase-conv.ts: dy
 * with a zero after every row and column (reshape + pad), one stride-1 Conv2D with the filter flipped in space and
 * its channels swapped (built on every call, as the kernel did, so XNNPACK packs it every time).
 */
function dilatedDx(dy: tf.Tensor, w: tf.Tensor, xShape: number[], p: number): tf.Tensor {
  const [n, oh, ow, c] = dy.shape;
  const k = w.shape[0];
  const cols = tf.pad(dy.reshape([n * oh * ow, 1, c]), [
    [0, 0],
    [0, 1],
    [0, 0],
  ]);
  const rows = tf.pad(cols.reshape([n * oh, 1, ow * 2 * c]), [
    [0, 0],
    [0, 1],
    [0, 0],
  ]);
  const d = rows.reshape<tf.Tensor4D>([n, oh * 2, ow * 2, c]);
  const wT = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  const before = k - 1 - p;
  const pads: [[0, 0], [number, number], [number, number], [0, 0]] = [
    [0, 0],
    [before, xShape[1] + k - 1 - before - oh * 2],
    [before, xShape[2] + k - 1 - before - ow * 2],
    [0, 0],
  ];
  return tf.conv2d(d, wT, 1, pads);
}

await main();
