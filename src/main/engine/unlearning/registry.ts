/** Every unlearning method, by config id. Adding a method = one file + one line here + its schema. */
import type { MethodConfig, MethodId } from '../../../shared/method-schemas';
import { fedau } from './fedau';
import { federaser } from './federaser';
import { fedmemeraser } from './fedmemeraser';
import { fedosd } from './fedosd';
import { fedrecovery } from './fedrecovery';
import { finetune } from './finetune';
import { halimi } from './halimi';
import { liu } from './liu';
import { not } from './not';
import { retrain } from './retrain';
import type { UnlearningMethod } from './types';

export const METHODS = {
  retrain,
  finetune,
  fedmemeraser,
  halimi,
  liu,
  fedrecovery,
  fedau,
  fedosd,
  not,
  federaser,
} satisfies { [K in MethodId]: UnlearningMethod<Extract<MethodConfig, { id: K }>> };

export function methodFor(config: MethodConfig): UnlearningMethod<MethodConfig> {
  return METHODS[config.id];
}
