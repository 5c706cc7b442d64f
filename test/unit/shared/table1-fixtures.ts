/**
 * A hand-made three-repeat report for Table 1's significance marks and time columns: Fine-tune keeps
 * the top group (clearly apart from retraining), FedMemEraser is within noise of it. The rows share their
 * repeats, so their differences per repeat vary (a paired test needs that, paired-tests.ts).
 */
import type { ReportRow, Stat, UnlearningReport } from '../../../src/shared/results';

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const sd = (xs: number[]) =>
  xs.length < 2 ? null : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
export const st = (values: number[]): Stat => ({ mean: mean(values), std: sd(values), values });

/** Two-sided p of Student's t with 2 df in closed form: 1 - |t| / √(2 + t²). */
export const p2 = (t: number) => 1 - Math.abs(t) / Math.sqrt(2 + t * t);
/** The paired t of three repeats: the differences' mean over their standard error. */
export const tPaired = (a: number[], b: number[]) => {
  const d = a.map((x, k) => x - b[k]);
  return mean(d) / (sd(d)! / Math.sqrt(d.length));
};

function row(
  key: string,
  label: string,
  kind: ReportRow['kind'],
  top: number[],
  test: number[],
  ttp: number[] | null,
  speedup: number[] | null,
  ref: number[],
): ReportRow {
  const delta = kind === 'retrained' ? null : Math.abs(mean(top) - mean(ref));
  return {
    key,
    label,
    kind,
    groupAccuracy: [st(top)],
    groupDelta: [delta],
    unlearnAccuracy: st(top),
    unlearnDelta: delta,
    testAccuracy: st(test),
    fairnessSum: kind === 'original' ? null : st([0.001, 0.002, 0.003]),
    fairnessMean: kind === 'original' ? null : st([0.001, 0.002, 0.003]),
    timeToPeakSeconds: ttp && st(ttp),
    speedup: speedup && st(speedup),
  };
}

export const REF_TOP = [0.2, 0.21, 0.22];
export const FT_TOP = [0.9, 0.93, 0.91];
export const FME_TOP = [0.22, 0.2, 0.23];
export const FT_TEST = [0.88, 0.9, 0.89];
export const FME_TEST = [0.88, 0.87, 0.89];
export const REF_TEST = [0.86, 0.87, 0.88];

export function timedReport(): UnlearningReport {
  return {
    request: { kind: 'clients', clients: [0], examples: 30 },
    unlearningClients: [0],
    remainingClients: [1, 2],
    memorization: 'probability',
    fairness: 'sum',
    repeats: 3,
    retrainModels: 2,
    groups: [{ lo: 0, hi: 100, label: '(0%,100%]', counts: [30, 30, 30] }],
    rows: [
      row('original', 'Original', 'original', [0.95, 0.96, 0.97], [0.9, 0.9, 0.9], [50, 50, 50], null, REF_TOP),
      row('unlearn:finetune', 'Fine-tune', 'method', FT_TOP, FT_TEST, [10, 12, 14], [10, 100 / 12, 100 / 14], REF_TOP),
      row('unlearn:fedmemeraser', 'FedMemEraser', 'method', FME_TOP, FME_TEST, [20, 20, 20], [5, 5, 5], REF_TOP),
      row('retrained', 'Retrained', 'retrained', REF_TOP, REF_TEST, [100, 100, 100], null, REF_TOP),
    ],
  };
}
