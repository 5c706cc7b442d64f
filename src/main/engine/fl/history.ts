/**
 * The original training's per-round history on disk, for the methods that unlearn from it
 * (FedRecovery, FedEraser). Per repeat and recorded round t: `rep<k>/r<t>-global.fmw`, the global
 * model before round t, and `rep<k>/r<t>-c<client>.fmw`, each participating client's update
 * (local - global). Files use the store's FMW1 codec (atomic write); the host chooses the folder
 * (inside the run's weights folder, so deleting the run deletes it) and passes it in the start
 * message. Nothing is held in memory: rounds are written as they finish and read back one at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readWeights, writeWeightsFile, type WeightTensor } from '../../files/fmw-codec';
import type { ParamSpec, Weights } from '../types';
import { clientUpdate } from './aggregate';
import type { TrainResult } from './client-trainer';

export class HistoryMissingError extends Error {
  readonly code = 'HISTORY_MISSING';
  constructor(method: string, detail: string) {
    super(
      `${method} needs the original training's per-round history, which ${detail}: set training.recordHistory to true (or leave it unset) and run the experiment again.`,
    );
    this.name = 'HistoryMissingError';
  }
}

export const historyRepeatDir = (root: string, repeat: number) => path.join(root, `rep${repeat}`);
const globalFile = (dir: string, round: number) => path.join(dir, `r${round}-global.fmw`);
const clientFile = (dir: string, round: number, client: number) => path.join(dir, `r${round}-c${client}.fmw`);
const CLIENT_FILE = /^r(\d+)-c(\d+)\.fmw$/;

function tensors(specs: readonly ParamSpec[], w: Weights): WeightTensor[] {
  return specs.map((s, i) => ({ name: s.name, shape: s.shape, data: w[i] }));
}

/** An onClientResults hook that records the chosen rounds into `dir`. */
export function historyRecorder(dir: string, specs: readonly ParamSpec[], rounds: readonly number[]) {
  const chosen = new Set(rounds);
  return (round: number, results: TrainResult[], global: Weights): void => {
    if (!chosen.has(round)) return;
    writeWeightsFile(globalFile(dir, round), tensors(specs, global));
    for (const r of results)
      writeWeightsFile(clientFile(dir, round, r.client), tensors(specs, clientUpdate(r.weights, global)));
  };
}

/** Reads one repeat's history back, a file at a time; a missing piece throws HistoryMissingError. */
export class HistoryReader {
  constructor(
    readonly dir: string | null,
    private readonly specs: readonly ParamSpec[],
    private readonly method: string,
  ) {}

  /** The global model before `round`. */
  global(round: number): Weights {
    return this.read(this.dirOrThrow(), globalFile(this.dirOrThrow(), round), `round ${round}'s global model`);
  }

  /** Clients whose update was recorded for `round`, ascending. */
  clients(round: number): number[] {
    const dir = this.dirOrThrow();
    if (!fs.existsSync(globalFile(dir, round)))
      throw new HistoryMissingError(this.method, `has no round ${round} in ${dir}`);
    const out: number[] = [];
    for (const name of fs.readdirSync(dir)) {
      const m = CLIENT_FILE.exec(name);
      if (m && Number(m[1]) === round) out.push(Number(m[2]));
    }
    return out.sort((a, b) => a - b);
  }

  /** Client `client`'s update (local - global) in `round`. */
  update(round: number, client: number): Weights {
    return this.read(
      this.dirOrThrow(),
      clientFile(this.dirOrThrow(), round, client),
      `client ${client}'s round ${round} update`,
    );
  }

  private dirOrThrow(): string {
    if (this.dir === null) throw new HistoryMissingError(this.method, 'this run did not record');
    return this.dir;
  }

  private read(dir: string, file: string, what: string): Weights {
    if (!fs.existsSync(file))
      throw new HistoryMissingError(this.method, `lacks ${what} (${path.relative(dir, file)} in ${dir})`);
    const t = readWeights(file);
    if (t.length !== this.specs.length || t.some((x, i) => x.data.length !== numel(this.specs[i].shape))) {
      throw new Error(`${this.method}: the history file ${file} does not match the run's model`);
    }
    return t.map((x) => x.data);
  }
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
