/**
 * Shapes shared by the parameter-selection strategies (paper Section 6.2 and Appendix F.3).
 * A selection is one Uint8Array mask per parameter tensor, in ParamSpec order: 1 = reset this scalar.
 */
import type { SelectionId } from '../../../../shared/catalog';
import type { ParamSpec, Weights } from '../../types';
import type { IncludeFn } from './importance';

export interface SelectionInput {
  specs: readonly ParamSpec[];
  /** The global model the selection is made on (Localized scores |theta * g| with it). */
  weights: Weights;
  /** Mean update (local - global) of the remaining clients, g_r of Eq. 13. */
  remainingUpdate: Weights;
  /** Mean update of the unlearning clients (needs D_u; SalUn, Localized, Deep, Shallow). */
  unlearningUpdate?: Weights;
  /** Fraction of the eligible scalars (or, for Localized, of each tensor's channels) to reset. */
  rho?: number;
  /** Threshold instead of rho: Redundant resets |g_r| < gamma; SalUn/Deep/Shallow reset |g_u| >= gamma. */
  gamma?: number;
  /** Which tensors are eligible at all; default every tensor. */
  include?: IncludeFn;
  /** Localized: each channel is scored by the mean of its top-h values (authors' top_h = 5). */
  topH?: number;
  /** Deep/Shallow: first tensor index of the "deep" part; default floor(tensors / 2). */
  splitIndex?: number;
}

export interface SelectionResult {
  masks: Uint8Array[];
  /** Scalars marked for reset. */
  selected: number;
  /** Scalars the strategy could have chosen from (after include / region / rank filters). */
  candidates: number;
  /** floor(rho * N) when rho was given (may exceed `selected` only for Deep/Shallow, see there). */
  requested: number | null;
}

export interface SelectionStrategy {
  id: SelectionId;
  label: string;
  /** Where the paper or its code defines it. */
  reference: string;
  needsUnlearningUpdate: boolean;
  select(input: SelectionInput): SelectionResult;
}
