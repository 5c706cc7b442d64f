/**
 * Conv2DBackpropInput at stride > 1 for the wasm backend, as a phase (sub-pixel) decomposition.
 *
 * dx[ih] = sum over taps kh with (ih + top - kh) divisible by sH of dy[(ih + top - kh) / sH] * w[kh] (rows; columns
 * alike). The rows ih = rh + sH*j of one phase rh (rh < sH) all meet the same taps kh = k0 + sH*t, k0 = (rh + top)
 * mod sH, and for them dx is a stride-1 correlation of the undilated dy with those taps, flipped and with the
 * channels swapped. So dx is sH*sW stride-1 XNNPACK Conv2Ds, each as large as its share of the useful work, whose
 * outputs [N, Hr, Wr, Ci] are interleaved into dx. This replaced a single Conv2D of dy dilated with sH-1 / sW-1 zeros
 * per row / column (PadV2 passes), which for stride 2 did 4x the multiply-adds and built a 4x buffer.
 *
 * The interleave writes each element of dx once: one strided copy per phase (`phaseScatter`, a small wasm SIMD
 * loop, assembled here like simd-kernels.ts' and bound per backend memory; a JS loop where wasm SIMD is missing).
 * A phase that no tap reaches (a 1x1 filter at stride 2: three of four) is written from a row of zeros.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import { backend_util, Conv2D, Slice } from '@tensorflow/tfjs-core';
import type { Conv2DAttrs, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { ptr } from './simd-kernels';
import { assemble, Fn, type ValType } from './wasm-asm';
import { convGemm } from './wasm-conv-forward';
import { f32, type Scratch, type WasmBackend } from './wasm-scratch';

/** Stride-1 Conv2D with explicit pads [top, bottom, left, right] (never 'same': XNNPACK gets them verbatim). */
export function conv(s: Scratch, x: TensorInfo, filter: TensorInfo, pads: number[]): TensorInfo {
  const attrs: NamedAttrMap = {
    strides: [1, 1],
    pad: [
      [0, 0],
      [pads[0], pads[1]],
      [pads[2], pads[3]],
      [0, 0],
    ],
    dataFormat: 'NHWC',
    dilations: [1, 1],
  };
  return convGemm(s, x, filter, attrs as unknown as Conv2DAttrs) ?? s.out(Conv2D, { x, filter }, attrs);
}

/**
 * Cuts `before`/`after` rows from axes 1 and 2 of a 4-D tensor where a computed padding came out
 * negative (those rows never meet the filter). Returns the tensor and the non-negative pads left,
 * or null where nothing is left (every row the filter could meet is cut).
 */
export function cropNegativePads(s: Scratch, t: TensorInfo, pads: [number, number, number, number]) {
  const [top, bottom, left, right] = pads;
  const cut = pads.map((p) => Math.max(0, -p));
  if (cut.every((c) => c === 0)) return { t, pads };
  const [n, h, w, c] = t.shape;
  const size = [n, h - cut[0] - cut[1], w - cut[2] - cut[3], c];
  if (size[1] <= 0 || size[2] <= 0) return null;
  const cropped = s.tmp(Slice, { x: t }, { begin: [0, cut[0], cut[2], 0], size });
  return { t: cropped, pads: [Math.max(0, top), Math.max(0, bottom), Math.max(0, left), Math.max(0, right)] };
}

/**
 * One axis of one phase r: dx rows r, r + s, ... (`rows` of them) take taps k0, k0 + s, ... (`taps`, 0 when k0 is
 * past the filter). With c = floor((r + before) / s), row j of the phase is sum_t dy[j + c - t] * w[k0 + s*t]: a
 * stride-1 correlation with the taps reversed, padded by taps-1-c before dy and by whatever makes `rows` outputs
 * after it (either may be negative: cropped).
 */
interface Axis {
  r: number;
  k0: number;
  taps: number;
  rows: number;
  padBefore: number;
  padAfter: number;
}

/** The phases of one axis: input size, dy size, filter size, stride, and the forward pad before the input. */
export function phaseAxes(size: number, outSize: number, k: number, s: number, before: number): Axis[] {
  const axes: Axis[] = [];
  for (let r = 0; r < Math.min(s, size); r++) {
    const c = Math.floor((r + before) / s);
    const k0 = r + before - c * s;
    const taps = k0 < k ? Math.ceil((k - k0) / s) : 0;
    const rows = Math.ceil((size - r) / s);
    const padBefore = taps - 1 - c;
    axes.push({ r, k0, taps, rows, padBefore, padAfter: rows - outSize - padBefore + taps - 1 });
  }
  return axes;
}

/** The taps of phase (h, w) of w [KH,KW,Ci,Co], reversed in both spatial axes and channel-swapped: [Th,Tw,Co,Ci]. */
function subFilter(s: Scratch, filter: TensorInfo, h: Axis, w: Axis, sH: number, sW: number): TensorInfo {
  const [, KW, Ci, Co] = filter.shape;
  const out = s.own(s.backend.makeOutput([h.taps, w.taps, Co, Ci], 'float32'));
  const src = f32(s.backend, filter);
  const dst = f32(s.backend, out);
  let o = 0;
  for (let u = 0; u < h.taps; u++) {
    const kh = h.k0 + sH * (h.taps - 1 - u);
    for (let v = 0; v < w.taps; v++) {
      const base = (kh * KW + w.k0 + sW * (w.taps - 1 - v)) * Ci * Co;
      for (let co = 0; co < Co; co++) {
        for (let ci = 0, i = base + co; ci < Ci; ci++, i += Co) dst[o++] = src[i];
      }
    }
  }
  return out;
}

