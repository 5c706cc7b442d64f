import { simdKernels } from '../src/main/engine/compute/simd-kernels';
import { initBackend } from '../src/main/engine/compute/backend';
import * as tf from '@tensorflow/tfjs-core';
await initBackend('wasm');
const k = simdKernels(tf.backend());
console.log(k && Object.keys(k));
