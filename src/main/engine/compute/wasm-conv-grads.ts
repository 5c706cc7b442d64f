/**
 * Conv2D gradients for the wasm backend.
 *
 * tfjs-backend-wasm 4.22 ships no `Conv2DBackpropFilter`, so conv nets cannot train on it, and its
 * `Conv2DBackpropInput` is a naive loop about 14x slower than a forward conv of the same size
 * (measured by scripts/bench-kernels.ts).
 *
 * dW is an im2col (simd-loops.ts) straight into the wasm heap and one GEMM (simd-kernels.ts). It
 * used to be a Conv2D of transposed x and dy with dilation = stride, which XNNPACK runs poorly (a
 * "28x28 filter, 3x3 output" conv): for the default CNN's layers, 5 ms and 5 ms where im2col + GEMM
 * now take 0.6 and 3.2 (scripts/bench-kernels.ts). dx is a Conv2D of dy with the filter flipped in
 * space and its channels swapped: as fast as the forward conv; at stride > 1 one such Conv2D per
 * output phase, interleaved (wasm-phase-conv.ts), rather than one of a zero-dilated dy.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import { backend_util, BatchMatMul, Conv2DBackpropFilter, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { matMulInto, ptr, simdKernels } from './simd-kernels';
import { conv, conv2DBackpropInputPhases, cropNegativePads } from './wasm-phase-conv';
import { builtinKernel, f32, Scratch, unsupported, view, type WasmBackend } from './wasm-scratch';
import { im2colShape as shape, PATCH_BLOCK_BYTES, zeros } from './wasm-im2col';

type Shape4 = [number, number, number, number];

function checkCommon(kernel: string, dataFormat: string, dtypes: string[]): void {
  if (dataFormat !== 'NHWC') throw unsupported(kernel, `dataFormat '${dataFormat}'; use 'NHWC'`);
  if (dtypes.some((d) => d !== 'float32')) throw unsupported(kernel, `dtype ${dtypes.join('/')}; use float32`);
}

/** Forward geometry as the forward Conv2D saw it (dilation is always 1: tfjs asserts it before backprop). */
function convInfo(
  kernel: string,
  xShape: Shape4,
  filterShape: Shape4,
  attrs: Conv2DBackpropFilterAttrs | Conv2DBackpropInputAttrs,
  dyShape: number[],
): backend_util.Conv2DInfo {
  const info = backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.outShape.some((d, i) => d !== dyShape[i])) {
    throw unsupported(kernel, `dy of shape [${dyShape}] for a forward output of [${info.outShape}]`);
  }
  return info;
}

/**
 * patches[k, p] for k = (kh*KW + kw)*Ci + ci and p = (n*OH + oh)*OW + ow: the input pixel that filter
 * tap (kh, kw, ci) meets at output position p, or 0 in the padding. Row-major [K, P], so that
 * dW [K, Co] = patches [K, P] x dy [P, Co] is a plain GEMM whose output is already [KH,KW,Ci,Co].
 * This is the JS fallback for runtimes without wasm SIMD; simd-loops.ts has the fast ones.
 */
function im2colTJs(x: Float32Array, out: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sH, strideWidth: sW, filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  let o = 0;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      // Output columns whose input column iw = ow*sW + kw - left lies inside [0, W).
      const owLo = Math.min(OW, Math.max(0, Math.ceil((left - kw) / sW)));
      const owHi = Math.max(owLo, Math.min(OW, Math.floor((W - 1 + left - kw) / sW) + 1));
      for (let ci = 0; ci < C; ci++) {
        for (let n = 0; n < N; n++) {
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * sH + kh - top;
            if (ih < 0 || ih >= H) {
              out.fill(0, o, o + OW);
              o += OW;
              continue;
            }
            let ow = 0;
            for (; ow < owLo; ow++) out[o++] = 0;
            let i = ((n * H + ih) * W + owLo * sW + kw - left) * C + ci;
            const step = sW * C;
            for (; ow < owHi; ow++, i += step) out[o++] = x[i];
            for (; ow < OW; ow++) out[o++] = 0;
          }
        }
      }
    }
  }
}

/** Fills patches [K, P] (see im2colTJs) with the fastest loop that fits the geometry. */
function im2colT(s: Scratch, x: TensorInfo, patches: TensorInfo, info: backend_util.Conv2DInfo): void {
  const backend = s.backend;
  const simd = simdKernels(backend);
  const { inChannels: C, strideWidth: sW, outWidth: OW, inWidth: W, filterHeight: KH, filterWidth: KW } = info;
  const P = info.batchSize * info.outHeight * OW;
  if (simd == null) {
    im2colTJs(f32(backend, x), f32(backend, patches), info);
    return;
  }
  const [px, pp] = [ptr(backend, x.dataId), ptr(backend, patches.dataId)];
  if (C % 4 === 0 && P % 4 === 0) {
    simd.im2colT4(px, pp, zeros(s, C), 0, P, ...shape(info, C / 4));
  } else if (C === 1 && sW === 1) {
    const { batchSize: N, inHeight: H, outHeight: OH, strideHeight: sH } = info;
    const { top, left } = info.padInfo;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const dw = kw - left;
        const owLo = Math.min(OW, Math.max(0, -dw));
        const owHi = Math.max(owLo, Math.min(OW, W - dw));
        simd.im2colRows(px, pp + (kh * KW + kw) * P * 4, N, H, W, OH, OW, sH, kh - top, dw, owLo, owHi);
      }
    }
  } else {
    simd.im2colT(px, pp, info.batchSize, ...shape(info, C));
  }
}

