/**
 * Backend selection for the engine process: tensorflow-gpu > webgpu (hardware adapter) > tensorflow > wasm > cpu.
 *
 * Native backends. @tensorflow/tfjs-node(-gpu) are optionalDependencies: their install script
 * downloads libtensorflow, which fails on machines like our CI, so they are loaded at run time with
 * a `createRequire` require of a variable name (TypeScript and bundlers never see a static import).
 * Both packages register a backend named 'tensorflow' on the tfjs-core they depend on and switch to
 * it as an import side effect. They pin tfjs-core 4.22.0 like us, so npm dedupes them onto our
 * single copy; and even with a second copy, tfjs-core keeps the engine, the kernel and gradient
 * registries and the Tensor class as process globals, so the backend lands in our engine either way.
 * Only one of the two can live in a process (same backend name), which we enforce.
 *
 * wasm. tfjs-backend-wasm chooses its binary from two async flags: WASM_HAS_SIMD_SUPPORT and
 * WASM_HAS_MULTITHREAD_SUPPORT. The latter is hard-wired to false when IS_NODE (tfjs issue #3830),
 * so in Node (and Electron's utility process) it loads the single-threaded SIMD build and
 * `setThreadsCount` has no effect. We still set the flag to false and the thread count to 1
 * before the backend initialises, so single-threading does not depend on that detection: the
 * engine parallelises with worker_threads, one tfjs engine per thread. We point the backend at
 * the package's dist/ folder for its .wasm files, since a bundled copy would look next to itself.
 *
 * WebGPU. Dawn's adapters and the device are set up in webgpu.ts; `auto` takes it only on a hardware adapter.
 *
 * Every successful init also registers tfjs-core's gradients and chained ops (see gradients.ts):
 * without them nothing can train on plain tfjs-core.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  AUTO_BACKEND_ORDER,
  NATIVE_PACKAGES,
  type ComputeBackend,
  type NativeBackend,
} from '../../../shared/compute-doctor';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { describeAdapter, type WebGpuAdapter } from '../../../shared/webgpu';
import { ensureChainedOps, ensureGradients } from './gradients';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { simdKernelFlavour, simdKernels } from './simd-kernels';
import { activateWebGpu, listWebGpuAdapters } from './webgpu';

export type BackendName = ComputeBackend;
export type BackendPref = BackendName | 'auto';

export interface BackendInfo {
  name: BackendName;
  tfjsVersion: string;
  detail?: string;
  /** The WebGPU adapter the device was opened on (webgpu only). */
  adapter?: WebGpuAdapter;
  /** What `auto`'s speed probe chose over what (compute/backend-probe.ts), for the run's provenance. */
  auto?: string;
}

export interface BackendAvailability {
  name: BackendName;
  available: boolean;
  reason?: string;
  /** False where an explicit choice works but `auto` passes it over (WebGPU on a software adapter). */
  autoEligible?: boolean;
}

export interface InitBackendOptions {
  /** Threads for wasm's XNNPACK pool. Default 1; Node always runs wasm single-threaded anyway. */
  wasmThreads?: number;
}

export const AUTO_ORDER = AUTO_BACKEND_ORDER;

type NativeName = NativeBackend;
/** tfjs's own name for the backend both native packages register. */
const NATIVE_TFJS_BACKEND = 'tensorflow';

interface NativeModule {
  version?: Record<string, string>;
}

const requireHere = createRequire(import.meta.url);
let loadedNative: { name: NativeName; module: NativeModule } | undefined;
let wasmConfigured = false;

function isNative(name: BackendName): name is NativeName {
  return name === 'tensorflow-gpu' || name === 'tensorflow';
}

