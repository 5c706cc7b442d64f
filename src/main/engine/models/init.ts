/**
 * Weight initialisation, following the authors' reference code (reset_model_state_dict in
 * JWei1999/Rethinking-Federated-Unlearning-via-the-Lens-of-Memorization): every tensor of rank >= 2 gets
 * torch's kaiming_uniform_(nonlinearity='relu'), i.e. U(-b, b) with b = gain * sqrt(3 / fan_in) =
 * sqrt(6 / fan_in); every rank-1 tensor (biases, GroupNorm gamma/beta) gets U(-0.1, 0.1).
 *
 * FedMemEraser re-initialises chosen scalars "with the original scheme", so these functions are pure and
 * exported: draw a fresh tensor with `initTensor(spec, rng)` and copy the chosen elements out of it.
 *
 * Our layouts put the output dimension last (conv [KH,KW,Cin,Cout], dense [in,out]), so fan_in is the
 * product of all dimensions but the last: KH*KW*Cin for a conv, `in` for a dense layer — the same numbers
 * torch computes from its [Cout,Cin,KH,KW] / [out,in] layouts.
 */
import type { InitKind, ParamSpec, Weights } from '../types';
import type { Rng } from '../rng';

/** Product of all dimensions but the last (1 for rank <= 1). */
export function fanIn(shape: readonly number[]): number {
  let f = 1;
  for (let i = 0; i < shape.length - 1; i++) f *= shape[i];
  return f;
}

export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The Kaiming-uniform bound sqrt(6 / fan_in) used for a tensor of this shape. */
export function kaimingBound(shape: readonly number[]): number {
  return Math.sqrt(6 / fanIn(shape));
}

/** The authors' choice of scheme for a tensor of this shape: Kaiming for rank >= 2, U(-0.1, 0.1) otherwise. */
export function defaultInit(shape: readonly number[]): InitKind {
  return shape.length >= 2 ? 'kaiming-uniform' : 'uniform-0.1';
}

/** A freshly initialised tensor for `spec`, drawn from `rng` (the caller decides how the rng is forked). */
export function initTensor(spec: ParamSpec, rng: Rng): Float32Array {
  const out = new Float32Array(numElements(spec.shape));
  switch (spec.init) {
    case 'kaiming-uniform': {
      if (spec.shape.length < 2) {
        throw new Error(`kaiming-uniform needs a tensor of rank >= 2; ${spec.name} has shape [${spec.shape}]`);
      }
      const b = kaimingBound(spec.shape);
      for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-b, b);
      return out;
    }
    case 'uniform-0.1':
      for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-0.1, 0.1);
      return out;
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
    default: {
      const never: never = spec.init;
      throw new Error(`unknown init kind ${String(never)}`);
    }
  }
}

/**
 * Initial weights for a whole model, in ParamSpec order. Each tensor draws from its own stream forked by
 * parameter name, so reordering or adding parameters never changes another tensor's values.
 */
export function initWeights(params: readonly ParamSpec[], rng: Rng): Weights {
  const seen = new Set<string>();
  return params.map((spec) => {
    if (seen.has(spec.name)) throw new Error(`duplicate parameter name ${spec.name}`);
    seen.add(spec.name);
    return initTensor(spec, rng.fork(spec.name));
  });
}