/**
 * dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*sH + kh - top, ow*sW + kw - left, ci] * dy[n,oh,ow,co]: an
 * im2col of x into patches [K, P] and one GEMM, patches x dy [P, Co], whose output [K, Co] is dW.
 * The GEMM is simd-kernels.ts' `matMul` where Co is a multiple of 8: XNNPACK's (BatchMatMul) repacks
 * its right-hand matrix on every call, and repacking dy costs more than the product itself (3.7 ms
 * against 0.5 ms for the CNN's first layer, 1.2 against 2.8 for its second). With the vector
 * im2col, patches are built and multiplied a block of positions at a time, so they never leave L2
 * (all at once they are 7 MB for the CNN's second layer, and building them took twice as long).
 */
export function conv2DBackpropFilterWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const backend = args.backend as WasmBackend;
  const kernel = Conv2DBackpropFilter;
  checkCommon(kernel, attrs.dataFormat, [x.dtype, dy.dtype]);
  const info = convInfo(kernel, x.shape as Shape4, attrs.filterShape, attrs, dy.shape);
  const { filterHeight: KH, filterWidth: KW, inChannels: Ci, outChannels: Co } = info;
  const K = KH * KW * Ci;
  const P = info.batchSize * info.outHeight * info.outWidth;
  const simd = simdKernels(backend);
  const s = new Scratch(backend);
  try {
    if (simd != null && Co % 8 === 0 && Ci % 4 === 0 && P % 4 === 0) {
      const dw = backend.makeOutput([KH, KW, Ci, Co], 'float32');
      f32(backend, dw).fill(0);
      const block = Math.min(P, Math.max(4, Math.floor(PATCH_BLOCK_BYTES / (K * 16)) * 4));
      const patches = s.own(backend.makeOutput([K, block], 'float32'));
      const zero = zeros(s, Ci);
      const [px, pp, pdy] = [ptr(backend, x.dataId), ptr(backend, patches.dataId), ptr(backend, dy.dataId)];
      for (let p0 = 0; p0 < P; p0 += block) {
        const n = Math.min(block, P - p0);
        simd.im2colT4(px, pp, zero, p0, n, ...shape(info, Ci / 4));
        matMulInto(simd, backend, pp, pdy + p0 * Co * 4, dw, K, n, Co, n * 4, 4, true);
      }
      return dw;
    }
    const patches = s.own(backend.makeOutput([K, P], 'float32'));
    im2colT(s, x, patches, info);
    if (simd != null && Co % 8 === 0) {
      const dw = backend.makeOutput([KH, KW, Ci, Co], 'float32');
      matMulInto(simd, backend, ptr(backend, patches.dataId), ptr(backend, dy.dataId), dw, K, P, Co, P * 4, 4);
      return dw;
    }
    const dw = s.out(BatchMatMul, { a: patches, b: view(dy, [P, Co]) }, { transposeA: false, transposeB: false });
    dw.shape = [KH, KW, Ci, Co];
    return dw;
  } finally {
    s.dispose();
  }
}

/** w [KH,KW,Ci,Co] -> [KH,KW,Co,Ci] reversed in both spatial axes (a few thousand floats: plain JS). */
function flipSwap(s: Scratch, filter: TensorInfo): TensorInfo {
  const [KH, KW, Ci, Co] = filter.shape;
  const out = s.own(s.backend.makeOutput([KH, KW, Co, Ci], 'float32'));
  const w = f32(s.backend, filter);
  const o = f32(s.backend, out);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const src = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * Ci * Co;
      const dst = (kh * KW + kw) * Co * Ci;
      for (let ci = 0; ci < Ci; ci++) {
        for (let co = 0; co < Co; co++) o[dst + co * Ci + ci] = w[src + ci * Co + co];
      }
    }
  }
  return out;
}

/**
 * At stride 1, dx is the "full" correlation of dy with the filter reversed in both spatial axes
 * and its in/out channels swapped ([KH,KW,Co,Ci]), padded by KH-1-top above; the other pads make
 * the output exactly HxW. Negative pads (explicit pads wider than the filter) crop dy instead.
 * At larger strides it is sH*sW such correlations, one per output phase (wasm-phase-conv.ts).
 */
export function conv2DBackpropInputWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const backend = args.backend as WasmBackend;
  if (attrs.dataFormat !== 'NHWC') {
    // The backend's own kernel handles NCHW correctly (slowly); prefer right numbers to an error.
    return builtinKernel(Conv2DBackpropInput, backend).kernelFunc(args) as TensorInfo;
  }
  const kernel = Conv2DBackpropInput;
  checkCommon(kernel, attrs.dataFormat, [dy.dtype, filter.dtype]);
  const info = convInfo(kernel, attrs.inputShape, filter.shape as Shape4, attrs, dy.shape);
  const { inHeight: H, inWidth: W, strideHeight: sH, strideWidth: sW } = info;
  const { filterHeight: KH, filterWidth: KW } = info;

  const s = new Scratch(backend);
  try {
    if (sH > 1 || sW > 1) return conv2DBackpropInputPhases(s, dy, filter, info);
    const wT = flipSwap(s, filter);
    const top = KH - 1 - info.padInfo.top;
    const left = KW - 1 - info.padInfo.left;
    const bottom = H + KH - 1 - top - dy.shape[1];
    const right = W + KW - 1 - left - dy.shape[2];
    const c = cropNegativePads(s, dy, [top, bottom, left, right])!; // never empty at stride 1
    return conv(s, c.t, wT, c.pads);
  } finally {
    s.dispose();
  }
}
