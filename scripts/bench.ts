/**
 * `npm run bench`: training throughput of one model (--model ID, default the CNN; vgg9, resnet18 ... at the
 * shape the paper pairs them with) on one backend (--backend NAME, default auto): with 1 worker and with all
 * workers on wasm and cpu, once on the in-process backends (tensorflow-gpu, webgpu, tensorflow); on a backend
 * other than wasm also wasm's figure with all workers in the same run and the ratio to it; and PyTorch's on the
 * identical net, batch and thread count (on CUDA for a GPU backend) when /usr/bin/python3 can import torch.
 * Options: --samples N (per measurement; default per model, small for the big ones: scripts/bench-models.ts),
 * --batch N (default 64), --json (also one JSON line of the figures, last), --preset NAME (also time a whole preset
 * run end to end and print what it shows: label-noise concentration, group sizes, accuracy per group),
 * --preset-only (skip throughput), --study NAME (time a study preset instead; see scripts/bench-study.ts for its
 * options), --soak [--rounds N] (the quick setting for N = 200 rounds: tensors, RSS and wasm heaps at rounds 1, N/2
 * and N; scripts/bench-soak.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MODEL_IDS, type ModelId } from '../src/shared/catalog';
import { parseConfig } from '../src/shared/config';
import { describeGroup, noiseConcentration, table1Notes } from '../src/shared/gme-notes';
import { getPreset } from '../src/shared/presets';
import { ROW_KIND_ORDER, type UnlearningReport } from '../src/shared/results';
import { initBackend, type BackendPref } from '../src/main/engine/compute/backend';
import { defaultWorkerCount } from '../src/main/engine/fl/pool';
import { startRun } from '../src/main/runs/record-run';
import { openDatabase } from '../src/main/store';
import { measureSimdPeak, type SimdPeak } from '../src/main/engine/compute/simd-peak';
import { simdKernelFlavour } from '../src/main/engine/compute/simd-kernels';
import { trainingFlopsPerSample } from './bench-flops';
import {
  BENCH_BACKENDS,
  BENCH_MODELS,
  inProcess,
  measure,
  parseModel,
  torchBench,
  torchMissing,
  type Measured,
} from './bench-models';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
usage: npm run bench [-- OPTIONS]
  Training throughput of a model on one backend, with its achieved GFLOP/s beside the wasm SIMD ceiling, beside wasm's (when the backend is another) and PyTorch's
  on the identical net (when /usr/bin/python3 can import torch; on CUDA for tensorflow-gpu and webgpu).
    --model ID        ${MODEL_IDS.join(', ')} (default cnn), a comma-separated list, or all (cnn, vgg9, resnet18,
                      resnet34); input shape and classes as the paper pairs them:
                      ${MODEL_IDS.map((m) => `${m} ${BENCH_MODELS[m].shape.join('x')}/${BENCH_MODELS[m].classes}`).join(', ')}
    --backend NAME    auto (default), ${BENCH_BACKENDS.join(', ')};
                      wasm and cpu are measured with 1 worker and with all workers, the others in process once
    --samples N       samples per measurement (default per model: ${MODEL_IDS.map((m) => `${m} ${BENCH_MODELS[m].samples}`).join(', ')})
    --batch N         batch size (default 64)
    --json            one JSON line of the figures per model (scripts/gpu-check.sh reads the last): model, batch,
                      threads, workbench, pytorch, ratio (samples/s), gflops, peakGflops, pytorchGflops, ...
    --preset NAME     also time a whole preset run end to end and print what it shows
    --preset-only     time the preset alone, without the throughput figures
    --seed N          the preset's run with another seed (its repeats use N, N+1, ...)
  npm run bench -- --study NAME [--values a,b,c] [--seeds N] [--no-share] [--rounds N] [--local-epochs N] [--keep] [--workers 1,2]
    time a study preset end to end instead (scripts/bench-study.ts; --workers also through a Redis queue)
  npm run bench -- --soak [--rounds N]
    the quick setting for N rounds (default 200): tensors, RSS and wasm heaps at rounds 1, N/2 and N
  Also: bash scripts/gpu-check.sh (a GPU machine's check), node --import tsx scripts/bench-kernels.ts,
  node --import tsx scripts/bench-profile.ts (each has --help).
`);

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
/** --model ID, a comma-separated list, or `all` (the CNN and the paper's three models): a block and JSON line each. */
const modelArg = arg('model', 'cnn');
const models: ModelId[] =
  modelArg === 'all' ? ['cnn', 'vgg9', 'resnet18', 'resnet34'] : modelArg.split(',').map((m) => parseModel(m.trim()));
