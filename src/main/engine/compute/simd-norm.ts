/**
 * The loops of the fused GroupNorm (fused-group-norm.ts): WebAssembly SIMD on the wasm backend's memory
 * (a second small module, bound per memory like simd-kernels.ts's), and the same four loops in plain JS
 * for channel counts that are not multiples of 4 or runtimes without wasm SIMD.
 *
 * Each loop runs over `rows` pixels of C channels (one sample's [H, W, C], row-major) against per-channel
 * vectors of C floats (m, s, b, k1..k3, and the accumulators s1, s2), so the group structure stays in the
 * caller: it broadcasts a group's mean and scale to its channels and sums the channel accumulators per group.
 * Pointers are byte offsets into the heap; the accumulators are added to, never reset.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import { Fn, type ValType } from './wasm-asm';
import { simdModule } from './simd-module';

export interface NormLoops {
  /** s1[c] += sum_r d, s2[c] += sum_r d*d with d = x[r, c] - m[c]. */
  stats(x: number, m: number, s1: number, s2: number, rows: number, C: number): void;
  /** y[r, c] = (x[r, c] - m[c]) * s[c] + b[c]. */
  apply(x: number, y: number, m: number, s: number, b: number, rows: number, C: number): void;
  /** s1[c] += sum_r dy, s2[c] += sum_r dy * (x - m[c]). */
  gradSums(dy: number, x: number, m: number, s1: number, s2: number, rows: number, C: number): void;
  /** dx[r, c] = dy * k1[c] + (x - m[c]) * k2[c] + k3[c]. */
  gradApply(dy: number, x: number, dx: number, m: number, k: number, rows: number, C: number): void;
}

type At = (base: number, local: 'off' | 'q') => Fn;

/**
 * One function over rows x C4 vectors; its last two parameters are rows and C4. `body(f, at)` emits the
 * work on one vector: at(p, 'off') pushes p plus the offset into the [rows, C] operands, at(p, 'q') p plus
 * the offset into the [C] vectors. `setup(f)` emits code run once before the loops.
 */
function rowsByChannels(name: string, params: number, body: (f: Fn, at: At) => void, setup?: (f: Fn) => void): Fn {
  const f = new Fn(name, new Array<ValType>(params).fill('i32'));
  const [rows, C4] = [params - 2, params - 1];
  const [r, c, off, q] = [0, 0, 0, 0].map(() => f.local('i32'));
  const at: At = (base, local) =>
    f
      .get(base)
      .get(local === 'off' ? off : q)
      .add();
  setup?.(f);
  f.i32(0).set(off);
  f.loop(r, rows, () => {
    f.i32(0).set(q);
    f.loop(c, C4, () => {
      body(f, at);
      f.inc(off, 16).inc(q, 16);
    });
  });
  return f;
}

/** normStats(x, m, s1, s2, rows, C4). */
function normStats(): Fn {
  return rowsByChannels('normStats', 6, (f, at) => {
    const [x, m, s1, s2] = [0, 1, 2, 3];
    const d = f.local('v128');
    at(x, 'off').load();
    at(m, 'q').load().fsub().set(d);
    at(s1, 'q');
    at(s1, 'q').load().get(d).fadd().store();
    at(s2, 'q');
    at(s2, 'q').load().get(d).get(d).fmul().fadd().store();
  });
}

/** normApply(x, y, m, s, b, rows, C4). */
function normApply(): Fn {
  return rowsByChannels('normApply', 7, (f, at) => {
    const [x, y, m, s, b] = [0, 1, 2, 3, 4];
    at(y, 'off');
    at(x, 'off').load();
    at(m, 'q').load().fsub();
    at(s, 'q').load().fmul();
    at(b, 'q').load().fadd().store();
  });
}

/** normGradSums(dy, x, m, s1, s2, rows, C4). */
function normGradSums(): Fn {
  return rowsByChannels('normGradSums', 7, (f, at) => {
    const [dy, x, m, s1, s2] = [0, 1, 2, 3, 4];
    const g = f.local('v128');
    at(dy, 'off').load().set(g);
    at(s1, 'q');
    at(s1, 'q').load().get(g).fadd().store();
    at(s2, 'q');
    at(s2, 'q').load();
    at(x, 'off').load();
    at(m, 'q').load().fsub().get(g).fmul().fadd().store();
  });
}

