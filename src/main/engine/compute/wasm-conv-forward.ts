/**
 * Conv2D on the wasm backend as im2col and our GEMM (simd-kernels.ts' `matMul`), block by block like the filter
 * gradient (wasm-conv-grads.ts): out [P, Co] = patches [P, K] x filter [K, Co], the patches built a block of output
 * positions at a time so they stay in L2.
 *
 * XNNPACK's convolution (the backend's own) reaches about the same rate on most layers, but it repacks the filter
 * on every call where the filter is new, which in training is every step (and every input-gradient convolution's
 * flipped filter); on ResNet-18's 512-channel layers (4x4 outputs, a 9.4 MB filter) that made it 20% slower, and
 * our GEMM uses relaxed SIMD's fused multiply-add where the runtime has it (relaxed-simd.ts), which XNNPACK's
 * build does not. Measured side by side with scripts/bench-kernels.ts. Layers it does not suit (channels not a
 * multiple of 4 in or 8 out, such as an RGB stem; dilations; NCHW) go to XNNPACK.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import { backend_util, Conv2D } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ptr, simdKernels } from './simd-kernels';
import { im2colShape, PATCH_BLOCK_BYTES, zeros } from './wasm-im2col';
import { builtinKernel, f32, Scratch, type WasmBackend } from './wasm-scratch';

type Shape4 = [number, number, number, number];

/** The forward geometry, or null where this GEMM path does not apply (the caller then uses XNNPACK). */
function gemmGeometry(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): backend_util.Conv2DInfo | null {
  if (attrs.dataFormat !== 'NHWC' || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const dilations = typeof attrs.dilations === 'number' ? [attrs.dilations] : (attrs.dilations ?? [1]);
  if (dilations.some((d) => d !== 1)) return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const P = info.batchSize * info.outHeight * info.outWidth;
  // im2colT4 takes 4 channels and 4 positions at a time; matMul 8 output channels.
  return info.inChannels % 4 === 0 && info.outChannels % 8 === 0 && P % 4 === 0 && P > 0 ? info : null;
}

/**
 * out = conv2d(x, filter) through im2col + GEMM, or null where it does not apply. `s` owns the scratch; the result
 * is a new tensor the caller owns.
 */
export function convGemm(s: Scratch, x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): TensorInfo | null {
  const backend: WasmBackend = s.backend;
  const simd = simdKernels(backend);
  const info = simd == null ? null : gemmGeometry(x, filter, attrs);
  if (simd == null || info == null) return null;
  const { inChannels: Ci, outChannels: Co, filterHeight: KH, filterWidth: KW } = info;
  const K = KH * KW * Ci;
  const P = info.batchSize * info.outHeight * info.outWidth;
  const out = backend.makeOutput(info.outShape, 'float32');
  f32(backend, out).fill(0); // matMul accumulates into its output
  const block = Math.min(P, Math.max(4, Math.floor(PATCH_BLOCK_BYTES / (K * 16)) * 4));
  const patches = s.own(backend.makeOutput([K, block], 'float32'));
  const zero = zeros(s, Math.max(Ci, Co)); // the padding's zeros; also matMul's scratch row (unused: blocks are x4)
  const [px, pp, pw, po] = [x, patches, filter, out].map((t) => ptr(backend, t.dataId));
  const geometry = im2colShape(info, Ci / 4);
  const reductionBlock = Math.max(16, Math.floor(8192 / Co));
  for (let p0 = 0; p0 < P; p0 += block) {
    const n = Math.min(block, P - p0);
    simd.im2colT4(px, pp, zero, p0, n, ...geometry);
    // A(r, k) = patches[k, r]: consecutive positions 4 bytes apart, consecutive taps a row of n floats apart.
    simd.matMul(pp, pw, po + p0 * Co * 4, zero, n, K, Co / 8, 4, n * 4, reductionBlock);
  }
  return out;
}

export function conv2DWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const s = new Scratch(args.backend as WasmBackend);
  try {
    const out = convGemm(s, x, filter, args.attrs as unknown as Conv2DAttrs);
    if (out != null) return out;
  } finally {
    s.dispose();
  }
  return builtinKernel(Conv2D, args.backend).kernelFunc(args) as TensorInfo;
}
