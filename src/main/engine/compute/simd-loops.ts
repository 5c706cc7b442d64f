/**
 * The memory-bound loops of simd-kernels.ts: im2col variants, the 2x2 max-pool gradient, and
 * per-channel sums. Each builds one function of the module simd-kernels.ts assembles; pointers are
 * byte offsets into the wasm backend's memory, and their JS callers check shapes first.
 *
 * Semantics that differ from the cpu backend's, on inputs training never produces: a 2x2 window
 * holding NaN routes no gradient (cpu ignores the NaN); one whose maximum is -Infinity routes it
 * to the first -Infinity (cpu routes none).
 */
import { Fn, type ValType } from './wasm-asm';

/** maxPool2Grad(x, dy, dx, N, OH, OW, C4, cBytes, rowBytes, imgBytes): 2x2 windows, stride 2, no padding. */
export function maxPool2Grad(): Fn {
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
 * im2colT(x, out, N, H, W, C, OH, OW, KH, KW, sH, sW, top, left): the transposed layout
 * out[(kh*KW + kw)*C + c, p], one float at a time (for channel counts that are not multiples of 4).
 */
export function im2colT(): Fn {
  const f = new Fn('im2colT', new Array<ValType>(14).fill('i32'));
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
                () =>
                  f
                    .get(n)
                    .get(H)
                    .mul()
                    .get(ih)
                    .add()
                    .get(W)
                    .mul()
                    .get(iw)
                    .add()
                    .get(C)
                    .mul()
                    .get(c)
                    .add()
                    .i32(4)
                    .mul()
                    .get(x)
                    .add()
                    .f32Load(),
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

/**
 * im2colT4(x, out, zero, p0, count, H, W, C4, OH, OW, KH, KW, sH, sW, top, left): the transposed
 * layout of `im2colT` for output positions [p0, p0 + count) (count a multiple of 4), C = 4*C4
 * channels: out[(kh*KW + kw)*C + c, p - p0], rows of `count` floats. Four positions at a time:
 * their 4-channel vectors are transposed in registers (two rounds of shuffles) into 4 positions of
 * 4 channel rows. `zero` points at C zero floats, read in the padding.
 */
export function im2colT4(): Fn {
  const f = new Fn('im2colT4', new Array<ValType>(16).fill('i32'));
  const [x, out, zero, p0, count, H, W, C4, OH, OW, KH, KW, sH, sW, top, left] = [...Array(16).keys()];
  const [kh, kw, g, groups, c, n, oh, ow, ih, iw, o, rowBytes, pixBytes] = new Array(13)
    .fill(0)
    .map(() => f.local('i32'));
  const src = [0, 0, 0, 0].map(() => f.local('i32'));
  const [va, vb, vc, vd, t0, t1, t2, t3] = new Array(8).fill(0).map(() => f.local('v128'));
  // rowBytes = count*4 (one channel row of the output); groups = count/4; pixBytes = C*4.
  f.get(count).i32(4).mul().set(rowBytes);
  f.get(rowBytes).i32(16).div().set(groups);
  f.get(C4).i32(16).mul().set(pixBytes);
  const lo = (l: number) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3];
  const hi = (l: number) => lo(l).map((b) => b + 16);
  f.loop(kh, KH, () =>
    f.loop(kw, KW, () => {
      // (n, oh, ow) of position p0
      f.get(p0).get(OH).get(OW).mul().div().set(n);
      f.get(p0).get(OH).get(OW).mul().rem().get(OW).div().set(oh);
      f.get(p0).get(OW).rem().set(ow);
      f.loop(g, groups, () => {
        for (const s of src) {
          f.get(oh).get(sH).mul().get(kh).add().get(top).sub().set(ih);
          f.get(ow).get(sW).mul().get(kw).add().get(left).sub().set(iw);
          f.get(n).get(H).mul().get(ih).add().get(W).mul().get(iw).add().get(pixBytes).mul().get(x).add();
          f.get(zero);
          f.get(ih).get(H).ltU().get(iw).get(W).ltU().and32().select().set(s);
          // next output position
          f.inc(ow, 1)
            .get(ow)
            .get(OW)
            .geS()
            .if(() => {
              f.i32(0)
                .set(ow)
                .inc(oh, 1)
                .get(oh)
                .get(OH)
                .geS()
                .if(() => f.i32(0).set(oh).inc(n, 1));
            });
        }
        // o = out + ((kh*KW + kw)*C)*rowBytes + g*16
        f.get(kh)
          .get(KW)
          .mul()
          .get(kw)
          .add()
          .get(C4)
          .mul()
          .i32(4)
          .mul()
          .get(rowBytes)
          .mul()
          .get(out)
          .add()
          .get(g)
          .i32(16)
          .mul()
          .add()
          .set(o);
        f.loop(c, C4, () => {
          const v = [va, vb, vc, vd];
          src.forEach((s, j) => f.get(s).get(c).i32(16).mul().add().load().set(v[j]));
          f.get(va)
            .get(vb)
            .shuffle([...lo(0), ...hi(0), ...lo(1), ...hi(1)])
            .set(t0);
          f.get(va)
            .get(vb)
            .shuffle([...lo(2), ...hi(2), ...lo(3), ...hi(3)])
            .set(t1);
          f.get(vc)
            .get(vd)
            .shuffle([...lo(0), ...hi(0), ...lo(1), ...hi(1)])
            .set(t2);
          f.get(vc)
            .get(vd)
            .shuffle([...lo(2), ...hi(2), ...lo(3), ...hi(3)])
            .set(t3);
          const first = [...lo(0), ...lo(1), ...hi(0), ...hi(1)];
          const second = [...lo(2), ...lo(3), ...hi(2), ...hi(3)];
          f.get(o).get(t0).get(t2).shuffle(first).store();
          f.get(o).get(rowBytes).add().get(t0).get(t2).shuffle(second).store();
          f.get(o).get(rowBytes).i32(2).mul().add().get(t1).get(t3).shuffle(first).store();
          f.get(o).get(rowBytes).i32(3).mul().add().get(t1).get(t3).shuffle(second).store();
          f.get(o).get(rowBytes).i32(4).mul().add().set(o);
        });
      });
    }),
  );
  return f;
}

/**
 * im2colRows(x, out, N, H, W, OH, OW, sH, dh, dw, owLo, owHi): one filter tap's row of the transposed
 * layout for C = 1 and stride 1 along W: out[(n*OH + oh)*OW + ow] = x[n, oh*sH + dh, ow + dw] inside
 * the image, 0 outside; [owLo, owHi) are the columns inside it. Each image row is one memory.copy.
 */
export function im2colRows(): Fn {
  const f = new Fn('im2colRows', new Array<ValType>(12).fill('i32'));
  const [x, out, N, H, W, OH, OW, sH, dh, dw, owLo, owHi] = [...Array(12).keys()];
  const [n, oh, ih, o] = [0, 0, 0, 0].map(() => f.local('i32'));
  f.get(out).set(o);
  f.loop(n, N, () =>
    f.loop(oh, OH, () => {
      f.get(oh).get(sH).mul().get(dh).add().set(ih);
      f.get(ih).get(H).ltU();
      f.ifElse(
        () => {
          f.get(o).i32(0).get(owLo).i32(4).mul().memFill();
          f.get(o).get(owLo).i32(4).mul().add();
          f.get(n).get(H).mul().get(ih).add().get(W).mul().get(owLo).add().get(dw).add().i32(4).mul().get(x).add();
          f.get(owHi).get(owLo).sub().i32(4).mul().memCopy();
          f.get(o).get(owHi).i32(4).mul().add().i32(0).get(OW).get(owHi).sub().i32(4).mul().memFill();
        },
        () => f.get(o).i32(0).get(OW).i32(4).mul().memFill(),
      );
      f.inc(o, () => f.get(OW).i32(4).mul());
    }),
  );
  return f;
}

/** colSum(x, out, rows, C4): out[c] += sum_r x[r, c] for C = 4*C4 columns (out is zeroed by the caller). */
export function colSum(): Fn {
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
export function reluBiasGrad(): Fn {
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