const backendPref = arg('backend', 'auto') as BackendPref;
if (backendPref !== 'auto' && !BENCH_BACKENDS.includes(backendPref)) {
  throw new Error(`unknown backend '${backendPref}'; choose auto or one of ${BENCH_BACKENDS.join(', ')}`);
}
const samplesArg = arg('samples', '');
const samplesOf = (m: ModelId) => Number(samplesArg || BENCH_MODELS[m].samples);
const batch = Number(arg('batch', '64'));
const preset = arg('preset', '');
/** --preset-only: skip the throughput figures and time the preset alone. */
const presetOnly = process.argv.includes('--preset-only');
const json = process.argv.includes('--json');

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
const rate = (v: number) => `${v.toFixed(v < 100 ? 1 : 0)} samples/s`;
const times = (r: number) => (r >= 0.1 ? r.toFixed(2) : r.toPrecision(2));

/** The chosen backend's figures, wasm's beside it, PyTorch's; the figure a run would get is the last one. */
async function throughput(model: ModelId, peak: SimdPeak | null): Promise<void> {
  const all = defaultWorkerCount();
  const spec = BENCH_MODELS[model];
  const samples = samplesOf(model);
  console.log(
    `${model}, ${spec.data}-shaped input ${spec.shape.join('x')} with ${spec.classes} classes, batch ${batch}, ` +
      `${samples} samples per measurement, ${os.cpus().length} cores`,
  );
  const backend = await initBackend(backendPref);
  console.log(
    `backend measured: ${backend.name}${backend.detail ? ` (${backend.detail})` : ''}; \`fedmem doctor\` says why another is not in use`,
  );
  const base = { model, samples, batch };
  const runs: Measured[] = [];
  for (const workers of inProcess(backend.name) ? [1] : [...new Set([1, all])]) {
    const r = await measure({ ...base, backend: backend.name, workers });
    const heaps = r.workerHeapBytes.length ? `; wasm heap per worker ${r.workerHeapBytes.map(mb).join(', ')}` : '';
    console.log(
      `workbench (${backend.name}), ${r.workers} worker(s): ${rate(r.samplesPerSecond)} ` +
        `(memory: process peak RSS so far ${mb(r.peakRssBytes)}${heaps})`,
    );
    if (!runs.some((x) => x.workers === r.workers)) runs.push(r);
  }
  const mine = runs[runs.length - 1];
  let wasm: number | null = backend.name === 'wasm' ? mine.samplesPerSecond : null;
  if (backend.name !== 'wasm') {
    // A whole batch for every core, so wasm's figure is what a run with all workers gets.
    const atLeast = Math.max(samples, all * batch);
    const w = await measure({ ...base, samples: atLeast, backend: 'wasm', workers: all });
    wasm = w.samplesPerSecond;
    console.log(
      `workbench (wasm), ${w.workers} worker(s)${atLeast > samples ? `, ${atLeast} samples` : ''}: ${rate(wasm)}`,
    );
    console.log(`ratio ${backend.name} / wasm: ${times(mine.samplesPerSecond / wasm)}`);
  }
  const gpu = backend.name === 'tensorflow-gpu' || backend.name === 'webgpu';
  let device: 'cpu' | 'cuda' = gpu ? 'cuda' : 'cpu';
  let why = torchMissing(device);
  if (why && device === 'cuda' && torchMissing('cpu') === null) {
    console.log(`PyTorch on cuda: ${why}; comparing with PyTorch on the CPU instead`);
    [device, why] = ['cpu', null];
  }
  let torch: { samplesPerSecond: number; device: string; threads: number } | null = null;
  const torchByThreads = new Map<number, number>();
  if (why) console.log(`PyTorch: ${why}; workbench figures only`);
  for (const r of why ? [] : gpu || inProcess(backend.name) ? [{ ...mine, workers: all }] : runs) {
    const t = torchBench(base, r.workers, device);
    if ('error' in t) {
      console.log(`PyTorch on ${device} failed: ${t.error}`);
      break;
    }
    const threads = device === 'cuda' ? '' : `, ${r.workers} thread(s)`;
    console.log(`PyTorch ${t.version} on ${device}${threads}: ${rate(t.samplesPerSecond)}`);
    console.log(`ratio ${backend.name} / PyTorch${threads}: ${times(r.samplesPerSecond / t.samplesPerSecond)}`);
    torch = { samplesPerSecond: t.samplesPerSecond, device, threads: r.workers };
    torchByThreads.set(r.workers, t.samplesPerSecond);
  }
  const work = await workFigures(model, mine, torch, peak, backend.name);
  if (json) {
    const ratio = (b: number | null | undefined) => (b ? mine.samplesPerSecond / b : null);
    const out = { backend: backend.name, model, samples, batch, workers: mine.workers };
    console.log(
      JSON.stringify({
        ...out,
        samplesPerSecond: mine.samplesPerSecond,
        wasm,
        ratioToWasm: ratio(wasm),
        torch,
        ratioToTorch: ratio(torch?.samplesPerSecond),
        ...(why && { torchMissing: why }),
        // The issue's per-model summary (threads = workers; pytorch at the same thread count when measured).
        threads: mine.workers,
        workbench: mine.samplesPerSecond,
        pytorch: torch?.threads === mine.workers ? torch.samplesPerSecond : null,
        ratio: torch?.threads === mine.workers ? ratio(torch.samplesPerSecond) : null,
        ...work,
        // The same on one thread (one worker) where it was measured: the per-thread comparison.
        oneThread: runs[0].workers === 1 ? perThread(runs[0].samplesPerSecond, torchByThreads.get(1)) : null,
        peakRssMB: Math.round(mine.peakRssBytes / 2 ** 20),
        workerHeapMB: mine.workerHeapBytes.map((b) => Math.round(b / 2 ** 20)),
      }),
    );
  }
}

