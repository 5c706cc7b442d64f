/**
 * Parameter-selection strategies for the locate step of FedMemEraser and its Appendix F.3 ablation
 * (Table F4; Table H8 compares "important" and "redundant" without fine-tuning). Each returns one
 * 0/1 mask per tensor (1 = re-initialise). Counts are k = floor(rho * N) over the N eligible scalars
 * (the authors' int(len * ratio); see countForRatio), ties at the cut broken by flat index ascending.
 *
 * - redundant (the paper, Eq. 12-13, Algorithm 1 step 5): the lowest-rho fraction of ALL eligible
 *   scalars, ranked globally across tensors by |g_r|, the remaining clients' mean update; or, with
 *   gamma, every scalar with |g_r| < gamma (Eq. 12 writes g_r(theta) < gamma; Algorithm 1 says "by
 *   |g_r(theta)|", and a signed threshold would pick every large negative update, so we use |g_r|).
 * - important (SalUn, Fan et al. 2024): the top-rho fraction by |g_u|, the unlearning clients' mean
 *   update, globally; or |g_u| >= gamma. Needs D_u.
 * - localized: see localized.ts (whole output channels by |theta * g_u|).
 * - deep-layers / shallow-layers (F.3: "adopts the selection strategy of SalUn but restricts the
 *   selection to deep [shallow] layers"): SalUn's top-k by |g_u| with k = floor(rho * N) over the
 *   WHOLE model's eligible scalars (as the authors' code counts), chosen only among tensors with
 *   index >= splitIndex (deep) or < splitIndex (shallow). splitIndex defaults to floor(T / 2) for T
 *   tensors, which is the authors' split_layer_index = 11 for their 22-tensor ResNet-18. If k exceeds
 *   the region's size the whole region is reset and `selected` < `requested` (the authors' topk would
 *   instead pick arbitrary zero-scored scalars outside the region).
 */
import type { Weights } from '../../types';
import { SelectionError } from './errors';
import {
  checkAligned,
  flattenMagnitudes,
  includeAll,
  masksFromFlat,
  type FlatMagnitudes,
  type IncludeFn,
} from './importance';
import { selectLocalized } from './localized';
import { countForRatio, countOnes, selectAtLeast, selectBelow, selectHighest, selectLowest } from './rank-select';
import type { SelectionId } from '../../../../shared/catalog';
import type { SelectionInput, SelectionResult, SelectionStrategy } from './types';

function ratioOrThreshold(input: SelectionInput, who: string): { rho?: number; gamma?: number } {
  const { rho, gamma } = input;
  if ((rho === undefined) === (gamma === undefined))
    throw new SelectionError(`${who}: give exactly one of rho or gamma`);
  if (rho !== undefined) countForRatio(rho, 0); // validates the range
  if (gamma !== undefined && !Number.isFinite(gamma))
    throw new SelectionError(`${who}: gamma must be finite (got ${gamma})`);
  return { rho, gamma };
}

function requireUnlearningUpdate(input: SelectionInput, who: string): Weights {
  if (!input.unlearningUpdate) {
    throw new SelectionError(
      `${who} needs the unlearning clients' update (unlearningUpdate); it requires access to D_u`,
    );
  }
  return input.unlearningUpdate;
}

function finish(
  flat: FlatMagnitudes,
  picked: Uint8Array,
  requested: number | null,
  candidates = flat.total,
): SelectionResult {
  return { masks: masksFromFlat(flat, picked), selected: countOnes(picked), candidates, requested };
}

function checkInputs(input: SelectionInput): void {
  checkAligned(input.specs, input.weights, 'weights');
  checkAligned(input.specs, input.remainingUpdate, 'remainingUpdate');
}

export function selectRedundant(input: SelectionInput): SelectionResult {
  checkInputs(input);
  const { rho, gamma } = ratioOrThreshold(input, 'redundant');
  const flat = flattenMagnitudes(input.specs, input.remainingUpdate, input.include);
  if (gamma !== undefined) return finish(flat, selectBelow(flat.values, gamma), null);
  const k = countForRatio(rho!, flat.total);
  return finish(flat, selectLowest(flat.values, k), k);
}

export function selectImportant(input: SelectionInput): SelectionResult {
  checkInputs(input);
  const gu = requireUnlearningUpdate(input, 'important (SalUn)');
  const { rho, gamma } = ratioOrThreshold(input, 'important (SalUn)');
  const flat = flattenMagnitudes(input.specs, gu, input.include);
  if (gamma !== undefined) return finish(flat, selectAtLeast(flat.values, gamma), null);
  const k = countForRatio(rho!, flat.total);
  return finish(flat, selectHighest(flat.values, k), k);
}

/** SalUn restricted to one side of splitIndex (see the file header). */
function selectByDepth(input: SelectionInput, side: 'deep' | 'shallow'): SelectionResult {
  checkInputs(input);
  const who = `${side}-layers`;
  const gu = requireUnlearningUpdate(input, who);
  const { rho, gamma } = ratioOrThreshold(input, who);
  const T = input.specs.length;
  const split = input.splitIndex ?? Math.floor(T / 2);
  if (!Number.isInteger(split) || split < 0 || split > T)
    throw new SelectionError(`${who}: splitIndex must be an integer in [0, ${T}] (got ${split})`);
  const include: IncludeFn = input.include ?? includeAll;
  const inRegion: IncludeFn = (spec, t) => include(spec, t) && (side === 'deep' ? t >= split : t < split);
  const whole = flattenMagnitudes(input.specs, gu, include);
  const region = flattenMagnitudes(input.specs, gu, inRegion);
  if (gamma !== undefined) return finish(region, selectAtLeast(region.values, gamma), null);
  const k = countForRatio(rho!, whole.total);
  return finish(region, selectHighest(region.values, Math.min(k, region.total)), k);
}

export const selectDeepLayers = (input: SelectionInput) => selectByDepth(input, 'deep');
export const selectShallowLayers = (input: SelectionInput) => selectByDepth(input, 'shallow');

export const SELECTION_STRATEGIES = {
  redundant: {
    id: 'redundant',
    label: 'Redundant (FedMemEraser)',
    reference: 'Section 6.2, Eqs. 12-13; Appendix D, Algorithm 1 step 5',
    needsUnlearningUpdate: false,
    select: selectRedundant,
  },
  important: {
    id: 'important',
    label: 'Important (SalUn)',
    reference: 'Appendix F.3 (Fan et al. 2024); Appendix H.1, Table H8',
    needsUnlearningUpdate: true,
    select: selectImportant,
  },
  localized: {
    id: 'localized',
    label: 'Localized',
    reference: 'Appendix F.3 (Torkzadehmahani et al. 2024)',
    needsUnlearningUpdate: true,
    select: selectLocalized,
  },
  'deep-layers': {
    id: 'deep-layers',
    label: 'Deep layers',
    reference: 'Appendix F.3 (SalUn restricted to deep layers; Maini et al. 2023)',
    needsUnlearningUpdate: true,
    select: selectDeepLayers,
  },
  'shallow-layers': {
    id: 'shallow-layers',
    label: 'Shallow layers',
    reference: 'Appendix F.3 (SalUn restricted to shallow layers)',
    needsUnlearningUpdate: true,
    select: selectShallowLayers,
  },
} satisfies Record<SelectionId, SelectionStrategy>;

export function selectParameters(id: SelectionId, input: SelectionInput): SelectionResult {
  const s = SELECTION_STRATEGIES[id];
  if (!s) throw new SelectionError(`unknown selection strategy ${String(id)}`);
  return s.select(input);
}
