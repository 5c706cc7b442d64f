/**
 * Times the wasm backend's conv kernels for a 64x28x28x16 -> 32, 3x3, 'same' conv (the small CNN's
 * second layer at MNIST size): forward Conv2D, the backend's built-in Conv2DBackpropInput, and our
 * conv-based Conv2DBackpropInput / Conv2DBackpropFilter (src/main/engine/compute/wasm-kernels.ts).
 * Run: node --import tsx scripts/bench-kernels.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/main/engine/compute/backend';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from '../src/main/engine/compute/wasm-kernels';

function msPerCall(run: () => tf.Tensor | tf.Tensor[], iterations: number): number {
  for (let i = 0; i < 2; i++) tf.dispose(run()); // warm-up: operator creation, heap growth
  const start = performance.now();
  for (let i = 0; i < iterations; i++) tf.dispose(run()); // wasm kernels are synchronous
  return (performance.now() - start) / iterations;
}

async function main(): Promise<void> {
  const info = await initBackend('wasm');
  console.log(`backend ${info.name} (${info.detail}), tfjs-core ${info.tfjsVersion}`);
  for (const stride of [1, 2]) {
    const xShape: [number, number, number, number] = [64, 28, 28, 16];
    const fShape: [number, number, number, number] = [3, 3, 16, 32];
    const x = tf.randomNormal(xShape);
    const w = tf.randomNormal(fShape);
    const out = 28 / stride;
    const dy = tf.randomNormal([64, out, out, 32]);
    const attrs = { strides: stride, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: 'floor' };
    const run = (kernel: string, inputs: tf.NamedTensorMap, extra: object) => () =>
      tf.engine().runKernel(kernel, inputs, { ...attrs, ...extra }) as tf.Tensor;
    const forward = run('Conv2D', { x, filter: w }, { dilations: 1 });
    const backpropInput = run('Conv2DBackpropInput', { dy, filter: w }, { inputShape: xShape });
    const backpropFilter = run('Conv2DBackpropFilter', { x, dy }, { filterShape: fShape });

    const rows: [string, number][] = [['forward Conv2D', msPerCall(forward, 20)]];
    unregisterWasmTrainingKernels();
    rows.push(['built-in Conv2DBackpropInput', msPerCall(backpropInput, 5)]);
    registerWasmTrainingKernels();
    rows.push(['ours Conv2DBackpropInput', msPerCall(backpropInput, 20)]);
    rows.push(['ours Conv2DBackpropFilter', msPerCall(backpropFilter, 20)]);
    console.log(`\n64x28x28x16 -> 32, 3x3, same, stride ${stride}`);
    for (const [name, ms] of rows) console.log(`  ${name.padEnd(30)} ${ms.toFixed(1).padStart(7)} ms/call`);
    tf.dispose([x, w, dy]);
  }
}

await main();
