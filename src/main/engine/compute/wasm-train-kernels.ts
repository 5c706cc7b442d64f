/**
 * Replacements for wasm kernels that a training step calls often and the backend implements slowly
 * (measured with scripts/bench-profile.ts on the default CNN, batch 64; see wasm-kernels.ts):
 *
 * - Identity and same-dtype Cast copy the whole buffer on wasm. The engine clones every tensor it
 *   saves for the backward pass through Identity, so that is ~30 copies a step. tfjs tensors are
 *   immutable (even Variable.assign swaps the dataId), so sharing the buffer, as the cpu backend's
 *   Identity and every backend's Reshape do, is safe.
 * - BatchMatMul with transposeA/transposeB falls back to a naive loop (4 ms for a 64x1568x64 dense
 *   gradient, against 0.06 ms for an explicit Transpose plus 0.3 ms for the XNNPACK GEMM). Even
 *   without transposes, XNNPACK repacks the right-hand matrix on each call (0.5 ms of the 0.9 ms
 *   of the CNN's 64x1568x64 dense layer), so 2-D products whose column count is a multiple of 8 use
 *   simd-kernels.ts' `matMul`, which reads both operands in place.
 * - MaxPoolGrad is a naive C++ loop (12 ms for a 64x28x28x16 2x2 pool). 2x2 pools at stride 2 over
 *   a multiple of 4 channels take a SIMD pass (simd-loops.ts) that finds each window's argmax and
 *   routes dy there, 0.2 ms; other pools a JS loop with the cpu backend's rule, still ~5x faster.
 * - Sum over the leading axes (bias gradients) transposes the tensor first; a column sum (SIMD
 *   where the row length is a multiple of 4, JS otherwise) reads it once.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import { backend_util, BatchMatMul, Cast, Identity, MaxPoolGrad, Sum, Transpose, util } from '@tensorflow/tfjs-core';
import type {
  BatchMatMulAttrs,
  CastAttrs,
  KernelFunc,
  MaxPoolGradAttrs,
  SumAttrs,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { matMulInto, ptr, simdKernels } from './simd-kernels';
import { builtinKernel, f32, Scratch, share, type WasmBackend } from './wasm-scratch';

type Args = Parameters<KernelFunc>[0];

export function identityWasm(args: Args): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype === 'string') return builtinKernel(Identity, args.backend).kernelFunc(args) as TensorInfo;
  return share(args.backend as WasmBackend, x);
}

export function castWasm(args: Args): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  const { dtype } = args.attrs as unknown as CastAttrs;
  if (x.dtype === dtype && dtype !== 'string') return share(args.backend as WasmBackend, x);
  return builtinKernel(Cast, args.backend).kernelFunc(args) as TensorInfo;
}

/** Swaps the last two axes with the backend's Transpose. */
function transposeLast2(s: Scratch, t: TensorInfo): TensorInfo {
  const r = t.shape.length;
  const perm = t.shape.map((_, i) => (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2));
  return s.tmp(Transpose, { x: t }, { perm });
}

