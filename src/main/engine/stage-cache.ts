/**
 * Trainings shared between the runs of a study (issue 11): the original model of a repeat and each
 * retrained model, stored under the study's folder by the key of what they depend on
 * (shared/study-sharing.ts). The first run that needs one trains it and stores it; the others load
 * it, replay its round records (their curves and time analysis are the trained run's) and say so.
 *
 * An entry is a folder written under a temporary name and renamed when complete, so a run killed
 * mid-write leaves no half entry; `meta.json` repeats the full key, so a hash collision or a foreign
 * folder is never taken for a match. An entry that cannot be read is reported and trained again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readWeights, writeWeightsFile } from '../files/fmw-codec';
import { fromExactJson, toExactJson } from './checkpoint/exact-json';
import { entryName } from '../files/shared-trainings';
import type { RoundRecord } from './fl/fedavg';
import type { LastRoundModels, Weights } from './types';
import { tempPathFor } from '../files/atomic-file';
import { makePrivateDir, writePrivateFile } from '../files/private-files';

export interface StageCacheOptions {
  /** The study's shared folder. */
  dir: string;
  /** The run using the cache: recorded as the producer of what it trains. */
  runId: string;
  /** What an entry is called in a problem report (default: a study's shared training). */
  entryLabel?: string;
}

interface Meta {
  key: string;
  producedBy: string;
  rounds: RoundRecord[];
  lastRound?: { shares: [number, number][]; clients: number[] };
  aux?: boolean;
  csl?: boolean;
  /** Anything else the stage produced, as JSON (a method's importance and trace). */
  json?: unknown;
}

export interface CachedTraining {
  weights: Weights;
  rounds: RoundRecord[];
  producedBy: string;
  aux?: Weights;
  lastRound?: LastRoundModels;
  csl?: Float64Array;
  json?: unknown;
  /** The entry's folder (the original training's recorded history lives in `history/` inside it). */
  dir: string;
}

export type TrainingToStore = Omit<CachedTraining, 'producedBy' | 'dir'>;

function writeArrays(file: string, arrays: Weights): void {
  writeWeightsFile(
    file,
    arrays.map((a, i) => ({ name: `t${i}`, shape: [a.length], data: a })),
  );
}
const readArrays = (file: string): Weights => readWeights(file).map((t) => t.data);

export class StageCache {
  constructor(private readonly o: StageCacheOptions) {}

  get runId(): string {
    return this.o.runId;
  }

  /** The stored training for `key`, or null when there is none (or it cannot be read: `onProblem` hears why). */
  load(key: string, onProblem: (message: string) => void): CachedTraining | null {
    const dir = path.join(this.o.dir, entryName(key));
    const metaFile = path.join(dir, 'meta.json');
    if (!fs.existsSync(metaFile)) return null;
    try {
      const meta = fromExactJson(fs.readFileSync(metaFile, 'utf8')) as Meta;
      if (meta.key !== key) return null;
      const out: CachedTraining = {
        weights: readArrays(path.join(dir, 'model.fmw')),
        rounds: meta.rounds,
        producedBy: meta.producedBy,
        dir,
      };
      if (meta.json !== undefined) out.json = meta.json;
      if (meta.aux) out.aux = readArrays(path.join(dir, 'aux.fmw'));
      if (meta.csl) {
        const bytes = fs.readFileSync(path.join(dir, 'csl.f64'));
        out.csl = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      }
      if (meta.lastRound) {
        const localModels = new Map(
          meta.lastRound.clients.map((c) => [c, readArrays(path.join(dir, `last-c${c}.fmw`))] as const),
        );
        out.lastRound = { shares: new Map(meta.lastRound.shares), localModels };
      }
      return out;
    } catch (e) {
      onProblem(
        `${this.o.entryLabel ?? 'the shared training'} in ${dir} cannot be read (${(e as Error).message}); training it again`,
      );
      // Removed so the new training can take its place (a rename onto it would fail).
      fs.rmSync(dir, { recursive: true, force: true });
      return null;
    }
  }

  /**
   * A fresh folder to train into (the original training records its history there as it goes);
   * `commit` stores the result in it and renames it into place.
   */
  begin(key: string): { dir: string; commit(t: TrainingToStore): string; abandon(): void } {
    makePrivateDir(this.o.dir);
    const tmp = tempPathFor(this.o.dir, true);
    makePrivateDir(tmp);
    const final = path.join(this.o.dir, entryName(key));
    return {
      dir: tmp,
      commit: (t) => {
        writeArrays(path.join(tmp, 'model.fmw'), t.weights);
        if (t.aux) writeArrays(path.join(tmp, 'aux.fmw'), t.aux);
        if (t.csl)
          writePrivateFile(path.join(tmp, 'csl.f64'), Buffer.from(t.csl.buffer, t.csl.byteOffset, t.csl.byteLength));
        const meta: Meta = {
          key,
          producedBy: this.o.runId,
          rounds: t.rounds,
          aux: !!t.aux,
          csl: !!t.csl,
          ...(t.json !== undefined && { json: t.json }),
        };
        if (t.lastRound) {
          for (const [c, w] of t.lastRound.localModels) writeArrays(path.join(tmp, `last-c${c}.fmw`), w);
          meta.lastRound = { shares: [...t.lastRound.shares], clients: [...t.lastRound.localModels.keys()] };
        }
        // meta.json last: its presence is what marks an entry complete.
        writePrivateFile(path.join(tmp, 'meta.json'), toExactJson(meta));
        try {
          fs.renameSync(tmp, final);
          return final;
        } catch {
          // Another run stored the same training first (same key, same numbers): keep theirs.
          fs.rmSync(tmp, { recursive: true, force: true });
          return final;
        }
      },
      abandon: () => fs.rmSync(tmp, { recursive: true, force: true }),
    };
  }
}