/** normGradApply(dy, x, dx, m, k, rows, C4): k holds k1, k2, k3 as three consecutive [C] vectors. */
function normGradApply(): Fn {
  const C4 = 6;
  let k2 = 0;
  let k3 = 0;
  return rowsByChannels(
    'normGradApply',
    7,
    (f, at) => {
      const [dy, x, dx, m] = [0, 1, 2, 3];
      at(dx, 'off');
      at(dy, 'off').load();
      at(4, 'q').load().fmul();
      at(x, 'off').load();
      at(m, 'q').load().fsub();
      at(k2, 'q').load().fmul().fadd();
      at(k3, 'q').load().fadd().store();
    },
    (f) => {
      // k2 = k + 16*C4, k3 = k2 + 16*C4 (byte pointers to the second and third vectors)
      [k2, k3] = [f.local('i32'), f.local('i32')];
      f.get(4).get(C4).i32(16).mul().add().tee(k2).get(C4).i32(16).mul().add().set(k3);
    },
  );
}

interface SimdNorm {
  normStats(x: number, m: number, s1: number, s2: number, rows: number, C4: number): void;
  normApply(x: number, y: number, m: number, s: number, b: number, rows: number, C4: number): void;
  normGradSums(dy: number, x: number, m: number, s1: number, s2: number, rows: number, C4: number): void;
  normGradApply(dy: number, x: number, dx: number, m: number, k: number, rows: number, C4: number): void;
}

const simdNorm = simdModule<SimdNorm>(() => [normStats(), normApply(), normGradSums(), normGradApply()]);

/** The four loops in JS over a float32 view of the whole heap (pointers are byte offsets, so /4). */
function jsLoops(heap: () => Float32Array): NormLoops {
  return {
    stats(x, m, s1, s2, rows, C) {
      const h = heap();
      const [a1, a2] = [new Float64Array(C), new Float64Array(C)];
      for (let r = 0, i = x >> 2; r < rows; r++) {
        for (let c = 0; c < C; c++, i++) {
          const d = h[i] - h[(m >> 2) + c];
          a1[c] += d;
          a2[c] += d * d;
        }
      }
      for (let c = 0; c < C; c++) {
        h[(s1 >> 2) + c] += a1[c];
        h[(s2 >> 2) + c] += a2[c];
      }
    },
    apply(x, y, m, s, b, rows, C) {
      const h = heap();
      for (let r = 0, i = x >> 2, o = y >> 2; r < rows; r++) {
        for (let c = 0; c < C; c++, i++, o++) h[o] = (h[i] - h[(m >> 2) + c]) * h[(s >> 2) + c] + h[(b >> 2) + c];
      }
    },
    gradSums(dy, x, m, s1, s2, rows, C) {
      const h = heap();
      const [a1, a2] = [new Float64Array(C), new Float64Array(C)];
      for (let r = 0, i = x >> 2, g = dy >> 2; r < rows; r++) {
        for (let c = 0; c < C; c++, i++, g++) {
          a1[c] += h[g];
          a2[c] += h[g] * (h[i] - h[(m >> 2) + c]);
        }
      }
      for (let c = 0; c < C; c++) {
        h[(s1 >> 2) + c] += a1[c];
        h[(s2 >> 2) + c] += a2[c];
      }
    },
    gradApply(dy, x, dx, m, k, rows, C) {
      const h = heap();
      const [mm, k1, k2, k3] = [m >> 2, k >> 2, (k >> 2) + C, (k >> 2) + 2 * C];
      for (let r = 0, i = x >> 2, g = dy >> 2, o = dx >> 2; r < rows; r++) {
        for (let c = 0; c < C; c++, i++, g++, o++) h[o] = h[g] * h[k1 + c] + (h[i] - h[mm + c]) * h[k2 + c] + h[k3 + c];
      }
    },
  };
}

/** SIMD loops where the runtime has them and C is a multiple of 4 (the group size does not matter), else JS. */
export function normLoops(backend: object, C: number): NormLoops {
  const k = C % 4 === 0 ? simdNorm(backend) : null;
  if (k == null) {
    const wasm = (backend as { wasm: { HEAPU8: Uint8Array } }).wasm;
    return jsLoops(() => new Float32Array(wasm.HEAPU8.buffer));
  }
  const C4 = C / 4;
  return {
    stats: (x, m, s1, s2, rows) => k.normStats(x, m, s1, s2, rows, C4),
    apply: (x, y, m, s, b, rows) => k.normApply(x, y, m, s, b, rows, C4),
    gradSums: (dy, x, m, s1, s2, rows) => k.normGradSums(dy, x, m, s1, s2, rows, C4),
    gradApply: (dy, x, dx, m, kk, rows) => k.normGradApply(dy, x, dx, m, kk, rows, C4),
  };
}
