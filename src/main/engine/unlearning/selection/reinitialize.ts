/**
 * Stage 2 of FedMemEraser (paper Section 6.2; Algorithm 1 step 6): re-initialise the selected
 * scalars "using the original initialization strategy" rather than zeroing them. As in the authors'
 * drop_neuron_by_indices, a fresh tensor is drawn for every tensor that has a selected scalar, and
 * each selected element takes the SAME element of that fresh tensor; every other scalar is copied
 * bit for bit. `freshInit` is called once per tensor with at least one selected scalar (never for
 * untouched tensors), so its randomness should be keyed by tensor (freshInitFromRng forks by name).
 */
import type { ResetLayer } from '../../../../shared/results';
import type { Rng } from '../../rng';
import type { ParamSpec, Weights } from '../../types';
import { initTensor } from '../../models/init';
import { SelectionError } from './errors';
import { checkAligned, numElements } from './importance';

export type FreshInit = (spec: ParamSpec, index: number) => Float32Array;

export interface ReinitResult {
  /** New arrays; the inputs are not modified. */
  weights: Weights;
  /** Scalars replaced in total. */
  resetCount: number;
  /** Scalars replaced per tensor. */
  perTensor: number[];
}

export function reinitialize(
  weights: Weights,
  masks: readonly Uint8Array[],
  specs: readonly ParamSpec[],
  freshInit: FreshInit,
): ReinitResult {
  checkAligned(specs, weights, 'weights');
  if (masks.length !== specs.length) throw new SelectionError(`masks: expected ${specs.length}, got ${masks.length}`);
  let resetCount = 0;
  const perTensor: number[] = [];
  const out = weights.map((w, t) => {
    const mask = masks[t];
    if (mask.length !== w.length)
      throw new SelectionError(`mask of ${specs[t].name} has ${mask.length} entries, the tensor ${w.length}`);
    const copy = w.slice();
    let n = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] !== 0 && mask[i] !== 1)
        throw new SelectionError(`mask of ${specs[t].name} has value ${mask[i]} at ${i} (expected 0/1)`);
      n += mask[i];
    }
    perTensor.push(n);
    if (n === 0) return copy;
    const fresh = freshInit(specs[t], t);
    if (fresh.length !== w.length)
      throw new SelectionError(
        `freshInit for ${specs[t].name} returned ${fresh.length} elements, expected ${w.length}`,
      );
    for (let i = 0; i < mask.length; i++) if (mask[i]) copy[i] = fresh[i];
    resetCount += n;
    return copy;
  });
  return { weights: out, resetCount, perTensor };
}

/** The authors' scheme through models/init: tensor `spec.name` draws from rng.fork(`${label}/${name}`). */
export function freshInitFromRng(rng: Rng, label = 'reinit'): FreshInit {
  return (spec) => initTensor(spec, rng.fork(`${label}/${spec.name}`));
}

/** Every tensor's name, shape and size with the number of its scalars reset (`perTensor` of a ReinitResult). */
export function resetLayers(specs: readonly ParamSpec[], perTensor: readonly number[]): ResetLayer[] {
  if (perTensor.length !== specs.length)
    throw new SelectionError(`reset counts: expected ${specs.length}, got ${perTensor.length}`);
  return specs.map((s, t) => ({
    name: s.name,
    shape: [...s.shape],
    scalars: numElements(s.shape),
    reset: perTensor[t],
  }));
}