export function batchMatMulWasm(args: Args): TensorInfo {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  const backend = args.backend as WasmBackend;
  const batched = (t: TensorInfo) => util.sizeFromShape(t.shape.slice(0, -2)) > 1;
  // Batched products take the backend's slow path either way; only the 2-D case gains.
  if (batched(a) || batched(b) || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return builtinKernel(BatchMatMul, backend).kernelFunc(args) as TensorInfo;
  }
  const [ra, rb] = [a.shape.length, b.shape.length];
  const [M, K] = transposeA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const simd = simdKernels(backend);
  const s = new Scratch(backend);
  try {
    const b2 = transposeB ? transposeLast2(s, b) : b;
    if (simd != null && N % 8 === 0 && M > 0 && K > 0) {
      const outShape = [...(ra >= rb ? a.shape : b.shape).slice(0, -2), M, N];
      const out = backend.makeOutput(outShape, 'float32');
      // A(r, p) for row r of the product: a[r, p], or a[p, r] when transposed (read in place).
      const [strideR, strideP] = transposeA ? [4, M * 4] : [K * 4, 4];
      matMulInto(simd, backend, ptr(backend, a.dataId), ptr(backend, b2.dataId), out, M, K, N, strideR, strideP);
      return out;
    }
    if (!transposeA && !transposeB) return builtinKernel(BatchMatMul, backend).kernelFunc(args) as TensorInfo;
    const a2 = transposeA ? transposeLast2(s, a) : a;
    return s.out(BatchMatMul, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  } finally {
    s.dispose();
  }
}

/**
 * dx of a 2-D max pool: each window's dy goes to the first position holding the window's maximum
 * (strictly greater wins, NaN never does), summed where windows overlap: the cpu backend's rule.
 */
function maxPoolGradJs(x: Float32Array, g: Float32Array, out: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sH, strideWidth: sW, filterHeight: FH, filterWidth: FW } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(C);
  const pos = new Int32Array(C);
  out.fill(0);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sH - top;
      const hLo = Math.max(0, h0);
      const hHi = Math.min(H, h0 + FH);
      for (let ow = 0; ow < OW; ow++, o += C) {
        const w0 = ow * sW - left;
        const wLo = Math.max(0, w0);
        const wHi = Math.min(W, w0 + FW);
        best.fill(-Infinity);
        pos.fill(-1);
        for (let h = hLo; h < hHi; h++) {
          for (let w = wLo; w < wHi; w++) {
            const base = ((n * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                pos[c] = base + c;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) if (pos[c] >= 0) out[pos[c]] += g[o + c];
      }
    }
  }
}

/** 2x2 windows at stride 2 without padding: the pools our models use, done in SIMD. */
function isPool2(info: backend_util.Conv2DInfo): boolean {
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  return (
    filterHeight === 2 &&
    filterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    padInfo.top === 0 &&
    padInfo.left === 0 &&
    info.outHeight * 2 <= info.inHeight &&
    info.outWidth * 2 <= info.inWidth &&
    info.inChannels % 4 === 0
  );
}

export function maxPoolGradWasm(args: Args): TensorInfo {
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
  const backend = args.backend as WasmBackend;
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
    return builtinKernel(MaxPoolGrad, backend).kernelFunc(args) as TensorInfo;
  }
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = backend.makeOutput(input.shape, 'float32');
  const simd = simdKernels(backend);
  if (simd == null || !isPool2(info)) {
    maxPoolGradJs(f32(backend, input), f32(backend, dy), f32(backend, dx), info);
    return dx;
  }
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  // The kernel writes every position a window covers; an odd last row or column is covered by none.
  if (OH * 2 !== H || OW * 2 !== W) f32(backend, dx).fill(0);
  simd.maxPool2Grad(
    ptr(backend, input.dataId),
    ptr(backend, dy.dataId),
    ptr(backend, dx.dataId),
    N,
    OH,
    OW,
    C / 4,
    C * 4,
    W * C * 4,
    H * W * C * 4,
  );
  return dx;
}

/** Sum of a float32 tensor over its leading `k` axes: column sums of a [rows, cols] matrix. */
function sumLeading(backend: WasmBackend, x: TensorInfo, k: number, keepDims: boolean): TensorInfo {
  const cols = util.sizeFromShape(x.shape.slice(k));
  const rows = util.sizeFromShape(x.shape.slice(0, k));
  const shape = keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
  const out = backend.makeOutput(shape, 'float32');
  const o = f32(backend, out);
  o.fill(0);
  const simd = simdKernels(backend);
  if (simd != null && cols % 4 === 0) {
    simd.colSum(ptr(backend, x.dataId), ptr(backend, out.dataId), rows, cols / 4);
    return out;
  }
  const v = f32(backend, x);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) o[c] += v[i];
  }
  return out;
}

export function sumWasm(args: Args): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as SumAttrs;
  const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !leading) return builtinKernel(Sum, args.backend).kernelFunc(args) as TensorInfo;
  return sumLeading(args.backend as WasmBackend, x, axes.length, keepDims);
}
