/**
 * Small hand-made study results: an UnlearningReport per run whose rows hold given per-repeat values,
 * so pooled means, stds, n, Δ and Welch p-values can be worked out by hand. Two GME groups.
 */
import type { ReportRow, RowKind, Stat, UnlearningReport } from '../../../src/shared/results';
import { studySchema, type StudyInput } from '../../../src/shared/study';
import type { StudyRunResult } from '../../../src/shared/study-types';

/** Per-repeat values of one row: the two groups, D_u, test accuracy and fairness (sum). */
export interface RowValues {
  g0: (number | null)[];
  g1: (number | null)[];
  du: (number | null)[];
  test: (number | null)[];
  fair: (number | null)[];
}

export const stat = (values: (number | null)[]): Stat => {
  const xs = values.filter((v): v is number => v !== null);
  const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  const std = xs.length >= 2 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean!) ** 2, 0) / (xs.length - 1)) : null;
  return { mean, std, values };
};

const LABELS: Record<string, [string, RowKind, string?]> = {
  original: ['Original', 'original'],
  'unlearn:finetune': ['Fine-tune', 'method', 'finetune'],
  'unlearn:fedmemeraser': ['FedMemEraser', 'method', 'fedmemeraser'],
  retrained: ['Retrained baseline', 'retrained'],
};

/** A report of `repeats` repeats from rows keyed like the engine's ('original', 'unlearn:<id>', 'retrained'). */
export function report(
  rows: Record<string, RowValues>,
  repeats: number,
  counts: [number, number] = [10, 30],
): UnlearningReport {
  const refRow = rows.retrained;
  const mean = (xs: (number | null)[]) => stat(xs).mean;
  const delta = (xs: (number | null)[], ref: (number | null)[] | undefined) =>
    ref && mean(xs) !== null && mean(ref) !== null ? Math.abs(mean(xs)! - mean(ref)!) : null;
  return {
    request: { kind: 'clients', clients: [0], examples: 40 },
    unlearningClients: [0],
    remainingClients: [1, 2],
    memorization: 'probability',
    fairness: 'sum',
    repeats,
    retrainModels: 2,
    groups: [
      { lo: 50, hi: 100, label: '(50%,100%]', counts: Array(repeats).fill(counts[0]) },
      { lo: 0, hi: 50, label: '(0%,50%]', counts: Array(repeats).fill(counts[1]) },
    ],
    rows: Object.entries(rows).map(([key, v]): ReportRow => {
      const [label, kind, methodId] = LABELS[key];
      const isRef = kind === 'retrained';
      return {
        key,
        label,
        kind,
        ...(methodId ? { methodId } : {}),
        groupAccuracy: [stat(v.g0), stat(v.g1)],
        groupDelta: isRef ? [null, null] : [delta(v.g0, refRow?.g0), delta(v.g1, refRow?.g1)],
        unlearnAccuracy: stat(v.du),
        unlearnDelta: isRef ? null : delta(v.du, refRow?.du),
        testAccuracy: stat(v.test),
        fairnessSum: kind === 'original' ? null : stat(v.fair),
        fairnessMean: kind === 'original' ? null : stat(v.fair.map((x) => (x === null ? null : x / 2))),
        timeToPeakSeconds: null,
        speedup: null,
        wallSeconds: stat(v.test.map(() => 12)),
      };
    }),
  };
}

/** The same value in every repeat. */
export const same = (x: number, repeats: number) => Array(repeats).fill(x) as number[];

/** A row whose every measure is `x` in each repeat. */
export const flat = (x: number, repeats: number): RowValues => ({
  g0: same(x, repeats),
  g1: same(x, repeats),
  du: same(x, repeats),
  test: same(x, repeats),
  fair: same(x / 100, repeats),
});

export const result = (
  cellKey: string,
  values: StudyRunResult['values'],
  seedIndex: number,
  r: UnlearningReport,
): StudyRunResult => ({
  cellKey,
  values,
  seedIndex,
  runId: `run-${cellKey}-${seedIndex}`,
  report: r,
  time: null,
});

/** A base config with three method entries (the retrain entry has no report row). */
export const BASE = {
  seed: 7,
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 2 }, { id: 'fedmemeraser', rho: 0.3 }],
  },
};

export const study = (input: Omit<StudyInput, 'base'> & { base?: Record<string, unknown> }) =>
  studySchema.parse({ base: BASE, ...input });
