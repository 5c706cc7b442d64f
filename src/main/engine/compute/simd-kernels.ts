/**
 * Memory-bound training loops in WebAssembly SIMD, run on the wasm backend's own memory.
 *
 * A training step has a few passes that XNNPACK does not cover and that scalar JS runs at 1-3 ns
 * per element (branchy argmax in MaxPoolGrad, im2col gathers, per-channel sums, the optimizer's
 * update): 2-3 ms each on the default CNN. Written as 128-bit SIMD loops they take a tenth of that.
 * The module imports the backend's WebAssembly.Memory, so pointers are the tensors' memoryOffsets
 * and nothing is copied. Every loop has a JS caller that checks shapes and alignment first.
 *
 * Semantics that differ from the cpu backend's, on inputs training never produces: a 2x2 window
 * holding NaN routes no gradient (cpu ignores the NaN); one whose maximum is -Infinity routes it
 * to the first -Infinity (cpu routes none).
 */
import { assemble, Fn } from './wasm-asm';

/** maxPool2Grad(x, dy, dx, N, OH, OW, C4, cBytes, rowBytes, imgBytes): 2x2 windows, stride 2, no padding. */
function maxPool2Grad(): Fn {
  const f = new Fn('maxPool2Grad', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [x, dy, dx, N, OH, OW, C4, cBytes, rowBytes, imgBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [n, oh, ow, c, row, p, g, delta] = [0, 0, 0, 0, 0, 0, 0, 0].map(() => f.local('i32'));
  const [a, b, cc, d, m, gv, e0, e1, e2, t] = new Array(10).fill(0).map(() => f.local('v128'));
  f.get(dx).get(x).sub().set(delta);
  f.get(dy).set(g);
  const at = (base: number, ...plus: number[]) => {
    f.get(base);
    for (const q of plus) f.get(q).add();
    return f;
  };
  f.loop(n, N, () =>
    f.loop(oh, OH, () => {
      // row = x + n*imgBytes + 2*oh*rowBytes
      f.get(x).get(n).get(imgBytes).mul().add().get(oh).get(rowBytes).mul().i32(2).mul().add().set(row);
      f.loop(ow, OW, () => {
        f.get(row).get(ow).get(cBytes).mul().i32(2).mul().add().set(p);
        f.loop(c, C4, () => {
          at(p).load().set(a);
          at(p, cBytes).load().set(b);
          at(p, rowBytes).load().set(cc);
          at(p, rowBytes, cBytes).load().set(d);
          at(g).load().set(gv);
          f.get(a).get(b).fmax().get(cc).get(d).fmax().fmax().set(m);
          f.get(a).get(m).eq().set(e0);
          f.get(b).get(m).eq().get(e0).andnot().set(e1);
          f.get(e0).get(e1).vor().set(t);
          f.get(cc).get(m).eq().get(t).andnot().set(e2);
          f.get(t).get(e2).vor().set(t);
          at(p, delta).get(gv).get(e0).and().store();
          at(p, delta, cBytes).get(gv).get(e1).and().store();
          at(p, delta, rowBytes).get(gv).get(e2).and().store();
          at(p, delta, rowBytes, cBytes).get(d).get(m).eq().get(t).andnot().get(gv).and().store();
          f.inc(p, 16).inc(g, 16);
        });
      });
    }),
  );
  return f;
}

/**
 * im2col(x, out, N, H, W, C4, OH, OW, KH, KW, sH, sW, top, left): out[p, (kh*KW + kw)*C + c] for
 * p = (n*OH + oh)*OW + ow, zero in the padding. C = 4*C4 channels, copied as whole vectors.
 */
function im2col(): Fn {
  const f = new Fn('im2col', new Array(14).fill('i32'));
  const [x, out, N, H, W, C4, OH, OW, KH, KW, sH, sW, top, left] = [...Array(14).keys()];
  const [n, oh, ow, kh, kw, c, ih, iw, src, o] = new Array(10).fill(0).map(() => f.local('i32'));
  f.get(out).set(o);
  f.loop(n, N, () =>
    f.loop(oh, OH, () =>
      f.loop(ow, OW, () =>
        f.loop(kh, KH, () => {
          f.get(oh).get(sH).mul().get(kh).add().get(top).sub().set(ih);
          f.loop(kw, KW, () => {
            f.get(ow).get(sW).mul().get(kw).add().get(left).sub().set(iw);
            // Unsigned compares also catch negative rows/columns.
            f.get(ih).get(H).geU().get(iw).get(W).geU().or();
            f.ifElse(
              () => f.loop(c, C4, () => f.get(o).zero().store().inc(o, 16)),
              () => {
                f.get(n).get(H).mul().get(ih).add().get(W).mul().get(iw).add().get(C4).mul().i32(16).mul().get(x).add().set(src);
                f.loop(c, C4, () => f.get(o).get(src).load().store().inc(o, 16).inc(src, 16));
              },
            );
          });
        }),
      ),
    ),
  );
  return f;
}

/**
 * im2colT(x, out, N, H, W, C, OH, OW, KH, KW, sH, sW, top, left): the transposed layout
 * out[(kh*KW + kw)*C + c, p], one float at a time (for channel counts that are not multiples of 4).
 */
function im2colT(): Fn {
  const f = new Fn('im2colT', new Array(14).fill('i32'));
  const [x, out, N, H, W, C, OH, OW, KH, KW, sH, sW, top, left] = [...Array(14).keys()];
  const [n, oh, ow, kh, kw, c, ih, iw, o] = new Array(9).fill(0).map(() => f.local('i32'));
  f.get(out).set(o);
  f.loop(kh, KH, () =>
    f.loop(kw, KW, () =>
      f.loop(c, C, () =>
        f.loop(n, N, () =>
          f.loop(oh, OH, () => {
            f.get(oh).get(sH).mul().get(kh).add().get(top).sub().set(ih);
            f.loop(ow, OW, () => {
              f.get(ow).get(sW).mul().get(kw).add().get(left).sub().set(iw);
              f.get(o);
              f.get(ih).get(H).geU().get(iw).get(W).geU().or();
              f.ifElse(
                () => f.f32(0),
                () => f.get(n).get(H).mul().get(ih).add().get(W).mul().get(iw).add().get(C).mul().get(c).add().i32(4).mul().get(x).add().f32Load(),
                'f32',
              );
              f.f32Store().inc(o, 4);
            });
          }),
        ),
      ),
    ),
  );
  return f;
}

/** colSum(x, out, rows, C4): out[c] += sum_r x[r, c] for C = 4*C4 columns (out is zeroed by the caller). */
function colSum(): Fn {
  const f = new Fn('colSum', ['i32', 'i32', 'i32', 'i32']);
  const [x, out, rows, C4] = [0, 1, 2, 3];
  const [r, c, p, q] = [0, 0, 0, 0].map(() => f.local('i32'));
  f.get(x).set(p);
  f.loop(r, rows, () => {
    f.get(out).set(q);
    f.loop(c, C4, () => f.get(q).get(q).load().get(p).load().fadd().store().inc(p, 16).inc(q, 16));
  });
  return f;
}

/** reluBiasGrad(y, dy, dz, db, rows, C4): dz = dy where y > 0 else 0; db[c] += sum_r dz[r, c]. */
function reluBiasGrad(): Fn {
  const f = new Fn('reluBiasGrad', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [y, dy, dz, db, rows, C4] = [0, 1, 2, 3, 4, 5];
  const [r, c, off, q] = [0, 0, 0, 0].map(() => f.local('i32'));
  const v = f.local('v128');
  f.i32(0).set(off);
  f.loop(r, rows, () => {
    f.get(db).set(q);
    f.loop(c, C4, () => {
      f.get(dy).get(off).add().load().get(y).get(off).add().load().zero().gt().and().set(v);
      f.get(dz).get(off).add().get(v).store();
      f.get(q).get(q).load().get(v).fadd().store();
      f.inc(off, 16).inc(q, 16);
    });
  });
  return f;
}

/**
 * adam(w, g, m, v, out, n4, b1, oneMinusB1, b2, oneMinusB2, oneMinusAccB1, oneMinusAccB2, eps, negLr):
 * tf.train.adam's update, operation for operation in float32, on 4*n4 elements; m and v in place.
 */
function adam(): Fn {
  const f = new Fn('adam', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32', 'f32']);
  const [w, g, m, v, out, n4] = [0, 1, 2, 3, 4, 5];
  const scalars = [6, 7, 8, 9, 10, 11, 12, 13];
  const [i, off] = [f.local('i32'), f.local('i32')];
  const [b1, omb1, b2, omb2, omab1, omab2, eps, negLr] = scalars.map((s) => {
    const l = f.local('v128');
    f.get(s).splat().set(l);
    return l;
  });
  const [gv, mv, vv] = [f.local('v128'), f.local('v128'), f.local('v128')];
  const at = (base: number) => f.get(base).get(off).add();
  f.i32(0).set(off);
  f.loop(i, n4, () => {
    at(g).load().set(gv);
    at(m).get(m).get(off).add().load().get(b1).fmul().get(gv).get(omb1).fmul().fadd().tee(mv).store();
    at(v).get(v).get(off).add().load().get(b2).fmul().get(gv).get(gv).fmul().get(omb2).fmul().fadd().tee(vv).store();
    // w + (m/(1-accB1)) / (sqrt(v/(1-accB2)) + eps) * -lr
    at(out);
    f.get(mv).get(omab1).fdiv().get(vv).get(omab2).fdiv().fsqrt().get(eps).fadd().fdiv().get(negLr).fmul();
    at(w).load().fadd().store();
    f.inc(off, 16);
  });
  return f;
}

/** momentum(w, g, acc, out, n4, mu, negLr): acc = mu*acc + g; out = negLr*acc + w (tf.train.momentum). */
function momentum(): Fn {
  const f = new Fn('momentum', ['i32', 'i32', 'i32', 'i32', 'i32', 'f32', 'f32']);
  const [w, g, acc, out, n4, mu, negLr] = [0, 1, 2, 3, 4, 5, 6];
  const [i, off] = [f.local('i32'), f.local('i32')];
  const [muv, lrv, a] = [f.local('v128'), f.local('v128'), f.local('v128')];
  f.get(mu).splat().set(muv).get(negLr).splat().set(lrv);
  f.i32(0).set(off);
  f.loop(i, n4, () => {
    f.get(acc).get(off).add().get(muv).get(acc).get(off).add().load().fmul().get(g).get(off).add().load().fadd().tee(a).store();
    f.get(out).get(off).add().get(lrv).get(a).fmul().get(w).get(off).add().load().fadd().store();
    f.inc(off, 16);
  });
  return f;
}

export interface SimdKernels {
  maxPool2Grad(x: number, dy: number, dx: number, N: number, OH: number, OW: number, C4: number, cBytes: number, rowBytes: number, imgBytes: number): void;
  im2col(x: number, out: number, N: number, H: number, W: number, C4: number, OH: number, OW: number, KH: number, KW: number, sH: number, sW: number, top: number, left: number): void;
  im2colT(x: number, out: number, N: number, H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number, sH: number, sW: number, top: number, left: number): void;
  colSum(x: number, out: number, rows: number, C4: number): void;
  reluBiasGrad(y: number, dy: number, dz: number, db: number, rows: number, C4: number): void;
  adam(w: number, g: number, m: number, v: number, out: number, n4: number, b1: number, omb1: number, b2: number, omb2: number, omab1: number, omab2: number, eps: number, negLr: number): void;
  momentum(w: number, g: number, acc: number, out: number, n4: number, mu: number, negLr: number): void;
}

/** The slice of the WebAssembly JS API we use (our tsconfig has no DOM lib, which is where it is typed). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;
const instances = new WeakMap<object, SimdKernels>();

function compile(): object | null {
  if (compiled === undefined) {
    try {
      compiled = new api!.Module(assemble([maxPool2Grad(), im2col(), im2colT(), colSum(), reluBiasGrad(), adam(), momentum()]));
    } catch {
      compiled = null; // no wasm SIMD in this runtime: callers fall back to JS or to the backend's kernels
    }
  }
  return compiled;
}

/** The kernels bound to a wasm backend's memory, or null where they cannot run. */
export function simdKernels(backend: object): SimdKernels | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (api == null || !(memory instanceof api.Memory)) return null;
  let k = instances.get(memory);
  if (k == null) {
    const module = compile();
    if (module == null) return null;
    k = new api.Instance(module, { env: { memory } }).exports as SimdKernels;
    instances.set(memory, k);
  }
  return k;
}

/** Byte offset of a tensor's data on the wasm heap. */
export function ptr(backend: object, dataId: object): number {
  return (backend as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(dataId).memoryOffset;
}
