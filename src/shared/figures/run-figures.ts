/**
 * Which figures a run has and how each is built: the one list the results page (ResultsView and
 * AnalysesSection) draws and `fedmem figure` renders to files, so a figure exported from the UI and
 * from the CLI has the same name, caption and option. Pure: run data and the viewer's choices in,
 * chart specs out.
 */
import { requestLayout } from '../request-layouts';
import type { RunDetail } from '../contract';
import { artifactOf, artifactsByRepeat, artifactsOfKind } from '../results';
import { parseStageId } from '../stages';
import { eraserEntries } from './eraser-summary';
import { methodOrder } from './common';
import { buildCslScatterOption } from './csl';
import { buildGmeChartOption } from './gme';
import { buildImportanceOption, locateCaption } from './importance';
import { buildLiveCurveOption } from './live-curve';
import { buildLossChartOption } from './loss-curve';
import { buildLossSurfaceOption } from './loss-surface';
import { buildPartitionHeatmapOption } from './partition';
import { buildTimeChartOption } from './time';
import { analysisFigures, analysisRepeats } from './analysis-figures';
import { DEFAULT_FIGURE_HEIGHT, type FigureSpec } from './figure-spec';

export { DEFAULT_FIGURE_HEIGHT, type FigureSpec } from './figure-spec';

/** What a run's figures are built from: the run detail the page and the CLI both read (runs:get). */
export type RunFigureData = Pick<RunDetail, 'artifacts' | 'rounds'>;

export interface RunFigureChoices {
  /** Charts (by testid) that draw each repeat instead of mean ± std; true: all of them. */
  eachRepeat?: Readonly<Record<string, boolean>> | boolean;
  /** Smoothing of the per-round curves (0 = none). */
  smoothing?: number;
  /** The CSL scatter's repeat, 0-based (its correlations summarise every repeat). */
  cslRepeat?: number;
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '-');

