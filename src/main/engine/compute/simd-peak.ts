/**
 * The wasm SIMD ceiling of this machine, measured: how many float operations per second one thread can do with
 * 128-bit SIMD, as a multiply then an add (what plain wasm SIMD has) and as relaxed SIMD's fused multiply-add.
 *
 * Each probe runs ACCUMULATORS independent chains acc = acc * c + d in registers, with nothing loaded or stored in
 * the loop, so the figure is the arithmetic units' rate, the bound that any kernel (a convolution's GEMM) can only
 * approach. Enough chains hide the latency of a multiply followed by an add (8-10 cycles on current x86 at 2-4
 * operations per cycle). c < 1 and d > 0 keep the values near d / (1 - c), far from denormals and infinities.
 * A FLOP here is a multiply or an add, so one multiply-add on four lanes counts 8, as GFLOP/s figures of
 * convolutions and GEMMs count them.
 */
import { assemble, Fn } from './wasm-asm';
import { relaxedSimdAvailable } from './relaxed-simd';

const ACCUMULATORS = 12;
/** Multiply-adds per loop iteration per accumulator: unrolled, so the loop's own counting is noise. */
const UNROLL = 4;
const FLOPS_PER_ITERATION = ACCUMULATORS * UNROLL * 4 * 2;

/** chains(iters, ptr): ptr holds c, d and the accumulators' start values; their sum is stored after them (ptr + 96). */
function chains(name: string, fused: boolean): Fn {
  const f = new Fn(name, ['i32', 'i32']);
  const [iters, p] = [0, 1];
  const i = f.local('i32');
  const [c, d] = [f.local('v128'), f.local('v128')];
  const acc = Array.from({ length: ACCUMULATORS }, () => f.local('v128'));
  f.get(p).load(0).set(c).get(p).load(16).set(d);
  acc.forEach((a, k) =>
    f
      .get(p)
      .load(32 + 16 * (k % 4))
      .set(a),
  );
  f.loop(i, iters, () => {
    for (let u = 0; u < UNROLL; u++) {
      for (const a of acc) {
        if (fused) f.get(a).get(c).get(d).fmadd().set(a);
        else f.get(a).get(c).fmul().get(d).fadd().set(a);
      }
    }
  });
  f.get(p);
  f.get(acc[0]);
  for (const a of acc.slice(1)) f.get(a).fadd();
  f.store(96);
  return f;
}

/**
 * The probe's arithmetic, for tests: the sum of its accumulators after `iters` loop iterations from start value x0,
 * which must equal ACCUMULATORS times x0 iterated `iters * UNROLL` times through x -> x * c + d.
 */
export function runChains(fused: boolean, iters: number, c: number, d: number, x0: number): number {
  const probe = instantiate(fused);
  const f = new Float32Array(probe.memory.buffer, 0, 28);
  f.fill(c, 0, 4).fill(d, 4, 8).fill(x0, 8, 24);
  probe.run(iters, 0);
  return f[24];
}
export const PROBE_SHAPE = { accumulators: ACCUMULATORS, unroll: UNROLL };

interface Probe {
  run(iters: number, ptr: number): void;
  memory: { buffer: ArrayBuffer };
}

function instantiate(fused: boolean): Probe {
  const wa = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const memory = new wa.Memory({ initial: 1 });
  const module = new wa.Module(assemble([chains('run', fused)]));
  const { run } = new wa.Instance(module, { env: { memory } }).exports as { run: Probe['run'] };
  return { run, memory };
}

/** The slice of the WebAssembly API we use (no DOM lib in our tsconfig). */
interface WasmApi {
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: object };
}

/** GFLOP/s of one probe, the best of `repeats` timings of about `seconds` / repeats each. */
function rate(probe: Probe, seconds: number, repeats: number): number {
  const f = new Float32Array(probe.memory.buffer, 0, 28);
  f.fill(0.999, 0, 4);
  f.fill(0.001, 4, 8);
  f.fill(0.5, 8, 24);
  let iters = 1 << 14;
  // Grow the iteration count until one run takes a measurable time, then time repeats of that size.
  for (;;) {
    const t0 = performance.now();
    probe.run(iters, 0);
    const ms = performance.now() - t0;
    if (ms > 20 || iters > 1 << 30) {
      iters = Math.max(1, Math.round((iters * (seconds * 1000)) / repeats / Math.max(ms, 1e-3)));
      break;
    }
    iters *= 4;
  }
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    probe.run(iters, 0);
    best = Math.min(best, performance.now() - t0);
  }
  if (!Number.isFinite(f[24])) throw new Error('SIMD peak probe: the chains overflowed');
  return (iters * FLOPS_PER_ITERATION) / (best / 1000) / 1e9;
}

export interface SimdPeak {
  /** GFLOP/s of f32x4 multiply then add on one thread. */
  mulAdd: number;
  /** GFLOP/s of f32x4.relaxed_madd on one thread, or null where the runtime has no relaxed SIMD. */
  relaxedMadd: number | null;
}

/** Both ceilings on this thread; `seconds` is the total time spent on each (best of several timings). */
export function measureSimdPeak(seconds = 1, repeats = 5): SimdPeak {
  const mulAdd = rate(instantiate(false), seconds, repeats);
  const relaxedMadd = relaxedSimdAvailable() ? rate(instantiate(true), seconds, repeats) : null;
  return { mulAdd, relaxedMadd };
}
