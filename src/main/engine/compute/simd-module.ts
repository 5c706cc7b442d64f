/**
 * Our WebAssembly SIMD modules (simd-kernels.ts, simd-norm.ts) run on the wasm backend's own memory: each is
 * compiled once and instantiated once per backend memory, importing it as env.memory, so pointers are the tensors'
 * memoryOffsets and nothing is copied.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import { assemble, Fn } from './wasm-asm';

/** The slice of the WebAssembly JS API we use (our tsconfig has no DOM lib, which is where it is typed). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * Binds a module to each wasm backend's memory: compiled once (the first of `candidates()` that compiles, so a
 * relaxed-SIMD build can fall back to plain SIMD), instantiated once per memory; null where it cannot run (no
 * wasm SIMD in this runtime, or not a wasm backend). A candidate is a function `build()` gives the module's
 * functions through, or its bytes.
 */
export function simdModule<T>(build: () => Fn[] | (() => Uint8Array)[]): (backend: object) => T | null {
  let compiled: object | null | undefined;
  const instances = new WeakMap<object, T>();
  const compile = (): object | null => {
    const parts = build();
    const candidates = parts.every((p) => p instanceof Fn) ? [() => assemble(parts)] : (parts as (() => Uint8Array)[]);
    for (const bytes of candidates) {
      try {
        return new api!.Module(bytes());
      } catch {
        // the next candidate, if any
      }
    }
    return null; // no wasm SIMD in this runtime: callers fall back to JS or to the backend's kernels
  };
  return (backend) => {
    const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
    if (api == null || !(memory instanceof api.Memory)) return null;
    let k = instances.get(memory);
    if (k == null) {
      if (compiled === undefined) compiled = compile();
      if (compiled == null) return null;
      k = new api.Instance(compiled, { env: { memory } }).exports as T;
      instances.set(memory, k);
    }
    return k;
  };
}
