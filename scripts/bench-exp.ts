import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/main/engine/compute/backend';
await initBackend('wasm');
const b = tf.backend() as any;
const w = b.wasm;
console.log(Object.keys(w).filter(k => !k.startsWith('_')).slice(0, 80).join(' '));
for (const k of Object.keys(w)) { const v = w[k]; if (v instanceof WebAssembly.Memory) console.log('memory at', k); if (v && typeof v === 'object') for (const k2 of Object.keys(v)) if (v[k2] instanceof WebAssembly.Memory) console.log('memory at', k, k2); }
console.log(w.HEAPU8.buffer.byteLength);
