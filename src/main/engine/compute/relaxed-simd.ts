/**
 * Relaxed SIMD (f32x4.relaxed_madd, a multiply-add that x86 runs as one FMA) where the runtime has it.
 *
 * V8 ships it on by default from Node 22 / Chrome 114 (so in Electron); Node 20 has it behind
 * --experimental-wasm-relaxed-simd. The flag is a wasm feature flag that V8 reads when a module is compiled, so
 * setting it at run time, before our kernels compile, turns it on in this process and its worker threads without
 * asking users to pass a flag to the engine. Where it still does not compile, callers use plain SIMD (mul then
 * add), which gives the same results up to float rounding (a fused multiply-add rounds once instead of twice).
 */
import v8 from 'node:v8';
import { assemble, Fn } from './wasm-asm';

interface WasmModuleApi {
  Module: new (bytes: Uint8Array) => object;
}
const api = (globalThis as unknown as { WebAssembly?: WasmModuleApi }).WebAssembly;

/** A module with one relaxed_madd, to ask the runtime whether it validates. */
function probeModule(): Uint8Array {
  const f = new Fn('madd', ['i32']);
  f.get(0).get(0).load().get(0).load().get(0).load().fmadd().store();
  return assemble([f]);
}

function compiles(bytes: Uint8Array): boolean {
  try {
    new api!.Module(bytes);
    return true;
  } catch {
    return false;
  }
}

let available: boolean | undefined;

/** Whether relaxed SIMD compiles here, turning V8's flag on first where it is off (Node 20). Cached. */
export function relaxedSimdAvailable(): boolean {
  if (available !== undefined) return available;
  if (api == null) return (available = false);
  const bytes = probeModule();
  if (!compiles(bytes)) {
    // Unknown flags are ignored, so this is harmless on runtimes that dropped it.
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  }
  available = compiles(bytes);
  return available;
}
