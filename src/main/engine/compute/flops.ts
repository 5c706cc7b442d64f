/**
 * Floating-point work of a training step, counted from the kernels it runs: the multiply-adds of convolutions
 * (forward, input gradient, filter gradient) and matrix products, 2 FLOP each, the convention behind published
 * GFLOP figures of networks. Element-wise kernels (GroupNorm's, ReLU, the optimizer) are memory-bound and not
 * counted. Only kernels the step asks for are counted, never kernels one of ours runs inside itself (a stride-2
 * input gradient computed as a larger convolution counts as the useful work, not the wasted part), so the achieved
 * GFLOP/s of different backends and implementations are comparable.
 */
import * as tf from '@tensorflow/tfjs-core';

type Shapes = Record<string, readonly number[] | undefined>;
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** FLOP of one kernel call from its input shapes, attributes and first output's shape; 0 for uncounted kernels. */
export function kernelFlops(
  name: string,
  inputs: Shapes,
  attrs: Record<string, unknown>,
  out: readonly number[],
): number {
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D':
    case 'FedMemConv2DBiasRelu': {
      const [kh, kw, ci] = inputs.filter ?? [0, 0, 0];
      return 2 * prod(out) * kh * kw * ci;
    }
    case 'Conv2DBackpropInput': {
      const [kh, kw, ci] = inputs.filter ?? [0, 0, 0];
      return 2 * prod(inputs.dy ?? []) * kh * kw * ci;
    }
    case 'Conv2DBackpropFilter': {
      const [kh, kw, ci] = (attrs.filterShape as number[] | undefined) ?? [0, 0, 0];
      return 2 * prod(inputs.dy ?? []) * kh * kw * ci;
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      const a = inputs.a ?? [];
      const inner = attrs.transposeA ? a[a.length - 2] : a[a.length - 1];
      return 2 * prod(out) * inner;
    }
    default:
      return 0;
  }
}

/** Runs `work` with every top-level kernel call counted; returns its result and the FLOP it ran. */
export async function countFlops<T>(work: () => Promise<T>): Promise<{ result: T; flops: number }> {
  const engine = tf.engine() as unknown as { runKernel: (...a: unknown[]) => unknown };
  const own = Object.prototype.hasOwnProperty.call(engine, 'runKernel');
  const original = engine.runKernel;
  let flops = 0;
  let depth = 0;
  engine.runKernel = function (this: unknown, name: unknown, inputs: unknown, attrs: unknown) {
    depth++;
    try {
      const result = original.call(this, name, inputs, attrs) as tf.Tensor | tf.Tensor[];
      if (depth === 1) {
        const shapes: Shapes = {};
        for (const [k, t] of Object.entries((inputs ?? {}) as Record<string, tf.TensorInfo>)) shapes[k] = t?.shape;
        const first = Array.isArray(result) ? result[0] : result;
        flops += kernelFlops(String(name), shapes, (attrs ?? {}) as Record<string, unknown>, first?.shape ?? []);
      }
      return result;
    } finally {
      depth--;
    }
  };
  try {
    return { result: await work(), flops };
  } finally {
    if (own) engine.runKernel = original;
    else delete (engine as { runKernel?: unknown }).runKernel;
  }
}
