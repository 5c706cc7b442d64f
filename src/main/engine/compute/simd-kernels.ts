/**
 * Training loops in WebAssembly SIMD, run on the wasm backend's own memory.
 *
 * A training step has passes that XNNPACK does not cover or covers badly: its GEMM repacks the
 * right-hand matrix on every call (as costly as the product when that matrix is dy or a weight
 * that changes every step), and the rest (argmax routing in MaxPoolGrad, im2col gathers,
 * per-channel sums, the optimizer's update) scalar JS runs at 1-3 ns per element: 2-4 ms each on
 * the default CNN. As 128-bit SIMD loops they take a tenth of that. The module imports the
 * backend's WebAssembly.Memory, so pointers are the tensors' memoryOffsets and nothing is copied.
 * This file has the GEMM and the optimizer updates and assembles the module; the memory-bound
 * loops are in simd-loops.ts. Every function has a JS caller that checks shapes first.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { relaxedSimdAvailable } from './relaxed-simd';
import { assemble, Fn, type ValType } from './wasm-asm';
import { colSum, im2colRows, im2colT, im2colT4, maxPool2Grad, reluBiasGrad } from './simd-loops';
import { simdModule } from './simd-module';
import { adam, momentum } from './simd-optimizer-loops';
import type { WasmBackend } from './wasm-scratch';

/** acc += a * b: one relaxed multiply-add where `fused`, else a multiply then an add. */
function multiplyAdd(f: Fn, acc: number, a: number, b: number, fused: boolean): void {
  if (fused) f.get(a).get(b).get(acc).fmadd().set(acc);
  else f.get(acc).get(a).get(b).fmul().fadd().set(acc);
}

/**
 * matMul(a, b, out, scratch, R, P, C8, strideR, strideP, PB): out[r, c] = sum_p A(r, p) * b[p, c]
 * for r < R, c < 8*C8, where A(r, p) is the float at a + r*strideR + p*strideP (bytes): [R, P]
 * row-major is (4P, 4), [P, R] row-major, a transposed operand, is (4, 4R). b is [P, 8*C8]
 * row-major, out [R, 8*C8]; scratch holds 8*C8 floats for the rows of the last tile past R.
 * Tiles of 4 rows x 8 columns in 8 vector accumulators, the reduction innermost, like XNNPACK's
 * own 4x8 kernel but without its step of repacking b, which costs as much as the product on every
 * call where b changes every step (dy, weights) and the output is small. The reduction runs in
 * blocks of PB rows of b, which stay in L1 while every tile passes over them (b, e.g. dy, is often
 * larger than L2, and each tile reads only 32 bytes of its rows). out is zeroed by the caller.
 * `fused`: relaxed SIMD's multiply-add (relaxed-simd.ts), one FMA on x86 instead of two instructions.
 */
function matMul(fused: boolean): Fn {
  const f = new Fn('matMul', new Array<ValType>(10).fill('i32'));
  const [a, b, out, scratch, R, P, C8, strideR, strideP, PB] = [...Array(10).keys()];
  const [kt, ct, p, off, bp, coBytes, tiles, row, p0, pn, off0, bp0] = new Array(12).fill(0).map(() => f.local('i32'));
  const ap = [0, 0, 0, 0].map(() => f.local('i32'));
  const op = [0, 0, 0, 0].map(() => f.local('i32'));
  const acc = new Array(8).fill(0).map(() => f.local('v128'));
  const [b0, b1, sv] = [f.local('v128'), f.local('v128'), f.local('v128')];
  f.get(C8).i32(32).mul().set(coBytes);
  f.get(R).i32(3).add().i32(4).div().set(tiles);
  const blocks = f.local('i32');
  const blk = f.local('i32');
  f.get(P).get(PB).add().i32(1).sub().get(PB).div().set(blocks);
  f.loop(blk, blocks, () => {
    // this block: rows [p0, p0 + pn) of b
    f.get(blk).get(PB).mul().set(p0);
    f.get(P).get(p0).sub().tee(pn).get(PB).get(pn).get(PB).ltS().select().set(pn);
    f.get(p0).get(strideP).mul().set(off0);
    f.get(p0).get(coBytes).mul().get(b).add().set(bp0);
    f.loop(kt, tiles, () => {
      for (let i = 0; i < 4; i++) {
        // Rows past R read row R-1 and accumulate into scratch: in bounds, never part of out.
        f.get(kt).i32(4).mul().i32(i).add().tee(row).get(R).i32(1).sub().get(row).get(R).ltS().select();
        f.get(strideR).mul().get(a).add().set(ap[i]);
        f.get(row).get(coBytes).mul().get(out).add().get(scratch).get(row).get(R).ltS().select().set(op[i]);
      }
      f.loop(ct, C8, () => {
        for (let i = 0; i < 4; i++) {
          f.get(op[i])
            .get(ct)
            .i32(32)
            .mul()
            .add()
            .tee(row)
            .load()
            .set(acc[2 * i]);
          f.get(row)
            .load(16)
            .set(acc[2 * i + 1]);
        }
        f.get(ct).i32(32).mul().get(bp0).add().set(bp);
        f.get(off0).set(off);
        f.loop(p, pn, () => {
          f.get(bp).load().set(b0);
          f.get(bp).load(16).set(b1);
          ap.forEach((q, i) => {
            f.get(q).get(off).add().loadSplat().set(sv);
            multiplyAdd(f, acc[2 * i], sv, b0, fused);
            multiplyAdd(f, acc[2 * i + 1], sv, b1, fused);
          });
          f.inc(off, () => f.get(strideP)).inc(bp, () => f.get(coBytes));
        });
        for (let i = 0; i < 4; i++) {
          f.get(op[i])
            .get(ct)
            .i32(32)
            .mul()
            .add()
            .tee(row)
            .get(acc[2 * i])
            .store();
          f.get(row)
            .get(acc[2 * i + 1])
            .store(16);
        }
      });
    });
  });
  return f;
}

