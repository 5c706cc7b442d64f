/**
 * The compute layer is written against tfjs 4.22.0's internals (kernel attribute shapes, the wasm
 * backend's heap and kernels, tfjs-core's dist layout for the gradient loader hook). None of that is
 * public API, so nothing else fails loudly when a package moves: this test does, naming every file
 * to re-check. Raise PINNED only after re-checking each file below (and the integration tests pass).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const PINNED = '4.22.0';

/** Each file that depends on 4.22 internals, and what in it to re-check on an upgrade. */
const DEPENDS_ON_4_22: Record<string, string> = {
  'src/main/engine/compute/gradients.ts':
    "the loader hook that loads a second ESM copy of tfjs-core to register gradients and chained ops: dist/register_all_gradients.js and dist/public/chained_ops/register_all_chained_ops.js still exist, dist/ is still extensionless ESM beside the tf-core*.js bundles, and the engine/registries are still process globals (getGradient('Conv2D') after ensureGradients)",
  'src/main/engine/compute/backend.ts':
    "tfjs-backend-wasm's WASM_HAS_SIMD_SUPPORT / WASM_HAS_MULTITHREAD_SUPPORT flags (multithread hard-wired off in Node), setWasmPaths/setThreadsCount and its .wasm file names; tfjs-node(-gpu) still pin the same tfjs-core and register the 'tensorflow' backend on import (module.version['tfjs-node'])",
  'src/main/engine/compute/wasm-scratch.ts':
    'the BackendWasm members used (disposeData, incRef, makeOutput, typedArrayFromHeap), refCount semantics of kernelFunc outputs, and getKernel(name, "wasm") still returning the built-in kernels',
  'src/main/engine/compute/wasm-kernels.ts':
    'which kernels the wasm backend lacks or runs slowly (Conv2DBackpropFilter absent, Conv2DBackpropInput slow, MaxPoolGrad, transposed BatchMatMul): a new version may add them; registerKernel/unregisterKernel over built-ins',
  'src/main/engine/compute/wasm-conv-grads.ts':
    'Conv2DBackpropFilter/Input attrs (strides, pad, dimRoundingMode, dataFormat, filterShape/inputShape) cast from args.attrs, and the built-in Conv2D attrs it calls',
  'src/main/engine/compute/wasm-conv-forward.ts':
    "Conv2D's attrs (strides, pad, dataFormat, dilations, dimRoundingMode) cast from args.attrs, and the built-in Conv2D it falls back to",
  'src/main/engine/compute/wasm-phase-conv.ts':
    "the built-in Conv2D and Slice attrs it builds (explicit pads), the wasm backend's WebAssembly.Memory at backend.wasm.asm.memory and tensors' memoryOffset",
  'src/main/engine/compute/wasm-train-kernels.ts':
    'the replaced Identity, Cast, BatchMatMul, MaxPoolGrad, Sum kernels: their attrs (cast from NamedAttrMap) and that sharing a dataId in Identity is still safe',
  'src/main/engine/compute/fused-conv.ts':
    "FusedConv2D's attrs (strides, pad, dataFormat, dilations, activation) built by hand and cast to NamedAttrMap, and the Conv2D attrs cast from args.attrs",
  'src/main/engine/compute/fused-optimizer.ts':
    "Variables' and gradients' dataIds read as TensorInfo (cast through unknown) on the wasm heap, and the backend cast to WasmBackend",
  'src/main/engine/compute/simd-kernels.ts': "tensors' memoryOffset in backend.dataIdMap",
  'src/main/engine/compute/simd-module.ts': "the wasm backend's WebAssembly.Memory at backend.wasm.asm.memory",
  'src/main/engine/compute/fused-group-norm.ts':
    "a multi-output kernel's gradient getting dys as an array (zeros for unused outputs) and saved = inputsToSave then outputsToSave; the attrs cast from NamedAttrMap",
  'src/main/engine/compute/simd-norm.ts':
    "the JS fallback's view of the whole heap through backend.wasm.HEAPU8.buffer (as typedArrayFromHeap builds its views)",
  'src/main/engine/compute/memory.ts': 'the wasm heap size read from tf.backend().wasm.asm.memory.buffer',
};

const PACKAGES = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
];
const OPTIONAL = new Set(['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']);

/** The installed version of a package as the engine resolves it, or null when it is not installed. */
function installedVersion(name: string): string | null {
  const require = createRequire(import.meta.url);
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

test(`every installed tfjs package is ${PINNED}, the version the compute layer's internals were written against`, () => {
  const installed = PACKAGES.map((name) => ({ name, version: installedVersion(name) }));
  for (const { name, version } of installed)
    if (version === null) assert.ok(OPTIONAL.has(name), `${name} is not installed`);
  const moved = installed.filter((p) => p.version !== null && p.version !== PINNED);
  const files = Object.entries(DEPENDS_ON_4_22)
    .map(([file, what]) => `  - ${file}: ${what}`)
    .join('\n');
  assert.deepEqual(
    moved.map((p) => `${p.name} ${p.version}`),
    [],
    `tfjs left ${PINNED}. These files depend on ${PINNED} internals; re-check each, run the engine's unit and integration tests, then raise PINNED in test/unit/engine/compute/tfjs-pin.test.ts:\n${files}`,
  );
});

test('every file named points at this test', () => {
  for (const file of Object.keys(DEPENDS_ON_4_22)) {
    assert.ok(
      fs.readFileSync(path.join(ROOT, file), 'utf8').includes('tfjs-pin.test.ts'),
      `${file} has the one-line comment pointing at test/unit/engine/compute/tfjs-pin.test.ts`,
    );
  }
});
