/**
 * Training kernels for the wasm backend, built from its own fast kernels.
 *
 * tfjs-backend-wasm 4.22 ships no `Conv2DBackpropFilter`, so conv nets cannot train on it, and its
 * `Conv2DBackpropInput` is a naive loop about 14x slower than a forward conv of the same size
 * (see DESIGN.md, "Facts measured on these machines"). Both gradients are convolutions in disguise,
 * so we express them as the backend's XNNPACK-backed `Conv2D` plus cheap layout kernels
 * (Transpose, Reverse, PadV2, Reshape, Slice).
 *
 * How a kernel is composed of other kernels: exactly like the wasm backend does internally (its
 * Reverse calls Reshape, its StridedSlice calls Slice). We look the other kernels up with
 * `getKernel(name, 'wasm')` and call their `kernelFunc` directly with the same `backend`. That
 * works on TensorInfos and never goes through the engine, so nothing lands on the gradient tape
 * and no engine-tracked Tensors are created. The price is manual memory management: every
 * TensorInfo such a call returns holds one reference on its dataId (Reshape shares its input's
 * buffer and bumps the refCount), so each intermediate is released exactly once with
 * `backend.disposeData(dataId)`; only the final output is handed to the engine. With the engine's
 * IS_TEST flag on, tfjs checks this after every kernel ("internal memory leak"); the tests use it.
 */
import '@tensorflow/tfjs-backend-wasm'; // its kernels must be registered before we capture/override them
import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  engine,
  getKernel,
  PadV2,
  registerKernel,
  Reshape,
  Reverse,
  Slice,
  Transpose,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';

const WASM = 'wasm';
type Shape4 = [number, number, number, number];

/** The part of BackendWasm we rely on (the class is not needed at type level). */
interface RefCountedBackend {
  disposeData(dataId: object): boolean;
}

/** Runs other wasm kernels and frees every intermediate they produce. */
class Scratch {
  private readonly owned: TensorInfo[] = [];
  constructor(private readonly backend: RefCountedBackend) {}

  /** Runs a kernel whose output is an intermediate, freed by `dispose()`. */
  tmp(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
    const out = this.out(kernelName, inputs, attrs);
    this.owned.push(out);
    return out;
  }

  /** Runs a kernel whose output is the caller's to keep. */
  out(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
    const config = getKernel(kernelName, WASM);
    if (config == null) throw new Error(`wasm kernel '${kernelName}' is not registered`);
    return config.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo;
  }

  dispose(): void {
    for (const t of this.owned) this.backend.disposeData(t.dataId);
    this.owned.length = 0;
  }
}

function unsupported(kernel: string, what: string): Error {
  return new Error(`wasm ${kernel} (FedMem kernel) does not support ${what}.`);
}

function checkCommon(kernel: string, dataFormat: string, dtypes: string[]): void {
  if (dataFormat !== 'NHWC') throw unsupported(kernel, `dataFormat '${dataFormat}'; use 'NHWC'`);
  if (dtypes.some((d) => d !== 'float32')) throw unsupported(kernel, `dtype ${dtypes.join('/')}; use float32`);
}

/** Forward geometry as the forward Conv2D saw it (dilation is always 1: tfjs asserts it before backprop). */
function convInfo(
  kernel: string,
  xShape: Shape4,
  filterShape: Shape4,
  attrs: Conv2DBackpropFilterAttrs | Conv2DBackpropInputAttrs,
  dyShape: number[],
): backend_util.Conv2DInfo {
  const info = backend_util.computeConv2DInfo(
    xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
  if (info.outShape.some((d, i) => d !== dyShape[i])) {
    throw unsupported(kernel, `dy of shape [${dyShape}] for a forward output of [${info.outShape}]`);
  }
  return info;
}

/**
 * Cuts `before`/`after` rows from axes 1 and 2 of a 4-D tensor where a computed padding came out
 * negative (those rows never meet the filter). Returns the tensor and the non-negative pads left.
 */
function cropNegativePads(s: Scratch, t: TensorInfo, pads: [number, number, number, number]) {
  const [top, bottom, left, right] = pads;
  const cut = pads.map((p) => Math.max(0, -p));
  if (cut.every((c) => c === 0)) return { t, pads };
  const [n, h, w, c] = t.shape;
  const cropped = s.tmp(Slice, { x: t }, {
    begin: [0, cut[0], cut[2], 0],
    size: [n, h - cut[0] - cut[1], w - cut[2] - cut[3], c],
  });
  return { t: cropped, pads: [Math.max(0, top), Math.max(0, bottom), Math.max(0, left), Math.max(0, right)] };
}

function conv(s: Scratch, x: TensorInfo, filter: TensorInfo, pads: number[], dilations: [number, number], keep: boolean) {
  // Explicit pads (never 'same'), so the backend passes them to XNNPACK verbatim.
  const attrs: NamedAttrMap = {
    strides: [1, 1],
    pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]],
    dataFormat: 'NHWC',
    dilations,
  };
  return keep ? s.out(Conv2D, { x, filter }, attrs) : s.tmp(Conv2D, { x, filter }, attrs);
}