/** The run's own figures (Table 1's GME chart, time, importance, loss surface, CSL, curves, partition). */
export function runFigures(d: RunFigureData, choices: RunFigureChoices = {}): FigureSpec[] {
  const out: FigureSpec[] = [];
  const add = (spec: Omit<FigureSpec, 'height'> & { height?: number }) =>
    out.push({ ...spec, height: spec.height ?? DEFAULT_FIGURE_HEIGHT });
  const each = choices.eachRepeat ?? {};
  const repeatsOf = (testid: string): 'each' | 'mean' =>
    each === true || (typeof each === 'object' && each[testid]) ? 'each' : 'mean';
  const smoothing = choices.smoothing ?? 0;
  const r = artifactOf(d.artifacts, 'report');
  // The run's method order (Table 1's rows) colours every chart, so a method looks the same in each.
  const methods = r ? methodOrder(r) : undefined;
  // Charts of runs with several repeats draw mean ± std; a switch per chart shows each repeat instead.
  const several = d.rounds.some((x) => (parseStageId(x.stage)?.repeat ?? 0) > 0);

  if (r)
    add({
      testid: 'chart-gme',
      file: 'gme-accuracy',
      caption: 'GME: accuracy on each memorization group of D_u, methods against the retrained baseline (Table 1).',
      option: buildGmeChartOption(r),
    });
  const time = artifactOf(d.artifacts, 'time');
  if (time)
    add({
      testid: 'chart-time',
      file: 'time-analysis',
      caption: `Test accuracy against training time (${requestLayout(r?.request.kind ?? 'clients').efficiencyFigure}: efficiency${r && r.request.kind !== 'clients' ? ` of ${requestLayout(r.request.kind).level} unlearning` : ''}).`,
      option: buildTimeChartOption(time, { methods, rounds: d.rounds, repeats: repeatsOf('chart-time') }),
      repeatsSwitch: several,
    });
  eraserEntries(artifactsOfKind(d.artifacts, 'importance')).forEach(({ stage, repeats }, i) => {
    const testid = `chart-importance-${i}`;
    const caption = `Parameter-importance distribution (Figure H10), ranked by ${locateCaption(repeats[0])}; the shaded part is what was reset.`;
    add({
      testid,
      file: `importance-${fileSafe(stage)}`,
      caption,
      option: buildImportanceOption(repeats, { methods, repeats: repeatsOf(testid) }),
      repeatsSwitch: repeats.length > 1,
    });
  });
  // Runs recorded before every repeat had these hold repeat 1's only: then no switch.
  const ls = artifactsByRepeat(d.artifacts, 'loss-surface').map((a) => a.json);
  if (ls.length)
    add({
      testid: 'chart-loss-surface',
      file: 'loss-surface',
      caption: `Loss along the shortest unlearning path (Figure H13); D_r sampled to ${ls[0].remainingSample} examples${ls.length > 1 ? `, the same examples in each of the ${ls.length} repeats` : ''}.`,
      option: buildLossSurfaceOption(ls, { methods, repeats: repeatsOf('chart-loss-surface') }),
      repeatsSwitch: ls.length > 1,
    });
  const csl = artifactsByRepeat(d.artifacts, 'csl').map((a) => a.json);
  if (csl.length) {
    const cslRepeat = Math.min(Math.max(0, choices.cslRepeat ?? 0), csl.length - 1);
    add({
      testid: 'chart-csl',
      file: csl.length > 1 ? `csl-vs-memorization-repeat-${cslRepeat + 1}` : 'csl-vs-memorization',
      caption: `CSL against the memorization score for each example of D_u (Figure H9)${csl.length > 1 ? '; one repeat at a time (each has its own CSL and scores), the agreement measures as mean ± std over repeats' : ''}.`,
      option: buildCslScatterOption(csl, { repeat: cslRepeat, examples: artifactOf(d.artifacts, 'examples') }),
      repeatSelect: csl.length,
    });
  }
  add({
    testid: 'chart-rounds',
    file: 'test-accuracy-per-round',
    caption: 'Test accuracy per round for each stage.',
    option: buildLiveCurveOption(d.rounds, { methods, repeats: repeatsOf('chart-rounds'), smoothing }),
    repeatsSwitch: several,
    smoothing: true,
  });
  if (d.rounds.some((x) => x.trainLoss !== null || x.testLoss !== null))
    add({
      testid: 'chart-loss',
      file: 'loss-per-round',
      caption: 'Train (solid) and test (dashed) loss per round for each stage; wheel or drag to zoom.',
      option: buildLossChartOption(d.rounds, { methods, smoothing, repeats: repeatsOf('chart-loss') }),
      repeatsSwitch: several,
      smoothing: true,
    });
  const part = artifactOf(d.artifacts, 'partition');
  const forgotten = artifactOf(d.artifacts, 'request')?.unlearningClients ?? [];
  if (part)
    add({
      testid: 'chart-partition',
      file: 'partition',
      caption: `Examples per class on each client${forgotten.length ? `; ★ and an outline mark the forgotten client${forgotten.length > 1 ? 's' : ''}` : ''}.`,
      option: buildPartitionHeatmapOption(part.classCounts, { forgotten }),
      height: Math.min(560, 140 + 22 * part.classCounts.length),
    });
  return out;
}

/**
 * Every figure of a run, as `fedmem figure` renders them: its own, then its analyses'. `repeat`
 * (0-based) is the one repeat of the charts that show one at a time (CSL scatter, analyses).
 */
export function everyRunFigure(
  d: RunFigureData,
  choices: Omit<RunFigureChoices, 'cslRepeat'> & { repeat?: number } = {},
): FigureSpec[] {
  return [...runFigures(d, { ...choices, cslRepeat: choices.repeat }), ...analysisFigures(d.artifacts, choices.repeat)];
}

/** How many repeats the one-repeat-at-a-time figures have to choose from (at least 1). */
export function figureRepeats(d: RunFigureData): number {
  return Math.max(1, artifactsByRepeat(d.artifacts, 'csl').length, analysisRepeats(d.artifacts));
}
