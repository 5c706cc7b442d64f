/**
 * The optimizers' updates as WebAssembly SIMD loops (tf.train.adam's and tf.train.momentum's, operation for
 * operation in float32), assembled into simd-kernels.ts' module.
 */
import { Fn } from './wasm-asm';

/**
 * adam(w, g, m, v, out, n4, b1, oneMinusB1, b2, oneMinusB2, oneMinusAccB1, oneMinusAccB2, eps, negLr):
 * tf.train.adam's update, operation for operation in float32, on 4*n4 elements; m and v in place.
 */
export function adam(): Fn {
  const f = new Fn('adam', [
    'i32',
    'i32',
    'i32',
    'i32',
    'i32',
    'i32',
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
    'f32',
  ]);
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
export function momentum(): Fn {
  const f = new Fn('momentum', ['i32', 'i32', 'i32', 'i32', 'i32', 'f32', 'f32']);
  const [w, g, acc, out, n4, mu, negLr] = [0, 1, 2, 3, 4, 5, 6];
  const [i, off] = [f.local('i32'), f.local('i32')];
  const [muv, lrv, a] = [f.local('v128'), f.local('v128'), f.local('v128')];
  f.get(mu).splat().set(muv).get(negLr).splat().set(lrv);
  f.i32(0).set(off);
  f.loop(i, n4, () => {
    f.get(acc)
      .get(off)
      .add()
      .get(muv)
      .get(acc)
      .get(off)
      .add()
      .load()
      .fmul()
      .get(g)
      .get(off)
      .add()
      .load()
      .fadd()
      .tee(a)
      .store();
    f.get(out).get(off).add().get(lrv).get(a).fmul().get(w).get(off).add().load().fadd().store();
    f.inc(off, 16);
  });
  return f;
}
