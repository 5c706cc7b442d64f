import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/main/engine/compute/backend';

function ms(run: () => tf.Tensor | tf.Tensor[], it = 30): number {
  for (let i = 0; i < 3; i++) tf.dispose(run());
  const t = performance.now();
  for (let i = 0; i < it; i++) tf.dispose(run());
  return (performance.now() - t) / it;
}
await initBackend('wasm');
const a = tf.randomNormal([64, 1568]);
const g = tf.randomNormal([64, 64]);
const w = tf.randomNormal([1568, 64]);
console.log('a^T g tA', ms(() => tf.matMul(a, g, true, false)).toFixed(3));
console.log('transpose(a) g', ms(() => tf.tidy(() => tf.matMul(tf.transpose(a), g))).toFixed(3));
console.log('transpose(a) only', ms(() => tf.transpose(a)).toFixed(3));
console.log('g w^T tB', ms(() => tf.matMul(g, w, false, true)).toFixed(3));
console.log('g transpose(w)', ms(() => tf.tidy(() => tf.matMul(g, tf.transpose(w)))).toFixed(3));
console.log('a w', ms(() => tf.matMul(a, w)).toFixed(3));
const wt = tf.transpose(w);
console.log('g wt (pre-transposed)', ms(() => tf.matMul(g, wt)).toFixed(3));
// im2col-like GEMMs for dW
const p1 = tf.randomNormal([9, 50176]); const d1 = tf.randomNormal([50176, 16]);
console.log('[9,50176]x[50176,16]', ms(() => tf.matMul(p1, d1)).toFixed(3));
const d1t = tf.randomNormal([16, 50176]); const p1t = tf.randomNormal([50176, 9]);
console.log('[16,50176]x[50176,9]', ms(() => tf.matMul(d1t, p1t)).toFixed(3));
const p2 = tf.randomNormal([144, 12544]); const d2 = tf.randomNormal([12544, 32]);
console.log('[144,12544]x[12544,32]', ms(() => tf.matMul(p2, d2)).toFixed(3));
const d2t = tf.randomNormal([32, 12544]); const p2t = tf.randomNormal([12544, 144]);
console.log('[32,12544]x[12544,144]', ms(() => tf.matMul(d2t, p2t)).toFixed(3));
// batched: 64 x ([144,196]x[196,32])
const p3 = tf.randomNormal([64, 144, 196]); const d3 = tf.randomNormal([64, 196, 32]);
console.log('64x [144,196]x[196,32]', ms(() => tf.matMul(p3, d3)).toFixed(3));
const x2 = tf.randomNormal([64, 14, 14, 16]); const f2 = tf.randomNormal([3, 3, 16, 32]);
console.log('conv2 fwd', ms(() => tf.conv2d(x2 as tf.Tensor4D, f2 as tf.Tensor4D, 1, 'same')).toFixed(3));
const x2f = tf.randomNormal([12544, 144]); const f2f = tf.randomNormal([144, 32]);
console.log('conv2 fwd as gemm [12544,144]x[144,32]', ms(() => tf.matMul(x2f, f2f)).toFixed(3));