/**
 * dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*sH + kh - top, ow*sW + kw - left, ci] * dy[n,oh,ow,co].
 * Read with ci as the batch, n as the channel and (oh,ow) as filter taps at dilation (sH,sW), that
 * is a stride-1 Conv2D of x^T [Ci,H,W,N] with dy^T [OH,OW,N,Co] giving [Ci,KH,KW,Co]. The bottom and
 * right pads make the output exactly KHxKW; when negative (valid padding whose last rows the forward
 * stride skipped) those unused rows of x are cropped instead.
 */
function conv2DBackpropFilterWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const kernel = Conv2DBackpropFilter;
  checkCommon(kernel, attrs.dataFormat, [x.dtype, dy.dtype]);
  const info = convInfo(kernel, x.shape as Shape4, attrs.filterShape, attrs, dy.shape);
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, strideHeight: sH, strideWidth: sW } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;

  const s = new Scratch(args.backend as RefCountedBackend);
  try {
    const xT = s.tmp(Transpose, { x }, { perm: [3, 1, 2, 0] }); // [Ci,H,W,N]
    const dyT = s.tmp(Transpose, { x: dy }, { perm: [1, 2, 0, 3] }); // [OH,OW,N,Co]
    const bottom = KH + sH * (OH - 1) - H - top;
    const right = KW + sW * (OW - 1) - W - left;
    const c = cropNegativePads(s, xT, [top, bottom, left, right]);
    const dw = conv(s, c.t, dyT, c.pads, [sH, sW], false); // [Ci,KH,KW,Co]
    return s.out(Transpose, { x: dw }, { perm: [1, 2, 0, 3] }); // [KH,KW,Ci,Co]
  } finally {
    s.dispose();
  }
}

/**
 * Inserts sH-1 / sW-1 zeros after every row / column of dy: [N,OH,OW,C] -> [N,OH*sH,OW*sW,C]. Done as
 * reshape + PadV2 on a size-1 axis + reshape, so it is two C++ passes and no JS loops. The trailing
 * zeros after the last row/column are accounted for in the caller's padding.
 */
function dilate(s: Scratch, dy: TensorInfo, sH: number, sW: number): TensorInfo {
  const [n, oh, ow, c] = dy.shape;
  let t = dy;
  if (sW > 1) {
    const r = s.tmp(Reshape, { x: t }, { shape: [n * oh * ow, 1, c] });
    const p = s.tmp(PadV2, { x: r }, { paddings: [[0, 0], [0, sW - 1], [0, 0]], constantValue: 0 });
    t = s.tmp(Reshape, { x: p }, { shape: [n, oh, ow * sW, c] });
  }
  if (sH > 1) {
    const w = t.shape[2];
    const r = s.tmp(Reshape, { x: t }, { shape: [n * oh, 1, w * c] });
    const p = s.tmp(PadV2, { x: r }, { paddings: [[0, 0], [0, sH - 1], [0, 0]], constantValue: 0 });
    t = s.tmp(Reshape, { x: p }, { shape: [n, oh * sH, w, c] });
  }
  return t;
}