function perThread(workbench: number, pytorch: number | undefined) {
  return { workbench, pytorch: pytorch ?? null, ratio: pytorch ? workbench / pytorch : null };
}

/** Peak of the instruction set our kernels use, per thread (relaxed multiply-add where they were built with it). */
const peakPerThread = (p: SimdPeak) => (simdKernelFlavour() === 'relaxed SIMD' && p.relaxedMadd) || p.mulAdd;

/**
 * Achieved GFLOP/s of the workbench's run (and PyTorch's) from the model's FLOP per sample, printed beside the
 * wasm SIMD ceiling of as many threads: the distance to the physical limit, measured rather than guessed.
 */
async function workFigures(
  model: ModelId,
  mine: { samplesPerSecond: number; workers: number },
  torch: { samplesPerSecond: number; threads: number } | null,
  peak: SimdPeak | null,
  backend: string,
): Promise<{ flopsPerSample: number; gflops: number; peakGflops: number | null; pytorchGflops: number | null }> {
  const flopsPerSample = await trainingFlopsPerSample(model);
  const gflops = (mine.samplesPerSecond * flopsPerSample) / 1e9;
  const peakGflops = peak && (backend === 'wasm' || backend === 'cpu') ? peakPerThread(peak) * mine.workers : null;
  const pytorchGflops = torch ? (torch.samplesPerSecond * flopsPerSample) / 1e9 : null;
  const per = (v: number, n: number) => `${(v / n).toFixed(1)} per thread`;
  console.log(
    `work: ${(flopsPerSample / 1e9).toPrecision(3)} GFLOP per training sample (convolution and matrix multiply-adds); ` +
      `achieved ${gflops.toFixed(1)} GFLOP/s (${per(gflops, mine.workers)})` +
      (peakGflops ? `, ${((100 * gflops) / peakGflops).toFixed(0)}% of the wasm SIMD ceiling` : ''),
  );
  if (torch && pytorchGflops) {
    console.log(
      `PyTorch's rate on the same step: ${pytorchGflops.toFixed(1)} GFLOP/s (${per(pytorchGflops, torch.threads)})`,
    );
  }
  return { flopsPerSample, gflops, peakGflops, pytorchGflops };
}

