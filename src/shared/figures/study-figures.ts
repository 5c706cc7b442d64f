/**
 * A study's figures: the list its results section (StudyResults.vue) draws and `fedmem study figure`
 * renders, so the two agree on names, captions and options. Pure: study, results and choices in.
 */
import { requestLayout } from '../request-layouts';
import type { Study } from '../study';
import type { StudyRunResult } from '../study-types';
import type { FigureSpec } from './figure-spec';
import { buildStudyEfficiencyChart, buildStudyMetricChart, buildStudyParallelChart } from './study';
import { rowLabels, sweptRowLabel, type StudyMetric } from './study-data';

/** The study charts' height on the page (px, before legend rows). */
export const STUDY_FIGURE_HEIGHT = 360;

export interface StudyFigureChoices {
  /** The metric of the per-method chart (default: accuracy on the top GME group). */
  metric?: StudyMetric;
  /** 'row': one line per method for `metric`; 'group': one line per GME group of the swept method. */
  by?: 'group' | 'row';
  /** The swept method's row when the study does not name one (see studyRowChoice). */
  row?: string;
}

/**
 * The method rows a viewer may pick as "the swept method", and whether one must be picked: the
 * axes name none (sweptRowLabel) and the results have more than one method.
 */
export function studyRowChoice(study: Study, results: StudyRunResult[]): { rows: string[]; needed: boolean } {
  const rows = rowLabels(results, ['method']);
  return { rows, needed: sweptRowLabel(study, results) === null && rows.length > 1 };
}

/** The metrics the per-method chart can show: each GME group, D_u, test, fairness, time. */
export function studyMetrics(results: StudyRunResult[]): { value: StudyMetric; label: string }[] {
  const groups = results[0]?.report.groups ?? [];
  return [
    ...groups.map((g, i) => ({
      value: `group:${i}` as StudyMetric,
      label: `Accuracy on group ${g.label}${i === 0 ? ' (top)' : ''}`,
    })),
    { value: 'unlearn', label: 'Accuracy on D_u' },
    { value: 'test', label: 'Test accuracy' },
    { value: 'fairness', label: 'Local fairness' },
    { value: 'wall', label: 'Unlearning time' },
  ];
}

/**
 * The paper's efficiency figures a study's runs correspond to: F1-F5 for its client ablations, H11/H12 for class and
 * example requests.
 */
function efficiencyFigures(results: StudyRunResult[]): string {
  const kind = results[0]?.report.request.kind ?? 'clients';
  return kind === 'clients'
    ? 'Figures F1-F5'
    : `${requestLayout(kind).efficiencyFigure}; each run's time chart adds retraining`;
}

export function studyFigures(study: Study, results: StudyRunResult[], choices: StudyFigureChoices = {}): FigureSpec[] {
  const by = choices.by ?? 'row';
  const choice = studyRowChoice(study, results);
  // A row is only passed when the study needs one picked (the first method's unless chosen).
  const row = choice.needed
    ? choices.row && choice.rows.includes(choices.row)
      ? choices.row
      : choice.rows[0]
    : undefined;
  const rowOpt = row ? { row } : {};
  return [
    {
      testid: 'chart-study-metric',
      file: 'study-metric',
      caption:
        by === 'group'
          ? 'Accuracy on each GME group of D_u against the swept parameter: mean ± std over seeds and repeats.'
          : 'The chosen metric against the swept parameter, per method: mean ± std over seeds and repeats.',
      option: buildStudyMetricChart(study, results, { metric: choices.metric ?? 'group:0', by, ...rowOpt }),
      height: STUDY_FIGURE_HEIGHT,
    },
    {
      testid: 'chart-study-efficiency',
      file: 'study-efficiency',
      caption: `Test accuracy against training time for each cell (${efficiencyFigures(results)}).`,
      option: buildStudyEfficiencyChart(study, results, rowOpt),
      height: STUDY_FIGURE_HEIGHT,
    },
    {
      testid: 'chart-study-parallel',
      file: 'study-parallel',
      caption: 'Every run on parallel coordinates: its settings and its results.',
      option: buildStudyParallelChart(study, results, rowOpt),
      height: STUDY_FIGURE_HEIGHT,
    },
  ];
}
