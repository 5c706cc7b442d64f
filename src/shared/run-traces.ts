/**
 * Records of how a run's stages came about, stored as artifacts beside the results (results.ts maps
 * them): what a baseline's own step did, and what a study run reused instead of training it.
 */

/**
 * What a baseline's own step did, per entry and repeat (named by its stage), so tables and tests read
 * typed numbers rather than log text.
 */
export type MethodTrace =
  | {
      method: 'halimi';
      /** Clients whose last contribution the reference model removed (empty: the reference is the original). */
      removedClients: number[];
      radius: number;
      steps: number;
      projectedSteps: number;
      stoppedEarly: boolean;
      distanceThreshold: number;
      /** At the last step: squared distance to the leaving clients' model, distance to the reference, ascent loss. */
      lastSquaredDistanceToLeaving: number | null;
      lastDistanceToReference: number | null;
      lastLoss: number | null;
    }
  | {
      method: 'fedosd';
      unlearningRounds: number;
      /** Largest |cosine| between an applied unlearning step and any remaining client's gradient. */
      maxAbsCosineApplied: number;
      /** The same for the targets' gradient before projection (the conflict the projection removes). */
      maxAbsCosineUnprojected: number;
    };

/** What a run of a study reused from earlier runs instead of training it again (issue 11). */
export interface SharedStages {
  /** Per repeat: the run whose training produced the reused original model (null: trained by this run). */
  original: (string | null)[];
  /** Per repeat: how many of the J + K retrained models were reused (and from which runs) or trained. */
  retrained: { reused: number; trained: number; from: string[] }[];
}
