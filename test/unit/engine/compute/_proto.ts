import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerWasmTrainingKernels } from '../../../../src/main/engine/compute/wasm-kernels';
registerWasmTrainingKernels();
import { ensureGradients } from '../../../../src/main/engine/compute/gradients';
await ensureGradients();
tf.env().set('IS_TEST', true);
function rnd(n: number, seed: number) { const a = new Float32Array(n); let s = seed; for (let i = 0; i < n; i++) { s = (s * 1103515245 + 12345) >>> 0; a[i] = (s / 2 ** 32) * 2 - 1; } return a; }
function grads(xs: number[], ws: number[], stride: number, pad: any, xv: Float32Array, wv: Float32Array, rv: Float32Array) {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, xs as any), w = tf.tensor4d(wv, ws as any);
    const y = tf.conv2d(x, w, stride, pad);
    const r = tf.tensor(rv.subarray(0, y.size), y.shape);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r)));
    const [dx, dw] = g([x, w]);
    return [dx.dataSync().slice(), dw.dataSync().slice()];
  });
}
await tf.setBackend('wasm');
const cases: [number[], number[], number, any][] = [
  [[2,7,7,3],[3,3,3,4],1,'same'], [[2,7,7,3],[3,3,3,4],2,'same'], [[2,8,8,3],[1,1,3,4],2,'same'], [[1,9,9,2],[3,3,2,2],2,'valid'],
  [[3,6,5,1],[5,5,1,3],1,'valid'], [[2,6,6,2],[1,1,2,2],1,2], [[2,6,6,2],[3,3,2,2],2,[[0,0],[2,0],[1,3],[0,0]]], [[1,8,8,2],[5,5,2,3],2,'same'],
];
for (const [xs, ws, st, pad] of cases) {
  const xv = rnd(xs.reduce((a,b)=>a*b), 1), wv = rnd(ws.reduce((a,b)=>a*b), 2), rv = rnd(10000, 3);
  await tf.setBackend('cpu'); const [cdx, cdw] = grads(xs, ws, st, pad, xv, wv, rv);
  await tf.setBackend('wasm'); const [wdx, wdw] = grads(xs, ws, st, pad, xv, wv, rv);
  const md = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  console.log(JSON.stringify([xs, ws, st, pad]), 'dx', md(cdx, wdx).toExponential(2), 'dw', md(cdw, wdw).toExponential(2), cdx.length === wdx.length, cdw.length===wdw.length);
}
console.log(tf.memory());
