/**
 * What the original training of one repeat hands on, trained, resumed (resumed-stages.ts) or reused (shared-stages.ts).
 */
import type { RoundRecord } from '../fl/fedavg';
import type { LastRoundModels, Weights } from '../types';

export interface OriginalStage {
  weights: Weights;
  rounds: RoundRecord[];
  aux?: Weights;
  lastRound?: LastRoundModels;
  /** Where this repeat's history is (recorded now or reused); null when none is recorded. */
  historyDir: string | null;
}