export function isInstalled(pkg: string): boolean {
  try {
    requireHere.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function loadNative(name: NativeName): NativeModule {
  const pkg = NATIVE_PACKAGES[name];
  if (loadedNative != null) {
    if (loadedNative.name === name) return loadedNative.module;
    throw new Error(
      `The '${name}' backend cannot load ${pkg} because ${NATIVE_PACKAGES[loadedNative.name]} is already loaded in this process; restart the engine to switch.`,
    );
  }
  if (!isInstalled(pkg)) {
    throw new Error(`The '${name}' backend needs the optional package ${pkg}; install it with \`npm install ${pkg}\`.`);
  }
  try {
    const module = requireHere(pkg) as NativeModule;
    loadedNative = { name, module };
    return module;
  } catch (err) {
    // The loader's own text stays in `cause`: the doctor (doctor.ts) reads it to say what is missing.
    throw new Error(
      `The '${name}' backend could not load ${pkg} (${messageOf(err)}); reinstall it with \`npm install ${pkg}\`.`,
      { cause: err },
    );
  }
}

/** dist/ of tfjs-backend-wasm, where its .wasm binaries live; undefined if it cannot be found. */
function wasmDistDir(): string | undefined {
  try {
    const dir = dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm'));
    return existsSync(join(dir, 'tfjs-backend-wasm.wasm')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Must run before the wasm backend first initialises; later calls cannot change anything. */
function configureWasm(threads: number): void {
  if (wasmConfigured) return;
  if (threads <= 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(Math.max(1, Math.floor(threads)));
  const dir = wasmDistDir();
  if (dir != null) setWasmPaths(dir + sep);
  wasmConfigured = true;
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
type Handler = (...args: unknown[]) => void;
const PROCESS_EVENTS: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];
const emitter = process as NodeJS.EventEmitter;

function processHandlers(): Map<ProcessEvent, Handler[]> {
  return new Map(PROCESS_EVENTS.map((e) => [e, emitter.listeners(e) as Handler[]]));
}

/**
 * The wasm backend's Emscripten glue installs process handlers that only rethrow. Node's defaults
 * do the same, but a rethrow from inside the glue makes Node print that one-line, ~100 KB minified
 * file as the "source line" of every later crash of the engine process. Removing them keeps
 * crash output readable and changes nothing else.
 */
function removeHandlersAddedSince(before: Map<ProcessEvent, Handler[]>): void {
  for (const event of PROCESS_EVENTS) {
    const old = before.get(event) ?? [];
    for (const handler of emitter.listeners(event) as Handler[]) {
      if (!old.includes(handler)) emitter.removeListener(event, handler);
    }
  }
}

async function switchTo(tfjsName: string, name: BackendName): Promise<void> {
  if (tf.engine().registryFactory[tfjsName] == null) {
    throw new Error(`The '${name}' backend is not registered with TensorFlow.js.`);
  }
  if (!(await tf.setBackend(tfjsName))) {
    throw new Error(`The '${name}' backend failed to initialise (see the warning TensorFlow.js logged).`);
  }
  await tf.ready();
}

interface Activated {
  detail?: string;
  adapter?: WebGpuAdapter;
}

async function activate(name: BackendName, opts: InitBackendOptions, explicit: boolean): Promise<Activated> {
  if (isNative(name)) {
    const module = loadNative(name);
    await switchTo(NATIVE_TFJS_BACKEND, name);
    const version = module.version?.['tfjs-node'];
    const pkg = `${NATIVE_PACKAGES[name]}${version != null ? ` ${version}` : ''}`;
    if (name === 'tensorflow') return { detail: pkg };
    const onGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
    return { detail: `${pkg}, ${onGpu ? 'GPU device in use' : 'no GPU device found, libtensorflow runs on the CPU'}` };
  }
  if (name === 'webgpu') {
    const adapter = await activateWebGpu(explicit);
    await switchTo('webgpu', name);
    return { detail: describeAdapter(adapter), adapter };
  }
  if (name === 'wasm') {
    configureWasm(opts.wasmThreads ?? 1);
    registerWasmTrainingKernels();
    const handlers = processHandlers();
    await switchTo('wasm', name);
    removeHandlersAddedSince(handlers);
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = getThreadsCount();
    // Our kernels' flavour is part of what makes numbers reproducible: relaxed SIMD's multiply-add is fused on CPUs
    // with FMA and not on others, so the same run may differ in the last bits between such machines.
    const ours = simdKernels(tf.backend()) != null ? simdKernelFlavour() : null;
    const kernels = ours === 'relaxed SIMD' ? 'FedMem backprop kernels (relaxed SIMD)' : 'FedMem backprop kernels';
    return { detail: `${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}, ${kernels}` };
  }
  await switchTo('cpu', name);
  return { detail: 'pure JavaScript; too slow for conv training' };
}

/**
 * Makes `pref` the active tfjs backend (after `tf.setBackend`, awaits `tf.ready()`), and registers
 * gradients and chained ops. 'auto' tries AUTO_ORDER and never throws for a missing native package;
 * an explicit choice that cannot be had rejects with a one-sentence reason.
 */
export async function initBackend(pref: BackendPref = 'auto', opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (pref !== 'auto' && !AUTO_ORDER.includes(pref)) {
    throw new Error(`Unknown backend '${String(pref)}'; choose one of auto, ${AUTO_ORDER.join(', ')}.`);
  }
  const order = pref === 'auto' ? AUTO_ORDER : [pref];
  const failures: string[] = [];
  /** Installed-but-broken native packages: worth telling the user why auto passed them over. */
  const brokenNatives: string[] = [];
  for (const name of order) {
    let activated: Activated;
    try {
      activated = await activate(name, opts, pref !== 'auto');
    } catch (err) {
      if (pref !== 'auto') throw err;
      failures.push(messageOf(err));
      if (isNative(name) && isInstalled(NATIVE_PACKAGES[name])) brokenNatives.push(messageOf(err));
      continue;
    }
    await Promise.all([ensureGradients(), ensureChainedOps()]);
    let detail = activated.detail;
    if (brokenNatives.length > 0) detail = [detail, ...brokenNatives].join('; ');
    return {
      name,
      tfjsVersion: tf.version_core,
      ...(detail != null && { detail }),
      ...(activated.adapter && { adapter: activated.adapter }),
    };
  }
  throw new Error(`No TensorFlow.js backend could be initialised: ${failures.join(' ')}`);
}

/**
 * What a settings page can offer. Side-effect free: native packages are checked for presence, not
 * loaded (loading one switches the active backend and pins the process to it), so a package that
 * is installed but broken shows as available until `initBackend` reports why it failed.
 */
export async function detectBackends(): Promise<BackendAvailability[]> {
  const natives = (['tensorflow-gpu', 'tensorflow'] as const).map((name): BackendAvailability => {
    const pkg = NATIVE_PACKAGES[name];
    if (loadedNative?.name === name) return { name, available: true };
    if (loadedNative != null) {
      return {
        name,
        available: false,
        reason: `${NATIVE_PACKAGES[loadedNative.name]} is already loaded in this process`,
      };
    }
    return isInstalled(pkg) ? { name, available: true } : { name, available: false, reason: `${pkg} is not installed` };
  });
  return [natives[0], await detectWebGpu(), natives[1], detectWasm(), { name: 'cpu', available: true }];
}

/** Lists adapters without opening a device (cheap, and it does not switch the active backend). */
async function detectWebGpu(): Promise<BackendAvailability> {
  let probes;
  try {
    probes = await listWebGpuAdapters();
  } catch (err) {
    return { name: 'webgpu', available: false, reason: messageOf(err) };
  }
  const adapters = probes.flatMap((p) => (p.adapter ? [p.adapter] : []));
  if (adapters.some((a) => !a.software)) return { name: 'webgpu', available: true };
  if (adapters.length > 0) {
    return {
      name: 'webgpu',
      available: true,
      autoEligible: false,
      reason: `software adapter only (${describeAdapter(adapters[0])}): slower than wasm, for tests; auto passes it over`,
    };
  }
  return { name: 'webgpu', available: false, reason: 'no WebGPU adapter found (fedmem doctor says why)' };
}

function detectWasm(): BackendAvailability {
  if (tf.engine().registry['wasm'] != null) return { name: 'wasm', available: true };
  if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object') {
    return { name: 'wasm', available: false, reason: 'this runtime has no WebAssembly support' };
  }
  if (wasmDistDir() == null) {
    return {
      name: 'wasm',
      available: false,
      reason: 'the .wasm files of @tensorflow/tfjs-backend-wasm were not found',
    };
  }
  return { name: 'wasm', available: true };
}