/** The wasm SIMD ceilings of one thread, printed once (simd-peak.ts); null when wasm is not measured. */
function ceilings(): SimdPeak | null {
  const peak = measureSimdPeak(1);
  console.log(
    `wasm SIMD ceiling, 1 thread: ${peak.mulAdd.toFixed(1)} GFLOP/s with multiply then add` +
      (peak.relaxedMadd
        ? `, ${peak.relaxedMadd.toFixed(1)} with relaxed SIMD's fused multiply-add`
        : ', no relaxed SIMD') +
      `; our kernels use ${simdKernelFlavour() ?? 'no SIMD'}`,
  );
  return peak;
}

async function timePreset(name: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-bench-'));
  const store = openDatabase(dir);
  const t0 = performance.now();
  const seed = arg('seed', '');
  const config = parseConfig({ ...getPreset(name), ...(seed && { seed: Number(seed) }) });
  const run = await startRun(store, config).finished;
  console.log(
    `preset ${name}${seed ? ` (seed ${seed})` : ''}: ${run.status} in ${((performance.now() - t0) / 1000).toFixed(1)} s (run ${run.id})`,
  );
  for (const e of store.events.list(run.id)) {
    const message = (e.data as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string' && message.startsWith('Evaluation took')) console.log(message);
  }
  const report = store.artifacts.get(run.id, 'report', 'report')?.json as UnlearningReport | undefined;
  if (report) printFindings(report);
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** What the preset shows: label-noise concentration in the top 20% and each row's accuracy per group. */
function printFindings(report: UnlearningReport): void {
  const conc = noiseConcentration(report);
  const fit = noiseConcentration(report, 20, 'fit');
  if (conc)
    console.log(
      `label-noise share of the top 20% / base rate, per repeat: ${conc.map((c) => c.toFixed(2)).join(', ')}` +
        (fit
          ? `; counting only flipped labels the original model fits: ${fit.map((c) => c.toFixed(2)).join(', ')}`
          : '') +
        (report.noisyFitInUnlearn
          ? ` (it fits ${report.noisyFitInUnlearn.map((f, r) => `${f} of ${report.noisyInUnlearn![r]}`).join(', ')})`
          : ''),
    );
  for (const g of report.groups)
    console.log(`  group ${g.label.padEnd(10)} ${describeGroup(g)}${g.noisy ? `, flipped ${g.noisy.join('/')}` : ''}`);
  const pct = (v: number | null) => (v === null ? '   -  ' : (100 * v).toFixed(1).padStart(6));
  console.log(
    `accuracy % per group (mean over ${report.repeats} repeat(s)), |delta| to the reference in parentheses; test accuracy`,
  );
  for (const r of ROW_KIND_ORDER.flatMap((k) => report.rows.filter((x) => x.kind === k))) {
    const cells = r.groupAccuracy.map((s, p) => `${pct(s.mean)} (${pct(r.groupDelta[p])})`).join(' ');
    console.log(`  ${r.label.padEnd(34)} ${cells}  test ${pct(r.testAccuracy.mean)}`);
  }
  for (const n of table1Notes(report)) console.log(`note: ${n}`);
  printTimes(report);
}

/** Each row's whole unlearning time and time to its peak, with the speed-up over retraining (Figure 2). */
function printTimes(report: UnlearningReport): void {
  const sec = (s: { mean: number | null } | null | undefined) =>
    s?.mean == null ? '     -' : s.mean.toFixed(1).padStart(6);
  const times = (s: { mean: number | null } | null | undefined) =>
    s?.mean == null ? '     -' : `${s.mean.toFixed(2)}x`.padStart(6);
  console.log(
    `time per row (mean over ${report.repeats} repeat(s)): whole training clock s (speed-up over retraining), time to peak s (speed-up)`,
  );
  for (const r of report.rows.filter((x) => x.kind === 'method' || x.kind === 'retrained')) {
    console.log(
      `  ${r.label.padEnd(34)} whole ${sec(r.wallSeconds)} (${times(r.wallSpeedup)})   to peak ${sec(r.timeToPeakSeconds)} (${times(r.speedup)})`,
    );
  }
}

async function main(): Promise<void> {
  const study = arg('study', '');
  if (study) return (await import('./bench-study')).benchStudy(study);
  if (process.argv.includes('--soak')) return (await import('./bench-soak')).benchSoak(Number(arg('rounds', '200')));
  if (!(preset && presetOnly)) {
    await initBackend(backendPref); // the kernels compile, so the ceiling line can say which flavour they use
    const peak = ceilings();
    for (const m of models) await throughput(m, peak);
  }
  if (preset) await timePreset(preset);
}

await main();
