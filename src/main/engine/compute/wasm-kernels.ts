/**
 * Training kernels for the wasm backend: the ones it lacks and the ones it has but runs slowly.
 *
 * tfjs-backend-wasm 4.22 ships no `Conv2DBackpropFilter`, so conv nets cannot train on it at all;
 * the rest are replaced because a per-kernel profile of a training step (scripts/bench-profile.ts,
 * default CNN, batch 64) showed them dominating it: MaxPoolGrad 18 ms, transposed BatchMatMul 9 ms,
 * conv gradients 14 ms, buffer copies in Identity/Cast 1 ms, bias-gradient Sums 2 ms, of ~50 ms.
 * The gradients are in wasm-conv-grads.ts, the others in wasm-train-kernels.ts; both build on the
 * backend's own XNNPACK kernels and on JS loops over the wasm heap (see wasm-scratch.ts).
 */
import '@tensorflow/tfjs-backend-wasm'; // its kernels must be registered before we capture/override them
import {
  BatchMatMul,
  Cast,
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
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { CONV2D_BIAS_RELU, registerFusedConvKernels, RELU_BIAS_GRAD } from './fused-conv';
import { conv2DBackpropFilterWasm, conv2DBackpropInputWasm } from './wasm-conv-grads';
import { builtins, setUp, WASM } from './wasm-scratch';
import { batchMatMulWasm, castWasm, identityWasm, maxPoolGradWasm, sumWasm } from './wasm-train-kernels';

const ours: KernelConfig[] = (
  [
    [Conv2DBackpropFilter, conv2DBackpropFilterWasm],
    [Conv2DBackpropInput, conv2DBackpropInputWasm],
    [BatchMatMul, batchMatMulWasm],
    [MaxPoolGrad, maxPoolGradWasm],
    [Sum, sumWasm],
    [Identity, identityWasm],
    [Cast, castWasm],
  ] as const
).map(([kernelName, f]) => ({ kernelName, backendName: WASM, kernelFunc: f as KernelFunc }));

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
  // Models fall back to separate ops where the fused kernel is missing.
  for (const name of [CONV2D_BIAS_RELU, RELU_BIAS_GRAD]) unregisterKernel(name, WASM);
  builtins.clear();
  registered = false;
}

export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}