/** Phase (h, w) of dx, [N, h.rows, w.rows, Ci], or null where it is all zeros. */
function phase(s: Scratch, dy: TensorInfo, filter: TensorInfo, h: Axis, w: Axis, sH: number, sW: number) {
  if (h.taps === 0 || w.taps === 0) return null;
  const c = cropNegativePads(s, dy, [h.padBefore, h.padAfter, w.padBefore, w.padAfter]);
  if (c == null) return null;
  return s.own(conv(s, c.t, subFilter(s, filter, h, w, sH, sW), c.pads));
}

/**
 * phaseScatter(src, dst, N, R, Q, C4, rem, srcPix, imgStep, rowStep, pixStep): for n < N, j < R, i < Q, the
 * C = 4*C4 + rem floats at dst + n*imgStep + j*rowStep + i*pixStep (bytes) get those at src + ((n*R + j)*Q + i)*srcPix.
 * srcPix = 0 copies src's first C floats everywhere (a row of zeros, for phases no tap reaches).
 */
function phaseScatter(): Fn {
  const f = new Fn('phaseScatter', new Array<ValType>(11).fill('i32'));
  const [src, dst, N, R, Q, C4, rem, srcPix, imgStep, rowStep, pixStep] = [...Array(11).keys()];
  const [n, j, i, c, p, q, pix, at] = new Array(8).fill(0).map(() => f.local('i32'));
  f.get(src).set(pix);
  f.loop(n, N, () =>
    f.loop(j, R, () => {
      f.get(dst).get(n).get(imgStep).mul().add().get(j).get(rowStep).mul().add().set(at);
      f.loop(i, Q, () => {
        f.get(pix).set(p).get(at).set(q);
        f.loop(c, C4, () => f.get(q).get(p).load().store().inc(p, 16).inc(q, 16));
        f.loop(c, rem, () => f.get(q).get(p).f32Load().f32Store().inc(p, 4).inc(q, 4));
        f.inc(pix, () => f.get(srcPix)).inc(at, () => f.get(pixStep));
      });
    }),
  );
  return f;
}

interface PhaseKernels {
  phaseScatter(...args: number[]): void;
}

/** The slice of the WebAssembly JS API we use (as in simd-kernels.ts: no DOM lib in our tsconfig). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;
const instances = new WeakMap<object, PhaseKernels>();

/** `phaseScatter` bound to a wasm backend's memory, or null where it cannot run. */
export function phaseKernels(backend: object): PhaseKernels | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (api == null || !(memory instanceof api.Memory)) return null;
  let k = instances.get(memory);
  if (k == null) {
    if (compiled === undefined) {
      try {
        compiled = new api.Module(assemble([phaseScatter()]));
      } catch {
        compiled = null; // no wasm SIMD in this runtime: the JS loop below
      }
    }
    if (compiled == null) return null;
    k = new api.Instance(compiled, { env: { memory } }).exports as PhaseKernels;
    instances.set(memory, k);
  }
  return k;
}

/** `phaseScatter` in JS, on float offsets instead of byte pointers. */
function phaseScatterJs(src: Float32Array, dst: Float32Array, a: number[]): void {
  const [d, N, R, Q, C, srcPix, imgStep, rowStep, pixStep] = a;
  for (let n = 0, p = 0; n < N; n++) {
    for (let j = 0; j < R; j++) {
      for (let i = 0, q = d + n * imgStep + j * rowStep; i < Q; i++, p += srcPix, q += pixStep) {
        for (let ci = 0; ci < C; ci++) dst[q + ci] = src[p + ci];
      }
    }
  }
}

/**
 * dx of a stride > 1 NHWC Conv2D (dilation 1): sH*sW stride-1 Conv2Ds of dy interleaved into dx (see the top of
 * the file). `simd` false forces the JS interleave (tests). The caller's Scratch frees the intermediates.
 */
export function conv2DBackpropInputPhases(
  s: Scratch,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  simd = true,
): TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sH, strideWidth: sW, filterHeight: KH, filterWidth: KW } = info;
  const rows = phaseAxes(H, OH, KH, sH, info.padInfo.top);
  const cols = phaseAxes(W, OW, KW, sW, info.padInfo.left);
  const parts = rows.flatMap((h) => cols.map((w) => ({ h, w, y: phase(s, dy, filter, h, w, sH, sW) })));
  const backend: WasmBackend = s.backend;
  const zero = parts.some((p) => p.y == null) ? s.own(backend.makeOutput([C], 'float32')) : null;
  const dx = backend.makeOutput([N, H, W, C], 'float32');
  if (zero != null) f32(backend, zero).fill(0);
  const k = simd ? phaseKernels(backend) : null;
  const dxView = k == null ? f32(backend, dx) : null;
  for (const { h, w, y } of parts) {
    const src = y ?? zero!;
    // [first dx float, N, R, Q, C, floats per phase pixel (0: zeros), per image, per phase row, per phase column]
    const a = [(h.r * W + w.r) * C, N, h.rows, w.rows, C, y == null ? 0 : C, H * W * C, sH * W * C, sW * C];
    if (k == null) {
      phaseScatterJs(f32(backend, src), dxView!, a);
    } else {
      const [d, n, r, q, , srcPix, img, row, pix] = a;
      const base = ptr(backend, dx.dataId);
      k.phaseScatter(
        ptr(backend, src.dataId),
        base + d * 4,
        n,
        r,
        q,
        C >> 2,
        C & 3,
        srcPix * 4,
        img * 4,
        row * 4,
        pix * 4,
      );
    }
  }
  return dx;
}
