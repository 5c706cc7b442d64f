/**
 * A synthetic image-classification dataset, deterministic from an Rng, for quick runs and tests without files.
 * Each class has a smooth prototype (a shared background plus class-specific low-frequency waves and blobs);
 * each example is its prototype moved by a small random shift, scaled in contrast and brightness, and covered
 * in per-pixel Gaussian noise. A small CNN separates the classes well, but not at a glance: shifts and
 * noise make nearest-prototype matching imperfect.
 */
import { SYNTHETIC_SIZES } from '../../../shared/data-limits';
import type { Rng } from '../rng';
import type { RawDataset, RawSplit } from './raw';

export interface SyntheticOptions {
  numClasses?: number;
  /** [height, width, channels]; default [28, 28, 1]. */
  shape?: [number, number, number];
  trainSize?: number;
  testSize?: number;
  /** Standard deviation of per-pixel noise, in [0, 1] pixel units. Default 0.25. */
  noise?: number;
  /** Largest shift in pixels along each axis. Default 3. */
  maxShift?: number;
  /** Weight of the background every class shares, in [0, 1). Default 0.3. */
  shared?: number;
}

export const SYNTHETIC_DEFAULTS = {
  ...SYNTHETIC_SIZES,
  noise: 0.25,
  maxShift: 3,
  shared: 0.3,
};

/** A smooth random field in [0, 1]: a few plane waves plus Gaussian blobs, min-max normalised. */
function smoothField(rng: Rng, h: number, w: number): Float64Array {
  const f = new Float64Array(h * w);
  const waves = Array.from({ length: 3 }, () => ({
    fy: rng.uniform(-3, 3) / h,
    fx: rng.uniform(-3, 3) / w,
    phase: rng.uniform(0, 2 * Math.PI),
    amp: rng.uniform(0.5, 1),
  }));
  const blobs = Array.from({ length: 3 }, () => ({
    cy: rng.uniform(0.15, 0.85) * h,
    cx: rng.uniform(0.15, 0.85) * w,
    s: rng.uniform(0.08, 0.2) * Math.min(h, w),
    amp: rng.uniform(-1.5, 1.5),
  }));
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      let v = 0;
      for (const wv of waves) v += wv.amp * Math.cos(2 * Math.PI * (wv.fy * r + wv.fx * c) + wv.phase);
      for (const b of blobs) v += b.amp * Math.exp(-((r - b.cy) ** 2 + (c - b.cx) ** 2) / (2 * b.s * b.s));
      f[r * w + c] = v;
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of f) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo || 1;
  for (let i = 0; i < f.length; i++) f[i] = (f[i] - lo) / span;
  return f;
}

/** Per-class prototypes, HWC, in [0, 1]. */
function makePrototypes(rng: Rng, numClasses: number, shape: [number, number, number], shared: number): Float64Array[] {
  const [h, w, ch] = shape;
  const background = Array.from({ length: ch }, () => smoothField(rng, h, w));
  return Array.from({ length: numClasses }, () => {
    const proto = new Float64Array(h * w * ch);
    for (let k = 0; k < ch; k++) {
      const own = smoothField(rng, h, w);
      for (let p = 0; p < h * w; p++) proto[p * ch + k] = shared * background[k][p] + (1 - shared) * own[p];
    }
    return proto;
  });
}

function makeSplit(
  rng: Rng,
  protos: Float64Array[],
  shape: [number, number, number],
  n: number,
  noise: number,
  maxShift: number,
): RawSplit {
  const [h, w, ch] = shape;
  const size = h * w * ch;
  const numClasses = protos.length;
  // Balanced labels in a shuffled order.
  const y = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i % numClasses));
  const pixels = new Uint8Array(n * size);
  for (let i = 0; i < n; i++) {
    const proto = protos[y[i]];
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    const contrast = rng.uniform(0.7, 1.1);
    const brightness = rng.uniform(-0.1, 0.1);
    const base = i * size;
    for (let r = 0; r < h; r++) {
      const sr = Math.min(h - 1, Math.max(0, r - dy));
      for (let c = 0; c < w; c++) {
        const sc = Math.min(w - 1, Math.max(0, c - dx));
        for (let k = 0; k < ch; k++) {
          const v = 0.5 + contrast * (proto[(sr * w + sc) * ch + k] - 0.5) + brightness + noise * rng.normal();
          pixels[base + (r * w + c) * ch + k] = Math.round(255 * Math.min(1, Math.max(0, v)));
        }
      }
    }
  }
  return { pixels, y, n };
}

/**
 * Generates the dataset. Prototypes, training and test examples come from separate forks of `rng`, so
 * changing `trainSize` leaves the prototypes and the test split unchanged.
 */
export function generateSynthetic(rng: Rng, opts: SyntheticOptions = {}): RawDataset {
  const o = { ...SYNTHETIC_DEFAULTS, ...opts };
  if (!Number.isInteger(o.numClasses) || o.numClasses < 2)
    throw new RangeError('synthetic numClasses must be an integer >= 2');
  if (o.shape.some((d) => !Number.isInteger(d) || d < 1))
    throw new RangeError('synthetic shape must be positive integers');
  for (const [k, v] of [
    ['trainSize', o.trainSize],
    ['testSize', o.testSize],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`synthetic ${k} must be a positive integer, got ${v}`);
  }
  const protos = makePrototypes(rng.fork('prototypes'), o.numClasses, o.shape, o.shared);
  return {
    shape: o.shape,
    numClasses: o.numClasses,
    train: makeSplit(rng.fork('train'), protos, o.shape, o.trainSize, o.noise, o.maxShift),
    test: makeSplit(rng.fork('test'), protos, o.shape, o.testSize, o.noise, o.maxShift),
  };
}
