/**
 * relu(conv2d(x, w) + b) as one kernel with its own gradient, for the wasm backend.
 *
 * Composed of separate ops, a conv layer costs a bias Add and a Relu forward, and Step, Multiply and
 * a bias-gradient Sum backward: five passes over the layer's largest tensor. Here the forward is
 * the backend's FusedConv2D (XNNPACK applies bias and ReLU as it writes the output) and the
 * backward starts with one SIMD pass that masks dy by y > 0 and sums it per channel, then hands dz to
 * the conv gradients (wasm-conv-grads.ts). tf.fused.conv2d would also fuse the forward, but its
 * gradient is a customGrad that computes dx even where no one needs it (the first layer's input)
 * and does the bias and ReLU gradients as separate ops.
 *
 * On other backends `conv2dBiasRelu` is the plain composition, so models can call it everywhere.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import * as tf from '@tensorflow/tfjs-core';
import {
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  FusedConv2D,
  getKernel,
  registerGradient,
  registerKernel,
} from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { ptr, simdKernels } from './simd-kernels';
import { builtinKernel, f32, WASM, type WasmBackend } from './wasm-scratch';

export const CONV2D_BIAS_RELU = 'FedMemConv2DBiasRelu';
export const RELU_BIAS_GRAD = 'FedMemReluBiasGrad';

type Pad = 'valid' | 'same' | number;
interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
}

function conv2dBiasReluWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { strides, pad } = args.attrs as unknown as ConvAttrs;
  const attrs = { strides, pad, dataFormat: 'NHWC', dilations: [1, 1], activation: 'relu' } as unknown as NamedAttrMap;
  return builtinKernel(FusedConv2D, args.backend).kernelFunc({ ...args, attrs }) as TensorInfo;
}

/** [dz, db]: dz = dy where y > 0, else 0; db = dz summed over every axis but the last. */
function reluBiasGradWasm(args: Parameters<KernelFunc>[0]): TensorInfo[] {
  const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
  const backend = args.backend as WasmBackend;
  const C = y.shape[y.shape.length - 1];
  const rows = y.shape.reduce((a, b) => a * b, 1) / C;
  const dz = backend.makeOutput(y.shape, 'float32');
  const db = backend.makeOutput([C], 'float32');
  f32(backend, db).fill(0);
  const simd = simdKernels(backend);
  if (simd != null && C % 4 === 0) {
    simd.reluBiasGrad(
      ptr(backend, y.dataId),
      ptr(backend, dy.dataId),
      ptr(backend, dz.dataId),
      ptr(backend, db.dataId),
      rows,
      C / 4,
    );
    return [dz, db];
  }
  const [yv, g, z, b] = [f32(backend, y), f32(backend, dy), f32(backend, dz), f32(backend, db)];
  const acc = new Float64Array(C);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < C; c++, i++) {
      const v = yv[i] > 0 ? g[i] : 0;
      z[i] = v;
      acc[c] += v;
    }
  }
  b.set(acc);
  return [dz, db];
}

let gradientRegistered = false;

/** Registers both kernels on 'wasm' (unless they are) and, once, the fused op's gradient. */
export function registerFusedConvKernels(): void {
  if (getKernel(CONV2D_BIAS_RELU, WASM) == null) {
    registerKernel({ kernelName: CONV2D_BIAS_RELU, backendName: WASM, kernelFunc: conv2dBiasReluWasm });
  }
  if (getKernel(RELU_BIAS_GRAD, WASM) == null) {
    registerKernel({ kernelName: RELU_BIAS_GRAD, backendName: WASM, kernelFunc: reluBiasGradWasm });
  }
  if (gradientRegistered) return;
  registerGradient({
    kernelName: CONV2D_BIAS_RELU,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const { strides, pad } = attrs as unknown as ConvAttrs;
      const [dz, db] = tf.engine().runKernel<tf.Tensor[]>(RELU_BIAS_GRAD, { dy: dy as tf.Tensor, y });
      const common = { strides, pad, dataFormat: 'NHWC' };
      return {
        x: () =>
          tf.engine().runKernel<tf.Tensor>(Conv2DBackpropInput, { dy: dz, filter }, { ...common, inputShape: x.shape }),
        filter: () =>
          tf
            .engine()
            .runKernel<tf.Tensor>(Conv2DBackpropFilter, { x, dy: dz }, { ...common, filterShape: filter.shape }),
        bias: () => db,
      };
    },
  });
  gradientRegistered = true;
}

/** relu(conv2d(x, filter, strides, pad) + bias), NHWC, dilation 1: one fused kernel where the backend has it. */
export function conv2dBiasRelu(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor,
  strides: number,
  pad: Pad,
): tf.Tensor4D {
  if (getKernel(CONV2D_BIAS_RELU, tf.getBackend()) == null) {
    return tf.tidy(() => tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(x, filter, strides, pad), bias)));
  }
  return tf.engine().runKernel<tf.Tensor4D>(CONV2D_BIAS_RELU, { x, filter, bias }, { strides, pad });
}
