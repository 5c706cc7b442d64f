/**
 * Small building blocks shared by the model builders: a ParamSpec collector that hands out indices, and
 * functional conv / dense / norm ops over tfjs-core. Layouts: NHWC activations, conv kernels
 * [KH,KW,Cin,Cout], dense [in,out].
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDef, ParamSpec } from '../types';
import { conv2dBiasRelu } from '../compute/fused-conv';
import { defaultInit } from './init';
import { groupNorm } from './group-norm';

/** Collects ParamSpecs in order; `add` returns the tensor's index into the forward's `params` array. */
export class ParamList {
  readonly specs: ParamSpec[] = [];

  add(name: string, shape: number[]): number {
    if (this.specs.some((s) => s.name === name)) throw new Error(`duplicate parameter name ${name}`);
    this.specs.push({ name, shape, init: defaultInit(shape) });
    return this.specs.length - 1;
  }

  conv(name: string, k: number, cin: number, cout: number, bias: boolean): ConvRef {
    const w = this.add(`${name}.weight`, [k, k, cin, cout]);
    const b = bias ? this.add(`${name}.bias`, [cout]) : undefined;
    return { w, b };
  }

  dense(name: string, inDim: number, outDim: number): DenseRef {
    return { w: this.add(`${name}.weight`, [inDim, outDim]), b: this.add(`${name}.bias`, [outDim]) };
  }

  groupNorm(name: string, channels: number, groups: number, affine: boolean): NormRef {
    if (channels % groups !== 0) throw new Error(`${name}: ${channels} channels not divisible by ${groups} groups`);
    if (!affine) return { groups };
    return { groups, gamma: this.add(`${name}.weight`, [channels]), beta: this.add(`${name}.bias`, [channels]) };
  }
}

export interface ConvRef {
  w: number;
  b?: number;
}
export interface DenseRef {
  w: number;
  b: number;
}
export interface NormRef {
  groups: number;
  gamma?: number;
  beta?: number;
}

/** Padding as torch's Conv2d `padding=p` (symmetric), or 'same' / 'valid'. */
export type Pad = number | 'same' | 'valid';

export function conv(p: tf.Tensor[], ref: ConvRef, x: tf.Tensor4D, stride = 1, pad: Pad = 'same'): tf.Tensor4D {
  const y = tf.conv2d(x, p[ref.w] as tf.Tensor4D, stride, pad);
  return ref.b === undefined ? y : tf.add<tf.Tensor4D>(y, p[ref.b]);
}

/** relu(conv(...)): one fused kernel (forward and backward) on backends that have it, for biased convs. */
export function convRelu(p: tf.Tensor[], ref: ConvRef, x: tf.Tensor4D, stride = 1, pad: Pad = 'same'): tf.Tensor4D {
  if (ref.b === undefined) return tf.relu(conv(p, ref, x, stride, pad));
  return conv2dBiasRelu(x, p[ref.w] as tf.Tensor4D, p[ref.b], stride, pad);
}

export function dense(p: tf.Tensor[], ref: DenseRef, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, p[ref.w] as tf.Tensor2D), p[ref.b]);
}

export function norm(p: tf.Tensor[], ref: NormRef, x: tf.Tensor4D): tf.Tensor4D {
  const affine =
    ref.gamma !== undefined && ref.beta !== undefined ? { gamma: p[ref.gamma], beta: p[ref.beta] } : undefined;
  return groupNorm(x, ref.groups, affine);
}

export function maxPool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 2, 2, 'valid');
}

export function flatten(x: tf.Tensor): tf.Tensor2D {
  return tf.reshape(x, [x.shape[0], -1]);
}

/** Output size of a torch-style conv/pool: floor((n + 2p - k) / s) + 1. */
export function outSize(n: number, k: number, s: number, p: number): number {
  return Math.floor((n + 2 * p - k) / s) + 1;
}

/** Throws unless the forward got one tensor per ParamSpec with the declared shapes. */
export function checkParams(specs: readonly ParamSpec[], params: readonly tf.Tensor[]): void {
  if (params.length !== specs.length) {
    throw new Error(`expected ${specs.length} parameter tensors, got ${params.length}`);
  }
  for (let i = 0; i < specs.length; i++) {
    const a = specs[i].shape;
    const b = params[i].shape;
    if (a.length !== b.length || a.some((d, j) => d !== b[j])) {
      throw new Error(`parameter ${specs[i].name}: expected shape [${a}], got [${b}]`);
    }
  }
}

export function checkInput(inputShape: readonly number[], x: tf.Tensor4D): void {
  const [, h, w, c] = x.shape;
  if (h !== inputShape[0] || w !== inputShape[1] || c !== inputShape[2]) {
    throw new Error(`input [${h},${w},${c}] does not match the model's [${inputShape}]`);
  }
}

/**
 * A model definition whose forward pass checks the parameter list and the input shape, then runs
 * `features` and the final dense layer `head` inside tf.tidy so every intermediate tensor is freed: the
 * wrapper every model shares. Splitting the body at the penultimate features lets methods that work on
 * the last layer (FedAU's auxiliary head) reuse the exact ops of `forward` without a second pass.
 */
export function defineModel(
  id: ModelDef['id'],
  inputShape: [number, number, number],
  numClasses: number,
  params: ParamSpec[],
  features: (p: tf.Tensor[], x: tf.Tensor4D) => tf.Tensor2D,
  head: DenseRef,
): ModelDef {
  const check = (p: tf.Tensor[], x: tf.Tensor4D) => {
    checkParams(params, p);
    checkInput(inputShape, x);
  };
  return {
    id,
    inputShape,
    numClasses,
    params,
    head: { weight: head.w, bias: head.b, inputDim: params[head.w].shape[0] },
    forward(p, x) {
      check(p, x);
      return tf.tidy(() => dense(p, head, features(p, x)));
    },
    forwardWithFeatures(p, x) {
      check(p, x);
      return tf.tidy(() => {
        const f = features(p, x);
        return { features: f, logits: dense(p, head, f) };
      });
    },
  };
}