/**
 * dx is the "full" correlation of (zero-dilated) dy with the filter reversed in both spatial axes
 * and its in/out channels swapped ([KH,KW,Co,Ci]), padded by KH-1-top above; the other pads make
 * the output exactly HxW. Negative pads (explicit pads wider than the filter) crop dy instead.
 */
function conv2DBackpropInputWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
  if (attrs.dataFormat !== 'NHWC' && builtinBackpropInput != null) {
    // The backend's own kernel handles NCHW correctly (slowly); prefer right numbers to an error.
    setUp(builtinBackpropInput, args.backend);
    return builtinBackpropInput.kernelFunc(args) as TensorInfo;
  }
  const kernel = Conv2DBackpropInput;
  checkCommon(kernel, attrs.dataFormat, [dy.dtype, filter.dtype]);
  const info = convInfo(kernel, attrs.inputShape, filter.shape as Shape4, attrs, dy.shape);
  const { inHeight: H, inWidth: W, strideHeight: sH, strideWidth: sW } = info;
  const { filterHeight: KH, filterWidth: KW } = info;

  const s = new Scratch(args.backend as RefCountedBackend);
  try {
    const rev = s.tmp(Reverse, { x: filter }, { dims: [0, 1] });
    const wT = s.tmp(Transpose, { x: rev }, { perm: [0, 1, 3, 2] }); // [KH,KW,Co,Ci]
    const d = sH > 1 || sW > 1 ? dilate(s, dy, sH, sW) : dy;
    const top = KH - 1 - info.padInfo.top;
    const left = KW - 1 - info.padInfo.left;
    const bottom = H + KH - 1 - top - d.shape[1];
    const right = W + KW - 1 - left - d.shape[2];
    const c = cropNegativePads(s, d, [top, bottom, left, right]);
    return conv(s, c.t, wT, c.pads, [1, 1], true);
  } finally {
    s.dispose();
  }
}

/**
 * A wasm kernel binds its C function in `setupFunc`, which the engine runs only for kernels that
 * are registered when `tf.setBackend('wasm')` is called. A built-in we took out of the registry
 * before that may never have been set up, so we do it ourselves before calling it.
 */
const setUpOn = new WeakMap<KernelConfig, object>();
function setUp(config: KernelConfig, backend: object | undefined): void {
  if (config.setupFunc == null || backend == null || setUpOn.get(config) === backend) return;
  config.setupFunc(backend);
  setUpOn.set(config, backend);
}

let registered = false;
/** The backend's own configs that ours replaced, restored by `unregisterWasmTrainingKernels`. */
const builtins = new Map<string, KernelConfig>();
let builtinBackpropInput: KernelConfig | undefined;

const ours: KernelConfig[] = [
  { kernelName: Conv2DBackpropFilter, backendName: WASM, kernelFunc: conv2DBackpropFilterWasm as KernelFunc },
  { kernelName: Conv2DBackpropInput, backendName: WASM, kernelFunc: conv2DBackpropInputWasm as KernelFunc },
];

/**
 * Registers our Conv2DBackpropFilter and replaces the built-in Conv2DBackpropInput on 'wasm'.
 * Idempotent. Safe before or after the wasm backend is initialised: the engine looks kernels up on
 * every call, and ours need no setupFunc.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const config of ours) {
    const current = getKernel(config.kernelName, WASM);
    if (current != null) {
      builtins.set(config.kernelName, current);
      unregisterKernel(config.kernelName, WASM); // registering over it would log "already registered"
    }
    registerKernel(config);
  }
  builtinBackpropInput = builtins.get(Conv2DBackpropInput);
  registered = true;
}

/** Restores the backend's own kernels (benchmarks and tests compare against them). */
export function unregisterWasmTrainingKernels(): void {
  if (!registered) return;
  for (const config of ours) {
    unregisterKernel(config.kernelName, WASM);
    const builtin = builtins.get(config.kernelName);
    if (builtin == null) continue;
    registerKernel(builtin);
    setUp(builtin, engine().registry[WASM]); // already-initialised backends never re-run setup
  }
  builtins.clear();
  builtinBackpropInput = undefined;
  registered = false;
}

export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}
