/**
 * Studies shaped like the paper's ablations, with results built from the baselines-shaped report
 * (six GME groups, wide numbers) and varied per cell and seed: a flat one like Table F4 (parameter
 * selection swept for FedMemEraser beside Fine-tune) and a blocked one like Table F3 crossed with ρ
 * (two axes, so block titles stack). The LaTeX layout depends only on these shapes.
 */
import type { Stat, UnlearningReport } from '../../../src/shared/results';
import { studyCells, studySchema, type Study } from '../../../src/shared/study';
import type { StudyRunResult } from '../../../src/shared/study-types';
import { baselinesReport } from './baselines-report';

const KEEP = ['original', 'unlearn:Fine-tune', 'unlearn:FedMemEraser', 'retrained'];

/** The report with its values shifted by `shift` (kept in [0, 1]), so cells and seeds differ. */
function varied(shift: number): UnlearningReport {
  const r = baselinesReport(2);
  const move = (s: Stat | null): Stat | null =>
    s && {
      ...s,
      values: s.values.map((v, i) => (v === null ? null : Math.min(1, Math.max(0, v * (1 - shift) + 0.003 * i)))),
    };
  return {
    ...r,
    rows: r.rows
      .filter((x) => KEEP.includes(x.key))
      .map((x) => ({
        ...x,
        groupAccuracy: x.groupAccuracy.map((g) => move(g)!),
        unlearnAccuracy: move(x.unlearnAccuracy)!,
        testAccuracy: move(x.testAccuracy)!,
        fairnessSum: move(x.fairnessSum),
      })),
  };
}

function resultsOf(study: Study): StudyRunResult[] {
  return studyCells(study).flatMap((cell, c) =>
    Array.from({ length: study.seeds }, (_, s) => ({
      cellKey: cell.key,
      values: cell.values,
      seedIndex: s,
      runId: `run-${c}-${s}`,
      report: varied(0.07 * c + 0.01 * s),
      time: null,
    })),
  );
}

const base = {
  seed: 1,
  unlearning: {
    request: { kind: 'clients', clients: [0] },
    methods: [{ id: 'finetune' }, { id: 'fedmemeraser', rho: 0.4 }],
  },
};

export function selectionStudy(): { study: Study; results: StudyRunResult[] } {
  const study = studySchema.parse({
    name: 'Selection & co_1',
    base,
    axes: [
      {
        path: 'unlearning.methods[fedmemeraser].selection',
        values: ['redundant', 'salun', 'localized', 'deep', 'shallow'],
      },
    ],
    seeds: 3,
  });
  return { study, results: resultsOf(study) };
}

export function alphaRhoStudy(): { study: Study; results: StudyRunResult[] } {
  const study = studySchema.parse({
    name: 'Non-IID × ρ',
    base,
    axes: [
      { path: 'partition.alpha', values: [0.1, 1] },
      { path: 'unlearning.methods[fedmemeraser].rho', values: [0.4, 0.6] },
    ],
    seeds: 2,
  });
  return { study, results: resultsOf(study) };
}
