/** Hand-made artifacts shaped like src/shared/results.ts, small enough to check every number. */
import type {
  CslArtifact,
  ImportanceArtifact,
  LossSurfaceArtifact,
  ReportRow,
  Stat,
  TimeArtifact,
  UnlearningReport,
} from '../../../src/shared/results';

// A std comes from two or more repeats, so a stat with one carries two values (the report has repeats: 2).
export const stat = (
  mean: number | null,
  std: number | null = null,
  values: (number | null)[] = std === null ? [mean] : [mean, mean],
): Stat => ({ mean, std, values });

function row(
  key: string,
  label: string,
  kind: ReportRow['kind'],
  groups: (number | null)[],
  deltas: (number | null)[],
  du: number,
  duDelta: number | null,
  test: number,
  fair: number | null,
): ReportRow {
  return {
    key,
    label,
    kind,
    methodId: kind === 'method' ? key.replace('unlearn:', '') : undefined,
    groupAccuracy: groups.map((g) => stat(g, g === null ? null : 0.01)),
    groupDelta: deltas,
    unlearnAccuracy: stat(du, 0.005),
    unlearnDelta: duDelta,
    testAccuracy: stat(test, 0.002),
    fairnessSum: fair === null ? null : stat(fair, 0.0001),
    fairnessMean: fair === null ? null : stat(fair / 3, 0.00005),
    timeToPeakSeconds: null,
    speedup: null,
  };
}

/** Three groups; the middle one is empty in every row. */
export function makeReport(): UnlearningReport {
  return {
    request: { kind: 'clients', clients: [0], examples: 200 },
    unlearningClients: [0],
    remainingClients: [1, 2, 3],
    memorization: 'correct',
    fairness: 'sum',
    repeats: 2,
    retrainModels: 3,
    groups: [
      { lo: 90, hi: 100, label: '(90%,100%]', counts: [20, 20] },
      { lo: 80, hi: 90, label: '(80%,90%]', counts: [0, 0] },
      { lo: 0, hi: 80, label: '(0%,80%]', counts: [180, 180] },
    ],
    rows: [
      row('original', 'Original', 'original', [1, null, 1], [0.7, null, 0.05], 0.99, 0.1, 0.9, null),
      row('retrained', 'Retrained', 'retrained', [0.3, null, 0.95], [null, null, null], 0.89, null, 0.88, 0.00009),
      row('unlearn:finetune', 'Fine-tune', 'method', [0.8, null, 0.97], [0.5, null, 0.02], 0.95, 0.06, 0.87, 0.0012),
      row(
        'unlearn:fedmemeraser',
        'FedMemEraser',
        'method',
        [0.35, null, 0.96],
        [0.05, null, 0.01],
        0.9,
        0.01,
        0.885,
        0.00091,
      ),
    ],
  };
}

export const time: TimeArtifact = {
  curves: [
    {
      stage: 'retrain:0',
      label: 'Retrained 1',
      points: [
        { round: 1, seconds: 2.5, testAccuracy: 0.5 },
        { round: 2, seconds: 5, testAccuracy: 0.8 },
        { round: 3, seconds: 7.5, testAccuracy: 0.85 },
      ],
      peakAccuracy: 0.85,
      peakRound: 3,
      peakSeconds: 7.5,
    },
    {
      stage: 'unlearn:fedmemeraser',
      label: 'FedMemEraser',
      points: [
        { round: 1, seconds: 2, testAccuracy: 0.83 },
        { round: 2, seconds: 4.1, testAccuracy: 0.86 },
      ],
      peakAccuracy: 0.86,
      peakRound: 2,
      peakSeconds: 4.1,
    },
  ],
};

export const importance: ImportanceArtifact = {
  stage: 'unlearn:fedmemeraser',
  selection: 'redundant',
  locate: 'gradient',
  percentiles: [0, 25, 50, 75, 100],
  log10Magnitude: [-8, -7.2, -6.5, -5.1, -2],
  recommendedRho: 0.42,
  kneePercentile: 42,
  threshold: 1e-6,
  chosenRho: 0.3,
  resetScalars: 300,
  totalScalars: 1000,
};

export const lossSurface: LossSurfaceArtifact = {
  remainingSample: 100,
  paths: [
    {
      target: 'retrain:0',
      label: 'Retrained 1',
      points: [0, 0.5, 1].map((t, i) => ({
        t,
        remaining: { loss: 0.1 + i, accuracy: 0.9 },
        unlearning: { loss: 0.2 + i, accuracy: 0.8 },
        test: { loss: 0.3 + i, accuracy: 0.7 },
      })),
    },
  ],
};

export const csl: CslArtifact = {
  csl: [1.5, 3.25, 9],
  score: [0, 0.33, 1],
  cosine: 0.82,
  pearson: 0.7,
  spearman: null,
  topFraction: 0.2,
  overlap: 0.82,
};
