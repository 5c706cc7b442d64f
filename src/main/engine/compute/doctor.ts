/**
 * The compute doctor's fact gathering, in an engine process of its own (the host starts a fresh one
 * for each check and ends it after, so a native package loaded here never pins the engine that
 * answers other queries). It tries every backend through the same `initBackend` runs use, keeps the
 * loader's error text, times a matrix product and a conv training step on each backend that loads, and hands
 * the facts to the pure `diagnoseCompute` (shared/compute-doctor.ts). WebGPU: every API's probe, then the
 * backend itself on the adapter an explicit "webgpu" choice takes (a software one too: it shows the path works).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  diagnoseCompute,
  NATIVE_PACKAGES,
  type BenchmarkResult,
  type ComputeBackend,
  type ComputeFacts,
  type ComputeReport,
  type NativeBackend,
  type NativeProbe,
} from '../../../shared/compute-doctor';
import type { WebGpuFacts } from '../../../shared/webgpu-doctor';
import { initBackend, isInstalled } from './backend';
import { gatherGpuFacts } from './gpu-facts';
import { benchmarkTrainStep } from './train-step-bench';
import { listWebGpuAdapters } from './webgpu';
import { installedPackage } from '../../package-version';

function rootMessage(err: unknown): string {
  const cause = err instanceof Error && err.cause != null ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/** libtensorflow where the package's install script puts it (deps/lib; on Windows also next to the addon). */
function libtensorflowPresent(dir: string): boolean {
  const pattern =
    process.platform === 'win32'
      ? /^tensorflow\.dll$/
      : process.platform === 'darwin'
        ? /^libtensorflow.*\.dylib$/
        : /^libtensorflow\.so/;
  const folders = [path.join(dir, 'deps', 'lib'), ...listDirs(path.join(dir, 'lib'))];
  return folders.some((f) => listFiles(f).some((name) => pattern.test(name)));
}

function listFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function listDirs(dir: string): string[] {
  return listFiles(dir)
    .map((d) => path.join(dir, d))
    .filter((d) => fs.statSync(d, { throwIfNoEntry: false })?.isDirectory());
}

async function probeNative(name: NativeBackend, alreadyLoaded: NativeBackend | undefined): Promise<NativeProbe> {
  const pkg = NATIVE_PACKAGES[name];
  if (!isInstalled(pkg)) return { name, installed: false, loaded: false };
  const { dir, version } = installedPackage(pkg) ?? {};
  const base = {
    name,
    installed: true,
    ...(version && { version }),
    ...(dir && { libtensorflowPresent: libtensorflowPresent(dir) }),
  };
  if (alreadyLoaded != null)
    return {
      ...base,
      loaded: false,
      notTried: `${NATIVE_PACKAGES[alreadyLoaded]} is already loaded (only one of the two fits in a process)`,
    };
  try {
    await initBackend(name);
  } catch (err) {
    return { ...base, loaded: false, loadError: rootMessage(err) };
  }
  const gpuDevice = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  return { ...base, loaded: true, ...(name === 'tensorflow-gpu' && { gpuDevice }) };
}

/**
 * GFLOP/s of an n×n float32 matrix product, repeated for about `seconds` on the active backend.
 * Each product is read back before the next starts, so asynchronous backends are timed in full.
 */
export async function benchmarkMatmul(seconds: number, size: number): Promise<BenchmarkResult> {
  const a = tf.randomUniform([size, size], -1, 1, 'float32', 1);
  const b = tf.randomUniform([size, size], -1, 1, 'float32', 2);
  try {
    const once = async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    };
    await once(); // warm-up: kernels compile and memory is allocated outside the timed loop
    let iterations = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      await once();
      iterations++;
      elapsed = (performance.now() - start) / 1000;
    } while (elapsed < seconds);
    return { size, iterations, seconds: elapsed, gflops: (2 * size ** 3 * iterations) / elapsed / 1e9 };
  } finally {
    a.dispose();
    b.dispose();
  }
}

/** The pure-JS backend is ~100x slower: a smaller product keeps its second a second. */
const BENCH_SIZE: Record<ComputeBackend, number> = {
  'tensorflow-gpu': 1024,
  webgpu: 1024,
  tensorflow: 512,
  wasm: 512,
  cpu: 128,
};

async function probeWebGpu(): Promise<WebGpuFacts> {
  const dawnVersion = installedPackage('webgpu')?.version;
  const base = { platform: process.platform, osRelease: os.release(), ...(dawnVersion && { dawnVersion }) };
  let probes;
  try {
    probes = await listWebGpuAdapters();
  } catch (err) {
    return { ...base, probes: [], loaded: false, packageError: rootMessage(err) };
  }
  if (!probes.some((p) => p.adapter != null)) return { ...base, probes, loaded: false };
  try {
    const info = await initBackend('webgpu');
    return { ...base, probes, loaded: true, ...(info.adapter && { adapter: info.adapter }) };
  } catch (err) {
    return { ...base, probes, loaded: false, loadError: rootMessage(err) };
  }
}

export async function gatherComputeFacts(benchmarkSeconds: number): Promise<ComputeFacts> {
  // tfjs's console advice ("install the node backend") would only repeat, unasked, what the report
  // says; PROD silences it in this short-lived process.
  tf.env().set('PROD', true);
  const benchmarks: ComputeFacts['benchmarks'] = {};
  const trainSteps: NonNullable<ComputeFacts['trainSteps']> = {};
  const bench = async (name: ComputeBackend) => {
    if (benchmarkSeconds <= 0) return;
    benchmarks[name] = await benchmarkMatmul(benchmarkSeconds, BENCH_SIZE[name]);
    trainSteps[name] = await benchmarkTrainStep(benchmarkSeconds);
  };
  const natives: NativeProbe[] = [];
  let loaded: NativeBackend | undefined;
  for (const name of ['tensorflow-gpu', 'tensorflow'] as const) {
    const probe = await probeNative(name, loaded);
    natives.push(probe);
    if (probe.loaded) {
      loaded = name;
      await bench(name);
    }
  }
  const webgpu = await probeWebGpu();
  if (webgpu.loaded) {
    try {
      await bench('webgpu');
    } catch (err) {
      // A device that opens but cannot run tfjs's kernels is as useless as none: report it, do not fail the check.
      Object.assign(webgpu, {
        loaded: false,
        loadError: `the device opened but failed to compute: ${rootMessage(err)}`,
      });
    }
  }
  const builtins: ComputeFacts['builtins'] = [];
  for (const name of ['wasm', 'cpu'] as const) {
    try {
      const info = await initBackend(name);
      builtins.push({ name, loaded: true, ...(info.detail && { detail: info.detail }) });
      await bench(name);
    } catch (err) {
      builtins.push({ name, loaded: false, error: rootMessage(err) });
    }
  }
  return { natives, builtins, gpu: gatherGpuFacts(), benchmarks, trainSteps, webgpu };
}

export async function runComputeDoctor(benchmarkSeconds: number): Promise<ComputeReport> {
  return diagnoseCompute(await gatherComputeFacts(benchmarkSeconds));
}
