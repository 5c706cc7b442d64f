/**
 * A run's own checkpoint (issue 13), in its folder (store/paths.ts checkpointDirFor; deleted with the
 * run, and when the run is done): every completed stage of the pipeline (original training, each
 * retrained model, each method) stored as a study's shared trainings are (stage-cache.ts), and the
 * training in progress after each completed round (round-state-file.ts). A resumed run takes completed
 * stages from here, replaying their rounds and weights, and continues a training from its last round.
 *
 * Keys hold the stage, the run's whole config and the compute backend, so a checkpoint is only ever
 * used by the same experiment computed the same way (resumed on another backend, stages run again). Anything damaged
 * is reported in one sentence and that stage is trained again from its
 * start: a resumed run is slower then, never wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentConfig } from '../../../shared/config';
import { canonicalJson } from '../../../shared/study-sharing';
import { entryName } from '../../files/shared-trainings';
import type { FedAvgState, RoundRecord } from '../fl/fedavg';
import { StageCache, type CachedTraining, type TrainingToStore } from '../stage-cache';
import type { Weights } from '../types';
import { CheckpointFileError, readStateFile, writeStateFile, type StateArray } from './round-state-file';

interface RoundMeta {
  key: string;
  round: number;
  records: RoundRecord[];
  global: number;
  aux: number;
  csl: boolean;
}

/** The round-level hooks of one training, ready to hand to runFedAvg's `checkpoint` option. */
export interface StageRounds {
  from: FedAvgState | null;
  save(state: FedAvgState): void;
}

export class RunCheckpoint {
  private readonly stages: StageCache;

  constructor(
    private readonly dir: string,
    runId: string,
    private readonly config: ExperimentConfig,
    /** The compute backend the numbers come from (another one may round differently). */
    private readonly backend: string,
    private readonly log: (level: 'info' | 'warn', message: string) => void,
  ) {
    this.stages = new StageCache({ dir: path.join(dir, 'stages'), runId, entryLabel: 'the saved stage' });
  }

  private readonly warn = (message: string) => this.log('warn', message);

  private key(stage: string): string {
    return canonicalJson({ checkpoint: stage, config: this.config, backend: this.backend });
  }

  private roundFile(stage: string): string {
    return path.join(this.dir, 'rounds', `${entryName(this.key(stage))}.fmc`);
  }

  /** The stage as stored when it completed, or null (not reached, or damaged: then warned and removed). */
  completed(stage: string): CachedTraining | null {
    return this.stages.load(this.key(stage), this.warn);
  }

  /** Stores a completed stage; its round-level state is no longer needed. */
  complete(stage: string, t: TrainingToStore): void {
    this.stages.begin(this.key(stage)).commit(t);
    fs.rmSync(this.roundFile(stage), { force: true });
  }

  /**
   * The round hooks of a training: `from` is its last saved round (null when none or unusable),
   * `save` writes the state after a round. `csl` (an accumulator the training adds to) is saved with
   * it and restored into the given array. `sizes` are the weight arrays' lengths a saved state must have.
   */
  rounds(stage: string, sizes: readonly number[], csl?: Float64Array): StageRounds {
    const file = this.roundFile(stage);
    const key = this.key(stage);
    const from = this.loadRound(file, key, stage, sizes, csl);
    if (from) this.log('info', `${stage} continues after round ${from.round}, from the checkpoint`);
    return {
      from,
      save: (s) => {
        const arrays: Record<string, StateArray> = {};
        s.global.forEach((w, i) => (arrays[`g${i}`] = w));
        s.aux?.forEach((w, i) => (arrays[`a${i}`] = w));
        if (csl) arrays.csl = csl;
        const meta: RoundMeta = {
          key,
          round: s.round,
          records: s.records,
          global: s.global.length,
          aux: s.aux?.length ?? 0,
          csl: !!csl,
        };
        writeStateFile(file, { meta, arrays });
      },
    };
  }

  private loadRound(
    file: string,
    key: string,
    stage: string,
    sizes: readonly number[],
    csl?: Float64Array,
  ): FedAvgState | null {
    try {
      const state = readStateFile(file);
      if (!state) return null;
      const meta = state.meta as RoundMeta;
      if (meta?.key !== key) return null;
      const global = Array.from({ length: meta.global }, (_, i) => state.arrays[`g${i}`]);
      const aux = Array.from({ length: meta.aux }, (_, i) => state.arrays[`a${i}`]);
      const fits =
        global.length === sizes.length && global.every((g, i) => g instanceof Float32Array && g.length === sizes[i]);
      const cslFits =
        !csl || (meta.csl && state.arrays.csl instanceof Float64Array && state.arrays.csl.length === csl.length);
      if (
        !fits ||
        !cslFits ||
        aux.some((a) => !(a instanceof Float32Array)) ||
        !Array.isArray(meta.records) ||
        meta.records.length !== meta.round
      ) {
        throw new CheckpointFileError(file, 'it does not match this run');
      }
      if (csl) csl.set(state.arrays.csl);
      return {
        round: meta.round,
        global: global as Weights,
        ...(aux.length && { aux: aux as Weights }),
        records: meta.records,
      };
    } catch (e) {
      if (!(e instanceof CheckpointFileError)) throw e;
      this.warn(`${e.message}; training ${stage} again from its start`);
      fs.rmSync(file, { force: true });
      return null;
    }
  }
}
