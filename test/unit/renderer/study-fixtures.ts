/** Hand-made study results: reports whose per-repeat values are chosen so every mean and std is known. */
import type { ReportRow, Stat, TimeArtifact, TimeCurve, UnlearningReport } from '../../../src/shared/results';
import { axisLabel, studySchema, type AxisValue, type Study, type StudyInput } from '../../../src/shared/study';
import type { StudyRunResult } from '../../../src/shared/study-types';

type Values = (number | null)[];

/** A Stat as the report stores it: mean and sample std over the repeats that had a value. */
export function stat(values: Values): Stat {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length === 0) return { mean: null, std: null, values };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length === 1 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, std, values };
}

export interface RowSpec {
  label: string;
  kind?: ReportRow['kind'];
  /** Per group, per repeat (two groups: the top one first). */
  groups?: Values[];
  unlearn?: Values;
  test?: Values;
  fairSum?: Values;
  fairMean?: Values;
  wall?: Values;
}

const none: Values = [null, null];

export function row(s: RowSpec): ReportRow {
  const kind = s.kind ?? 'method';
  return {
    key: kind === 'method' ? `unlearn:${s.label.toLowerCase()}` : kind,
    label: s.label,
    kind,
    groupAccuracy: (s.groups ?? [none, none]).map(stat),
    groupDelta: [null, null],
    unlearnAccuracy: stat(s.unlearn ?? none),
    unlearnDelta: null,
    testAccuracy: stat(s.test ?? none),
    fairnessSum: kind === 'original' ? null : stat(s.fairSum ?? none),
    fairnessMean: kind === 'original' ? null : stat(s.fairMean ?? none),
    timeToPeakSeconds: null,
    speedup: null,
    wallSeconds: s.wall ? stat(s.wall) : undefined,
  };
}

export function report(rows: RowSpec[], fairness: 'sum' | 'mean' = 'sum'): UnlearningReport {
  return {
    request: { kind: 'clients', clients: [0], examples: 50 },
    unlearningClients: [0],
    remainingClients: [1, 2],
    memorization: 'correct',
    fairness,
    repeats: 2,
    retrainModels: 2,
    groups: [
      { lo: 80, hi: 100, label: '(80%,100%]', counts: [10, 10] },
      { lo: 0, hi: 80, label: '(0%,80%]', counts: [40, 40] },
    ],
    // The original row is always there and must never be drawn.
    rows: [
      row({
        label: 'Original',
        kind: 'original',
        groups: [
          [1, 1],
          [1, 1],
        ],
        unlearn: [1, 1],
        test: [0.9, 0.9],
      }),
      ...rows.map(row),
    ],
  };
}

export function makeStudy(input: Omit<StudyInput, 'base'> & { base?: StudyInput['base'] }): Study {
  const base = input.base ?? {
    unlearning: { methods: [{ id: 'retrain' }, { id: 'finetune' }, { id: 'fedmemeraser', rho: 0.3 }] },
  };
  return studySchema.parse({ ...input, base });
}

export function result(
  study: Study,
  values: AxisValue[],
  seedIndex: number,
  rep: UnlearningReport,
  time: TimeArtifact | null = null,
): StudyRunResult {
  const cellKey = values.map((v, i) => `${axisLabel(study.axes[i])}=${v}`).join('|');
  return { cellKey, values, seedIndex, runId: `run-${cellKey}#${seedIndex}`, report: rep, time };
}

export function curve(stage: string, label: string, points: [seconds: number, accuracy: number][]): TimeCurve {
  const peak = points.reduce((best, p, i) => (p[1] > points[best][1] ? i : best), 0);
  return {
    stage,
    label,
    points: points.map(([seconds, testAccuracy], i) => ({ round: i + 1, seconds, testAccuracy })),
    peakAccuracy: points[peak][1],
    peakRound: peak + 1,
    peakSeconds: points[peak][0],
  };
}
