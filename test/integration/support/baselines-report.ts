/**
 * A report shaped like the `baselines` preset's (eleven rows) with six GME groups and wide numbers
 * (100.00, two-digit stds, two-digit deltas, four-digit seconds): the worst case Table 1's LaTeX must fit. The real
 * preset
 * takes ~5 minutes, too slow for a test; the layout depends only on these shapes.
 */
import type { ReportRow, Stat, UnlearningReport } from '../../../src/shared/results';

const LABELS = [
  'Fine-tune',
  'FedMemEraser',
  'Halimi et al.',
  'Liu et al.',
  'FedRecovery',
  'FedAU',
  'FedOSD',
  'NoT',
  'FedEraser',
];
const BOUNDS: [number, number][] = [
  [95, 100],
  [90, 95],
  [85, 90],
  [80, 85],
  [50, 80],
  [0, 50],
];

/** Values with the given sample std: m ± s for two repeats, m - s, m, m + s for three. */
const statOf = (mean: number, std: number | null, repeats = 2): Stat => ({
  mean,
  std,
  values: std === null ? [mean] : repeats >= 3 ? [mean - std, mean, mean + std] : [mean - std, mean + std],
});

function row(key: string, label: string, kind: ReportRow['kind'], i: number, repeats: number): ReportRow {
  const v = (base: number) => Math.min(1, Math.max(0, base - 0.0731 * i));
  const s = (x: number) => (repeats > 1 ? x : null);
  const stat = (mean: number, std: number | null) => statOf(mean, std, repeats);
  return {
    key,
    label,
    kind,
    groupAccuracy: BOUNDS.map((_, g) => stat(v(1 - 0.01 * g), s(0.1886 - 0.01 * g))),
    groupDelta: BOUNDS.map((_, g) => (kind === 'retrained' ? null : 0.8493 - 0.05 * g - 0.03 * i)),
    unlearnAccuracy: stat(v(0.9773), s(0.1043)),
    unlearnDelta: kind === 'retrained' ? null : 0.2354,
    testAccuracy: stat(0.7673 + 0.001 * i, s(0.0112)),
    fairnessSum: kind === 'original' ? null : stat(0.26725 + 0.01 * i, s(0.12471)),
    fairnessMean: kind === 'original' ? null : stat(0.1, s(0.01)),
    // Wide times too: a paper-scale retraining peaks after 20 minutes, a method after one to two.
    timeToPeakSeconds: stat(
      kind === 'retrained' || kind === 'original' ? 1234.5678 : 98.7654 - 7.31 * i,
      s(kind === 'retrained' ? 45.6789 : 12.3456),
    ),
    speedup: kind === 'method' ? stat(1234.5678 / (98.7654 - 7.31 * i), s(1.2345)) : null,
  };
}

export function baselinesReport(repeats = 2): UnlearningReport {
  return {
    request: { kind: 'clients', clients: [0], examples: 600 },
    unlearningClients: [0],
    remainingClients: [1, 2, 3, 4],
    memorization: 'probability',
    fairness: 'sum',
    repeats,
    retrainModels: 3,
    groups: BOUNDS.map(([lo, hi]) => ({
      lo,
      hi,
      label: `(${lo}%,${hi}%]`,
      counts: Array(repeats).fill(Math.round(((hi - lo) / 100) * 600)),
      scoreMin: Array(repeats).fill(-0.123),
      scoreMax: Array(repeats).fill(0.987),
    })),
    rows: [
      row('original', 'Original', 'original', 0, repeats),
      ...LABELS.map((l, i) => row(`unlearn:${l}`, l, 'method', i + 1, repeats)),
      row('retrained', 'Retrained baseline', 'retrained', 10, repeats),
    ],
  };
}
