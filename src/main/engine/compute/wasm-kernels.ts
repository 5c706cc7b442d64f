/**
 * Training kernels for the wasm backend: the ones it lacks, the ones it has but runs slowly, and
 * fused ones for the default CNN's layers and loss.
 *
 * tfjs-backend-wasm 4.22 ships no `Conv2DBackpropFilter`, so conv nets cannot train on it at all.
 * The rest come from a per-kernel profile of a training step (scripts/bench-profile.ts, default
 * CNN, batch 64, ~50 ms a step before): MaxPoolGrad took 18 ms, transposed BatchMatMuls 9 ms, the
 * conv gradients 14 ms, Identity/Cast buffer copies 1 ms, bias-gradient Sums 2 ms, and tf.train.adam
 * ~120 small kernel calls. Where the time goes now, and what each replacement gained, is in the
 * files: the conv gradients in wasm-conv-grads.ts (stride > 1 input gradients in wasm-phase-conv.ts), the
 * forward conv in wasm-conv-forward.ts, the replaced built-ins in wasm-train-kernels.ts, the fused
 * conv+bias+ReLU in fused-conv.ts, the fused GroupNorm in fused-group-norm.ts (the fused Adam is in
 * fused-optimizer.ts and needs no registration). They build on the backend's own XNNPACK kernels and on SIMD
 * loops we assemble ourselves (simd-kernels.ts, simd-norm.ts) that run on its memory.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import '@tensorflow/tfjs-backend-wasm'; // its kernels must be registered before we capture/override them
import {
  BatchMatMul,
  Cast,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  engine,
  getKernel,
  Identity,
  MaxPoolGrad,
  registerKernel,
  Sum,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { CONV2D_BIAS_RELU, registerFusedConvKernels, RELU_BIAS_GRAD } from './fused-conv';
import { GROUP_NORM_KERNELS, registerGroupNormKernels } from './fused-group-norm';
import { conv2DWasm } from './wasm-conv-forward';
import { conv2DBackpropFilterWasm, conv2DBackpropInputWasm } from './wasm-conv-grads';
import { builtins, setUp, WASM } from './wasm-scratch';
import { batchMatMulWasm, castWasm, identityWasm, maxPoolGradWasm, sumWasm } from './wasm-train-kernels';

const ours: KernelConfig[] = (
  [
    [Conv2D, conv2DWasm],
    [Conv2DBackpropFilter, conv2DBackpropFilterWasm],
    [Conv2DBackpropInput, conv2DBackpropInputWasm],
    [BatchMatMul, batchMatMulWasm],
    [MaxPoolGrad, maxPoolGradWasm],
    [Sum, sumWasm],
    [Identity, identityWasm],
    [Cast, castWasm],
  ] as const
).map(([kernelName, f]) => ({ kernelName, backendName: WASM, kernelFunc: f }));

let registered = false;

/**
 * Registers our kernels on 'wasm', replacing the backend's own where it has one. Idempotent. Safe
 * before or after the wasm backend is initialised: the engine looks kernels up on every call, and
 * ours need no setupFunc (the built-ins they call are set up on first use).
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const config of ours) {
    const current = getKernel(config.kernelName, WASM);
    if (current != null) {
      builtins.set(config.kernelName, current);
      unregisterKernel(config.kernelName, WASM); // registering over it would log "already registered"
    }
    registerKernel(config);
  }
  registerFusedConvKernels();
  registerGroupNormKernels();
  registered = true;
}

/** Restores the backend's own kernels (benchmarks and tests compare against them). */
export function unregisterWasmTrainingKernels(): void {
  if (!registered) return;
  for (const config of ours) {
    unregisterKernel(config.kernelName, WASM);
    const builtin = builtins.get(config.kernelName);
    if (builtin == null) continue;
    registerKernel(builtin);
    setUp(builtin, engine().registry[WASM]); // already-initialised backends never re-run setup
  }
  // Models fall back to separate ops where the fused kernels are missing.
  for (const name of [CONV2D_BIAS_RELU, RELU_BIAS_GRAD, ...GROUP_NORM_KERNELS]) unregisterKernel(name, WASM);
  builtins.clear();
  registered = false;
}

export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}