export interface SimdKernels {
  maxPool2Grad(
    x: number,
    dy: number,
    dx: number,
    N: number,
    OH: number,
    OW: number,
    C4: number,
    cBytes: number,
    rowBytes: number,
    imgBytes: number,
  ): void;
  im2colT(
    x: number,
    out: number,
    N: number,
    H: number,
    W: number,
    C: number,
    OH: number,
    OW: number,
    KH: number,
    KW: number,
    sH: number,
    sW: number,
    top: number,
    left: number,
  ): void;
  im2colT4(
    x: number,
    out: number,
    zero: number,
    p0: number,
    count: number,
    H: number,
    W: number,
    C4: number,
    OH: number,
    OW: number,
    KH: number,
    KW: number,
    sH: number,
    sW: number,
    top: number,
    left: number,
  ): void;
  im2colRows(
    x: number,
    out: number,
    N: number,
    H: number,
    W: number,
    OH: number,
    OW: number,
    sH: number,
    dh: number,
    dw: number,
    owLo: number,
    owHi: number,
  ): void;
  matMul(
    a: number,
    b: number,
    out: number,
    scratch: number,
    R: number,
    P: number,
    C8: number,
    strideR: number,
    strideP: number,
    PB: number,
  ): void;
  colSum(x: number, out: number, rows: number, C4: number): void;
  reluBiasGrad(y: number, dy: number, dz: number, db: number, rows: number, C4: number): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    out: number,
    n4: number,
    b1: number,
    omb1: number,
    b2: number,
    omb2: number,
    omab1: number,
    omab2: number,
    eps: number,
    negLr: number,
  ): void;
  momentum(w: number, g: number, acc: number, out: number, n4: number, mu: number, negLr: number): void;
}

let flavour: 'relaxed SIMD' | 'SIMD' | null = null;

/** The module's bytes; `fused`: with relaxed SIMD's multiply-add in the GEMM (tests build both). */
export function assembleKernels(fused: boolean): Uint8Array {
  return assemble([
    maxPool2Grad(),
    im2colT(),
    im2colT4(),
    im2colRows(),
    matMul(fused),
    colSum(),
    reluBiasGrad(),
    adam(),
    momentum(),
  ]);
}

/** Which instruction set our kernels were built with ('relaxed SIMD' has fused multiply-adds), null before use. */
export function simdKernelFlavour(): 'relaxed SIMD' | 'SIMD' | null {
  return flavour;
}

/** The kernels bound to a wasm backend's memory, or null where they cannot run. */
export const simdKernels = simdModule<SimdKernels>(() =>
  // FEDMEM_NO_RELAXED_SIMD=1: the plain SIMD kernels, to compare the two.
  (process.env.FEDMEM_NO_RELAXED_SIMD === '1' ? [false] : [true, false])
    .filter((fused) => !fused || relaxedSimdAvailable())
    .map((fused) => () => {
      flavour = fused ? 'relaxed SIMD' : 'SIMD';
      return assembleKernels(fused);
    }),
);

/**
 * out [R, C] (+)= A x b through `matMul` (see there for A's strides and b's layout); C must be a
 * multiple of 8. Zeroes out first unless `accumulate`; blocks the reduction so that a block of b
 * stays within ~32 KB.
 */
export function matMulInto(
  k: SimdKernels,
  backend: WasmBackend,
  a: number,
  b: number,
  out: TensorInfo,
  R: number,
  P: number,
  C: number,
  strideR: number,
  strideP: number,
  accumulate = false,
): void {
  if (!accumulate) backend.typedArrayFromHeap(out).fill(0);
  const scratch = backend.makeOutput([C], 'float32');
  try {
    k.matMul(
      a,
      b,
      ptr(backend, out.dataId),
      ptr(backend, scratch.dataId),
      R,
      P,
      C / 8,
      strideR,
      strideP,
      Math.max(16, Math.floor(8192 / C)),
    );
  } finally {
    backend.disposeData(scratch.dataId);
  }
}

/** Byte offset of a tensor's data on the wasm heap. */
export function ptr(backend: object, dataId: object): number {
  return (backend as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(dataId).memoryOffset;
}
