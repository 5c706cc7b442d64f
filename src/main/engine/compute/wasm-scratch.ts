/**
 * Plumbing shared by our wasm kernels: the slice of BackendWasm they use, direct views of the wasm
 * heap, the backend's own (built-in) kernels even where ours replaced them, and `Scratch`, which runs
 * other kernels and frees their intermediates.
 *
 * How a kernel is composed of other kernels: exactly like the wasm backend does internally (its
 * Reverse calls Reshape, its StridedSlice calls Slice). We call the other kernels' `kernelFunc`
 * directly with the same `backend`. That works on TensorInfos and never goes through the engine, so
 * nothing lands on the gradient tape and no engine-tracked Tensors are created. The price is manual
 * memory management: every TensorInfo such a call returns holds one reference on its dataId (Reshape
 * shares its input's buffer and bumps the refCount), so each intermediate is released exactly once
 * with `backend.disposeData(dataId)`; only the final output is handed to the engine. With the
 * engine's IS_TEST flag on, tfjs checks this after every kernel ("internal memory leak"); tests use it.
 *
 * Heap views. A kernel written in JS reads and writes tensors through Float32Array views of the wasm
 * memory. Any allocation (makeOutput, another kernel) may grow that memory, which detaches every
 * view taken before, so kernels allocate first and take views after, and never keep one across calls.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import { getKernel } from '@tensorflow/tfjs-core';
import type { DataType, KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

export const WASM = 'wasm';

/** The part of BackendWasm we rely on (its class is not exported at type level in a usable way). */
export interface WasmBackend {
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** A float32 view of a tensor's bytes on the wasm heap; valid until the next allocation. */
export function f32(backend: WasmBackend, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** The same buffer seen with another shape (for kernels that only read by dataId). No refCount change. */
export function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/** A new reference to `t`'s buffer, as cpu's Identity and everyone's Reshape do. */
export function share(
  backend: WasmBackend,
  t: TensorInfo,
  shape: number[] = t.shape,
  dtype: DataType = t.dtype,
): TensorInfo {
  backend.incRef(t.dataId);
  return { dataId: t.dataId, shape, dtype };
}

/** The backend's own configs for kernels ours replaced (filled by wasm-kernels.ts while registered). */
export const builtins = new Map<string, KernelConfig>();

/**
 * A wasm kernel binds its C function in `setupFunc`, which the engine runs only for kernels that
 * are registered when `tf.setBackend('wasm')` is called. A built-in we took out of the registry
 * before that may never have been set up, so we do it ourselves before calling it.
 */
const setUpOn = new WeakMap<KernelConfig, object>();
export function setUp(config: KernelConfig, backend: object | undefined): void {
  if (config.setupFunc == null || backend == null || setUpOn.get(config) === backend) return;
  config.setupFunc(backend);
  setUpOn.set(config, backend);
}

/** The backend's own kernel `name`, even where ours is registered in its place. */
export function builtinKernel(name: string, backend: object): KernelConfig {
  const config = builtins.get(name) ?? getKernel(name, WASM);
  if (config == null) throw new Error(`wasm kernel '${name}' is not registered`);
  setUp(config, backend);
  return config;
}

/** Runs built-in wasm kernels and frees every intermediate they produce. */
export class Scratch {
  private readonly owned: TensorInfo[] = [];
  constructor(readonly backend: WasmBackend) {}

  /** Runs a kernel whose output is an intermediate, freed by `dispose()`. */
  tmp(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
    return this.own(this.out(kernelName, inputs, attrs));
  }

  /** Runs a kernel whose output is the caller's to keep. */
  out(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
    const config = builtinKernel(kernelName, this.backend);
    return config.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo;
  }

  /** A buffer made by the caller that `dispose()` should free. */
  own(t: TensorInfo): TensorInfo {
    this.owned.push(t);
    return t;
  }

  dispose(): void {
    for (const t of this.owned) this.backend.disposeData(t.dataId);
    this.owned.length = 0;
  }
}

export function unsupported(kernel: string, what: string): Error {
  return new Error(`wasm ${kernel} (FedMem kernel) does not support ${what}.`);
}
