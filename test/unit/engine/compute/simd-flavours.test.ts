/**
 * Relaxed SIMD: the GEMM built with relaxed_madd and the plain one (multiply then add) against a float64 product,
 * and the SIMD peak probe's arithmetic against the closed form of the recurrence it runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relaxedSimdAvailable } from '../../../../src/main/engine/compute/relaxed-simd';
import { assembleKernels } from '../../../../src/main/engine/compute/simd-kernels';
import { PROBE_SHAPE, runChains } from '../../../../src/main/engine/compute/simd-peak';
import { prng, values } from './compare';

type MatMul = (...args: number[]) => void;
/** The WebAssembly JS API (our tsconfig has no DOM lib, where it is typed). */
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
      Module: new (bytes: Uint8Array) => object;
      Instance: new (m: object, imports: object) => { exports: object };
    };
  }
).WebAssembly;

/** out [R, C] = a [R, P] x b [P, C] with the module's matMul in its own memory (row-major a: strides 4P, 4). */
function gemm(fused: boolean, a: Float32Array, b: Float32Array, R: number, P: number, C: number): Float32Array {
  if (fused) assert.equal(relaxedSimdAvailable(), true); // turns V8's flag on where needed
  const memory = new wasm.Memory({ initial: 16 });
  const module = new wasm.Module(assembleKernels(fused));
  const { matMul } = new wasm.Instance(module, { env: { memory } }).exports as { matMul: MatMul };
  const [pa, pb, po] = [0, a.length * 4, (a.length + b.length) * 4];
  const ps = po + R * C * 4;
  const heap = new Float32Array(memory.buffer);
  heap.set(a, pa / 4);
  heap.set(b, pb / 4);
  heap.fill(0, po / 4, ps / 4 + C);
  matMul(pa, pb, po, ps, R, P, C / 8, P * 4, 4, 16);
  return heap.slice(po / 4, po / 4 + R * C);
}

function reference(a: Float32Array, b: Float32Array, R: number, P: number, C: number): Float64Array {
  const out = new Float64Array(R * C);
  for (let r = 0; r < R; r++)
    for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) out[r * C + c] += a[r * P + p] * b[p * C + c];
  return out;
}

describe('relaxed SIMD kernels', () => {
  it('are available on this runtime (Node 20 through the V8 flag, Node 22 and Electron by default)', () => {
    assert.equal(relaxedSimdAvailable(), true);
  });

  it('relaxed and plain GEMM both equal a float64 product to float32 rounding, for odd rows and long reductions', () => {
    const r = prng(7);
    for (const [R, P, C] of [
      [5, 3, 8],
      [13, 77, 16],
      [64, 600, 24],
    ]) {
      const a = values(r, R * P);
      const b = values(r, P * C);
      const ref = reference(a, b, R, P, C);
      for (const fused of [false, true]) {
        const out = gemm(fused, a, b, R, P, C);
        let worst = 0;
        for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(out[i] - ref[i]));
        // Each of P products and sums rounds at most once or twice in float32: |error| <= ~2P eps max|partial sum|.
        const bound = 2 * P * 2 ** -24 * Math.max(1, ...Array.from(ref, Math.abs));
        assert.ok(worst <= bound, `${fused ? 'relaxed' : 'plain'} ${R}x${P}x${C}: max error ${worst} > ${bound}`);
      }
    }
  });
});

describe('SIMD peak probe', () => {
  for (const fused of [false, true]) {
    it(`runs the recurrence x -> x*c + d it claims to time (${fused ? 'relaxed multiply-add' : 'multiply then add'})`, () => {
      const [c, d, x0, iters] = [0.5, 1, 0.25, 3];
      const steps = iters * PROBE_SHAPE.unroll;
      // Closed form: x_n = c^n x0 + d (1 - c^n) / (1 - c); the probe sums its accumulators.
      const xn = c ** steps * x0 + (d * (1 - c ** steps)) / (1 - c);
      assert.ok(Math.abs(runChains(fused, iters, c, d, x0) - PROBE_SHAPE.accumulators * xn) < 1e-4);
      assert.notEqual(runChains(fused, iters + 1, c, d, x0), runChains(fused, iters, c, d, x0));
    });
  }
});
