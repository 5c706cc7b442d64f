/**
 * `npm run bench`: training throughput of the default CNN on the active backend with 1 worker and
 * with all workers, and PyTorch's on the identical net, batch and thread count in the same run
 * (when Debian's python3-torch is importable). Options: --samples N (per measurement, default 4096),
 * --batch N (default 64), --preset NAME (also time a whole preset run end to end and print what it
 * shows: label-noise concentration, group sizes, accuracy per group), --preset-only (skip throughput),
 * --study NAME (time a study preset instead; see scripts/bench-study.ts for its options), --soak [--rounds N]
 * (the quick setting for N = 200 rounds: tensors, RSS and wasm heaps at rounds 1, N/2 and N; scripts/bench-soak.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/shared/config';
import { describeGroup, noiseConcentration, table1Notes } from '../src/shared/gme-notes';
import { getPreset } from '../src/shared/presets';
import { ROW_KIND_ORDER, type UnlearningReport } from '../src/shared/results';
import { initBackend } from '../src/main/engine/compute/backend';
import { generateSynthetic } from '../src/main/engine/data/synthetic';
import { toImageSplit } from '../src/main/engine/data/raw';
import { createPool, defaultWorkerCount } from '../src/main/engine/fl/pool';
import { initWeights } from '../src/main/engine/models/init';
import { buildModel } from '../src/main/engine/models/registry';
import { createRng } from '../src/main/engine/rng';
import { startRun } from '../src/main/runs/record-run';
import { openDatabase } from '../src/main/store';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
usage: npm run bench [-- OPTIONS]
  Training throughput of the default CNN (1 worker and all workers), beside PyTorch's when python3-torch
  is importable.
    --samples N       samples per measurement (default 4096)
    --batch N         batch size (default 64)
    --preset NAME     also time a whole preset run end to end and print what it shows
    --preset-only     time the preset alone, without the throughput figures
  npm run bench -- --study NAME [--values a,b,c] [--seeds N] [--no-share] [--rounds N] [--local-epochs N] [--keep] [--workers 1,2]
    time a study preset end to end instead (scripts/bench-study.ts; --workers also through a Redis queue)
  npm run bench -- --soak [--rounds N]
    the quick setting for N rounds (default 200): tensors, RSS and wasm heaps at rounds 1, N/2 and N
  Also: node --import tsx scripts/bench-kernels.ts, node --import tsx scripts/bench-profile.ts (each has --help).
`);

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const samples = Number(arg('samples', '4096'));
const batch = Number(arg('batch', '64'));
const preset = arg('preset', '');
/** --preset-only: skip the throughput figures and time the preset alone. */
const presetOnly = process.argv.includes('--preset-only');
const here = path.dirname(fileURLToPath(import.meta.url));

async function ours(workers: number): Promise<number> {
  const backend = await initBackend('auto');
  console.log(
    `backend measured: ${backend.name}${backend.detail ? ` (${backend.detail})` : ''}; \`fedmem doctor\` says why another is not in use`,
  );
  const raw = generateSynthetic(createRng(1), { trainSize: samples, testSize: 10 });
  const data = toImageSplit(raw.train, raw.shape);
  const pool = await createPool({
    modelId: 'cnn',
    inputShape: [28, 28, 1],
    numClasses: 10,
    backend: backend.name,
    data,
    workers,
  });
  const model = buildModel('cnn', [28, 28, 1], 10);
  const global = initWeights(model.params, createRng(2));
  // One client per worker, the samples split evenly: what a FedAvg round does.
  const per = Math.floor(samples / pool.size);
  const tasks = Array.from({ length: pool.size }, (_, k) => ({
    client: k,
    indices: Int32Array.from({ length: per }, (_, i) => k * per + i),
    seed: `bench/${k}`,
  }));
  const settings = { localEpochs: 1, batchSize: batch, optimizer: 'adam' as const, lr: 1e-3, momentum: 0.9 };
  await pool.train(global, tasks, settings); // warm-up: wasm compile, kernel registration
  const t0 = performance.now();
  await pool.train(global, tasks, settings);
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  console.log(
    `workbench (${backend.name}), ${pool.size} worker(s): ${((per * pool.size) / seconds).toFixed(0)} samples/s`,
  );
  return (per * pool.size) / seconds;
}

function torch(threads: number): number | null {
  const r = spawnSync(
    '/usr/bin/python3',
    [path.join(here, 'bench_torch.py'), String(samples), String(batch), String(threads)],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) return null;
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; samplesPerSecond: number };
  console.log(`PyTorch ${out.torch}, ${threads} thread(s): ${out.samplesPerSecond.toFixed(0)} samples/s`);
  return out.samplesPerSecond;
}

async function timePreset(name: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-bench-'));
  const store = openDatabase(dir);
  const t0 = performance.now();
  const run = await startRun(store, parseConfig(getPreset(name))).finished;
  console.log(`preset ${name}: ${run.status} in ${((performance.now() - t0) / 1000).toFixed(1)} s (run ${run.id})`);
  const report = store.artifacts.get(run.id, 'report', 'report')?.json as UnlearningReport | undefined;
  if (report) printFindings(report);
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** What the preset shows: label-noise concentration in the top 20% and each row's accuracy per group. */
function printFindings(report: UnlearningReport): void {
  const conc = noiseConcentration(report);
  if (conc)
    console.log(
      `label-noise share of the top 20% / base rate, per repeat: ${conc.map((c) => c.toFixed(2)).join(', ')}`,
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
  if (preset && presetOnly) return timePreset(preset);
  const all = defaultWorkerCount();
  console.log(
    `default CNN, MNIST-shaped input, batch ${batch}, ${samples} samples per measurement, ${os.cpus().length} cores`,
  );
  const mine1 = await ours(1);
  const mineN = all > 1 ? await ours(all) : mine1;
  const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  if (!hasTorch) {
    console.log('PyTorch not importable (install Debian python3-torch for a comparison); workbench figures only');
  } else {
    const t1 = torch(1);
    const tN = all > 1 ? torch(all) : t1;
    if (t1) console.log(`ratio vs PyTorch, 1 workers: ${(mine1 / t1).toFixed(2)}`);
    if (tN && all > 1) console.log(`ratio vs PyTorch, ${all} workers: ${(mineN / tN).toFixed(2)}`);
  }
  if (preset) await timePreset(preset);
}

await main();
