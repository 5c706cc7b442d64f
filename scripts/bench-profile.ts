/**
 * Per-kernel profile of one training step of a model (--model, default the CNN; at the input shape the paper
 * pairs it with, scripts/bench-models.ts) on the wasm backend, in-process.
 * Every registered wasm kernel is wrapped with a timer; time is attributed exclusively (a kernel
 * composed of other kernels is charged only for its own JS), so the rows add up to the kernel total.
 * "outside kernels" is the rest of the step: tape bookkeeping, tensor creation, the optimizer's JS.
 * Other processes on the machine make single timings noisy, so each measurement is repeated and the
 * minimum kept (per kernel row too); the process's CPU time per step is printed as well, which
 * waiting for a core does not inflate.
 * Run: node --import tsx scripts/bench-profile.ts [--model cnn] [--batch 64] [--steps 64] [--optimizer adam|sgd]
 *      [--repeats 3] [--detail]
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/main/engine/compute/backend';
import { generateSynthetic } from '../src/main/engine/data/synthetic';
import { toImageSplit } from '../src/main/engine/data/raw';
import { ClientTrainer } from '../src/main/engine/fl/client-trainer';
import { initWeights } from '../src/main/engine/models/init';
import { buildModel } from '../src/main/engine/models/registry';
import { createRng } from '../src/main/engine/rng';
import { BENCH_MODELS, parseModel } from './bench-models';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
usage: node --import tsx scripts/bench-profile.ts [--model cnn] [--batch 64] [--steps N] [--optimizer adam|sgd]
       [--repeats 3] [--detail]
  Per-kernel profile of one training step of a model on the wasm backend, in this process.
  --steps defaults to 64 for the CNN and MLP, 4 for the paper's larger models.
`);

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const modelId = parseModel(arg('model', 'cnn'));
const spec = BENCH_MODELS[modelId];
const small = modelId === 'cnn' || modelId === 'mlp';
const batch = Number(arg('batch', small ? '64' : '32'));
const steps = Number(arg('steps', small ? '64' : '4'));
const optimizer = arg('optimizer', 'adam') as 'adam' | 'sgd';
const repeats = Number(arg('repeats', '3'));
/** --detail: one row per kernel and input shapes (and transposes for BatchMatMul). */
const detail = process.argv.includes('--detail');

function key(name: string, args: Parameters<tf.KernelFunc>[0]): string {
  if (!detail) return name;
  const shapes = Object.values(args.inputs)
    .map((t) => `[${(t as tf.TensorInfo).shape}]`)
    .join(' ');
  const a = (args.attrs ?? {}) as Record<string, unknown>;
  const extra =
    name === 'BatchMatMul'
      ? ` tA=${String(a.transposeA)} tB=${String(a.transposeB)}`
      : a.dilations != null
        ? ` dil=${JSON.stringify(a.dilations)}`
        : '';
  return `${name} ${shapes}${extra}`;
}

interface Row {
  calls: number;
  ms: number;
}
const rows = new Map<string, Row>();
const stack: number[] = []; // child time accumulated per open frame
let profiling = false;

function wrapAll(): void {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    const name = config.kernelName;
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      if (!profiling) return inner(args);
      stack.push(0);
      const t0 = performance.now();
      try {
        return inner(args);
      } finally {
        const total = performance.now() - t0;
        const children = stack.pop()!;
        if (stack.length) stack[stack.length - 1] += total;
        const k = key(name, args);
        const r = rows.get(k) ?? { calls: 0, ms: 0 };
        r.calls++;
        r.ms += total - children;
        rows.set(k, r);
      }
    };
  }
}

async function main(): Promise<void> {
  await initBackend('wasm');
  wrapAll();
  const samples = batch * steps;
  const raw = generateSynthetic(createRng(1), {
    shape: spec.shape,
    numClasses: spec.classes,
    trainSize: samples,
    testSize: 10,
  });
  const data = toImageSplit(raw.train, raw.shape);
  const model = buildModel(modelId, spec.shape, spec.classes);
  const trainer = new ClientTrainer(model, data);
  const global = initWeights(model.params, createRng(2));
  const task = { client: 0, indices: Int32Array.from({ length: samples }, (_, i) => i), seed: 'profile' };
  const settings = { localEpochs: 1, batchSize: batch, optimizer, lr: 1e-3, momentum: 0.9 };
  await trainer.train(global, task, settings); // warm-up
  let plain = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < repeats; r++) {
    const c1 = process.cpuUsage();
    const t1 = performance.now();
    await trainer.train(global, task, settings);
    plain = Math.min(plain, performance.now() - t1);
    const c = process.cpuUsage(c1);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  const best = new Map<string, Row>();
  let wall = Infinity;
  for (let r = 0; r < repeats; r++) {
    rows.clear();
    profiling = true;
    const t0 = performance.now();
    await trainer.train(global, task, settings);
    wall = Math.min(wall, performance.now() - t0);
    profiling = false;
    for (const [k, row] of rows) if (!best.has(k) || best.get(k)!.ms > row.ms) best.set(k, row);
  }
  const kernelMs = [...best.values()].reduce((a, r) => a + r.ms, 0);
  console.log(
    `${modelId} ${spec.shape.join('x')}, batch ${batch}, ${optimizer}: ${(plain / steps).toFixed(2)} ms/step unprofiled (${((samples / plain) * 1000).toFixed(0)} samples/s), ` +
      `${(cpu / steps).toFixed(2)} ms/step of process CPU time; profiled ${(wall / steps).toFixed(2)} ms/step`,
  );
  const sorted = [...best.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const w = detail ? 70 : 26;
  for (const [name, r] of sorted) {
    console.log(
      `  ${name.padEnd(w)} ${(r.ms / steps).toFixed(3).padStart(8)} ms/step ${(r.calls / steps).toFixed(1).padStart(6)} calls/step`,
    );
  }
  console.log(`  ${'(all kernels)'.padEnd(w)} ${(kernelMs / steps).toFixed(3).padStart(8)} ms/step`);
  console.log(`  ${'(outside kernels)'.padEnd(w)} ${((wall - kernelMs) / steps).toFixed(3).padStart(8)} ms/step`);
  trainer.dispose();
}

await main();
