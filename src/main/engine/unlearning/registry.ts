/** Every unlearning method, by config id. Adding a method = one file + one line here + its schema. */
import type { MethodConfig, MethodId } from '../../../shared/unlearning-config';
import { fedmemeraser } from './fedmemeraser';
import { finetune } from './finetune';
import { halimi } from './halimi';
import { not } from './not';
import { retrain } from './retrain';
import type { UnlearningMethod } from './types';

export const METHODS = { retrain, finetune, fedmemeraser, halimi, not } satisfies Record<MethodId, UnlearningMethod<any>>;

export function methodFor(config: MethodConfig): UnlearningMethod<MethodConfig> {
  return METHODS[config.id] as UnlearningMethod<MethodConfig>;
}
