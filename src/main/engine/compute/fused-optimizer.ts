/**
 * Adam and SGD-with-momentum as one SIMD pass per variable on the wasm backend.
 *
 * tf.train.adam applies ~15 kernels per variable (two moment updates, bias corrections, sqrt,
 * divisions, assigns): on the default CNN's 8 variables that is ~120 kernel calls and ~3 ms a step,
 * for ~100k parameters. Here each variable takes one call of simd-kernels.ts' `adam` (or
 * `momentum`), which performs tf.train's operations in the same order in float32, so the weights
 * match tf.train's (tested). The moments live in buffers the optimizer owns on the wasm heap, not in
 * engine tensors; each step writes new weights into a fresh buffer and `assign`s it, so tensors
 * that share a variable's old buffer never see it change.
 *
 * `createOptimizer` returns this where the active backend is wasm with SIMD, tf.train's elsewhere.
 */
// Written against tfjs 4.22.0 internals: test/unit/engine/compute/tfjs-pin.test.ts fails when tfjs moves and says what
// to re-check here.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { FisherOptimizer, type FisherSettings } from './fisher-optimizer';
import { ptr, simdKernels, type SimdKernels } from './simd-kernels';
import { f32, type WasmBackend } from './wasm-scratch';
import type { StepOptimizer } from './step-optimizer';

export interface OptimizerSettings {
  /** 'fisher': Liu et al. 2022's preconditioned step (fisher-optimizer.ts), used by that baseline only. */
  optimizer: 'adam' | 'sgd' | 'fisher';
  lr: number;
  momentum: number;
  fisher?: Omit<FisherSettings, 'lr'>;
}

export type { StepOptimizer };

const fr = Math.fround;
const BETA1 = 0.9;
const BETA2 = 0.999;

class FusedOptimizer implements StepOptimizer {
  /** Per variable: [m, v] for Adam, [accumulation] for momentum. */
  private readonly slots = new Map<tf.Variable, TensorInfo[]>();
  private accB1: number;
  private accB2: number;
  // tf.train.adam's defaults; like it, (1 - beta) is taken in double before becoming a float32 scalar.
  private readonly b1 = fr(BETA1);
  private readonly b2 = fr(BETA2);
  private readonly omb1 = fr(1 - BETA1);
  private readonly omb2 = fr(1 - BETA2);

  constructor(
    private readonly backend: WasmBackend,
    private readonly simd: SimdKernels,
    private readonly s: OptimizerSettings,
    /** tf.train.adam's default: the backend's epsilon(). */
    private readonly eps: number,
  ) {
    this.accB1 = this.b1;
    this.accB2 = this.b2;
  }

  private slotsOf(v: tf.Variable): TensorInfo[] {
    let slots = this.slots.get(v);
    if (slots == null) {
      slots = new Array(this.s.optimizer === 'adam' ? 2 : 1).fill(0).map(() => {
        const t = this.backend.makeOutput([v.size], 'float32');
        f32(this.backend, t).fill(0);
        return t;
      });
      this.slots.set(v, slots);
    }
    return slots;
  }

  applyGradients(vars: tf.Variable[], grads: tf.NamedTensorMap): void {
    const adam = this.s.optimizer === 'adam';
    // tf.train.adam: (1 - beta1^t) from a float32 accumulator that starts at beta1.
    const omab1 = fr(1 - this.accB1);
    const omab2 = fr(1 - this.accB2);
    for (const v of vars) {
      const g = grads[v.name];
      if (g == null) continue;
      if (g.dtype !== 'float32' || v.dtype !== 'float32') throw new Error(`optimizer: ${v.name} is not float32`);
      const slots = this.slotsOf(v);
      const out = this.backend.makeOutput(v.shape, 'float32');
      const n4 = v.size >> 2;
      const [pw, pg, po] = [ptr(this.backend, v.dataId), ptr(this.backend, g.dataId), ptr(this.backend, out.dataId)];
      const ps = slots.map((t) => ptr(this.backend, t.dataId));
      if (adam) {
        this.simd.adam(
          pw,
          pg,
          ps[0],
          ps[1],
          po,
          n4,
          this.b1,
          this.omb1,
          this.b2,
          this.omb2,
          omab1,
          omab2,
          fr(this.eps),
          fr(-this.s.lr),
        );
      } else {
        this.simd.momentum(pw, pg, ps[0], po, n4, fr(this.s.momentum), fr(-this.s.lr));
      }
      this.tail(v, g, slots, out, n4 * 4, omab1, omab2);
      const next = tf.engine().makeTensorFromTensorInfo(out);
      v.assign(next);
      next.dispose();
    }
    if (adam) {
      this.accB1 = fr(this.accB1 * this.b1);
      this.accB2 = fr(this.accB2 * this.b2);
    }
  }

  /** The last size % 4 elements in JS; fround after every operation keeps it float32 like the SIMD lanes. */
  private tail(
    v: tf.Variable,
    g: tf.Tensor,
    slots: TensorInfo[],
    out: TensorInfo,
    from: number,
    omab1: number,
    omab2: number,
  ): void {
    if (from >= v.size) return;
    const b = this.backend;
    const [w, gv, o] = [f32(b, v), f32(b, g), f32(b, out)];
    const s = slots.map((t) => f32(b, t));
    const negLr = fr(-this.s.lr);
    for (let i = from; i < v.size; i++) {
      if (this.s.optimizer === 'adam') {
        const m = fr(fr(s[0][i] * this.b1) + fr(gv[i] * this.omb1));
        const vv = fr(fr(s[1][i] * this.b2) + fr(fr(gv[i] * gv[i]) * this.omb2));
        s[0][i] = m;
        s[1][i] = vv;
        const step = fr(fr(fr(m / omab1) / fr(fr(Math.sqrt(fr(vv / omab2))) + fr(this.eps))) * negLr);
        o[i] = fr(step + w[i]);
      } else {
        const acc = fr(fr(fr(this.s.momentum) * s[0][i]) + gv[i]);
        s[0][i] = acc;
        o[i] = fr(fr(negLr * acc) + w[i]);
      }
    }
  }

  dispose(): void {
    for (const slots of this.slots.values()) for (const t of slots) this.backend.disposeData(t.dataId);
    this.slots.clear();
  }
}

/** tf.train's optimizers behind the same interface, for every other backend. */
class TfOptimizer implements StepOptimizer {
  private readonly opt: tf.Optimizer;
  constructor(s: OptimizerSettings) {
    this.opt = s.optimizer === 'adam' ? tf.train.adam(s.lr) : tf.train.momentum(s.lr, s.momentum);
  }
  applyGradients(_vars: tf.Variable[], grads: tf.NamedTensorMap): void {
    this.opt.applyGradients(grads);
  }
  dispose(): void {
    this.opt.dispose();
  }
}

/** The fused optimizer on wasm with SIMD; tf.train's otherwise (or when `fused` is false). */
export function createOptimizer(s: OptimizerSettings, fused = true): StepOptimizer {
  if (s.optimizer === 'fisher') {
    if (!s.fisher) throw new Error('the fisher optimizer needs its settings (beta1, beta2, damping, rule)');
    return new FisherOptimizer({ ...s.fisher, lr: s.lr });
  }
  const backend = tf.backend();
  const simd = fused && tf.getBackend() === 'wasm' ? simdKernels(backend) : null;
  return simd != null
    ? new FusedOptimizer(backend as unknown as WasmBackend, simd, s, backend.epsilon())
    : new TfOptimizer(s);
}
