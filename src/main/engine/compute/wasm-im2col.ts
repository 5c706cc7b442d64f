/**
 * What the im2col + GEMM convolutions share (the filter gradient in wasm-conv-grads.ts, the forward convolution
 * in wasm-conv-forward.ts): the im2col loops' geometry arguments, a zero vector for the padding, and the size of
 * the patch blocks that go through the GEMM one at a time.
 */
import type { backend_util } from '@tensorflow/tfjs-core';
import { ptr } from './simd-kernels';
import { f32, type Scratch } from './wasm-scratch';

type Shape = [number, number, number, number, number, number, number, number, number, number, number];
/** H, W, channels, OH, OW, KH, KW, sH, sW, top, left: the im2col kernels' trailing arguments. */
export function im2colShape(info: backend_util.Conv2DInfo, channels: number): Shape {
  return [
    info.inHeight,
    info.inWidth,
    channels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/** Pointer to `n` zero floats, freed with the scratch. */
export function zeros(s: Scratch, n: number): number {
  const t = s.own(s.backend.makeOutput([n], 'float32'));
  f32(s.backend, t).fill(0);
  return ptr(s.backend, t.dataId);
}

/** Bytes of patches per block when im2col and GEMM go block by block: well inside L2. */
export const PATCH_BLOCK_BYTES = 256 * 1024;
