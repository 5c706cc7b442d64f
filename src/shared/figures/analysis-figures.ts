/**
 * The figures of the paper's analyses a run carried (evaluation.analyses), one repeat at a time:
 * the list AnalysesSection draws and `fedmem figure` renders (see run-figures.ts for the run's own).
 */
import { ANALYSES } from '../analysis-schemas';
import { resetTable } from '../analysis-tables';
import { artifactsByRepeat } from '../results';
import {
  buildBackdoorCurveOption,
  buildDistanceHeatmapOption,
  buildEmbeddingsOption,
  buildResetChartOption,
  buildStabilityOption,
  type DistanceMetric,
} from './analyses';
import { DEFAULT_FIGURE_HEIGHT, type FigureSpec } from './figure-spec';

/** Each analysis artifact by repeat (repeat 1 first). */
export function analysisArtifacts(artifacts: Record<string, unknown>) {
  return {
    distances: artifactsByRepeat(artifacts, 'analysis-distances'),
    stability: artifactsByRepeat(artifacts, 'analysis-stability'),
    reset: artifactsByRepeat(artifacts, 'analysis-reset'),
    embeddings: artifactsByRepeat(artifacts, 'analysis-embeddings'),
    backdoor: artifactsByRepeat(artifacts, 'analysis-backdoor'),
  };
}

/** How many repeats the analyses have (the most any of them has; 0 without analyses). */
export function analysisRepeats(artifacts: Record<string, unknown>): number {
  return Math.max(0, ...Object.values(analysisArtifacts(artifacts)).map((list) => list.length));
}

/** The artifact of `repeat` (0-based), or the last one a shorter list has. */
export const atRepeat = <T>(list: readonly { json: T }[], repeat: number): T | undefined =>
  list[Math.min(Math.max(0, repeat), list.length - 1)]?.json;

/** The analyses' figures for one repeat (0-based); Table H8's chart averages every repeat. */
export function analysisFigures(artifacts: Record<string, unknown>, repeat = 0): FigureSpec[] {
  const out: FigureSpec[] = [];
  const a = analysisArtifacts(artifacts);
  const d = atRepeat(a.distances, repeat);
  if (d)
    (['l2', 'cosine', 'kl'] as DistanceMetric[]).forEach((m) =>
      out.push({
        testid: `chart-distances-${m}`,
        file: `distances-${m}`,
        caption: `${ANALYSES.distances.reference}: ${m === 'kl' ? `row model's outputs against the column model's, on ${d.klExamples} examples of ${d.klOn === 'test' ? 'the test set' : 'D_u'}` : 'all parameters as one vector'}.`,
        option: buildDistanceHeatmapOption(d, m),
        height: 380,
      }),
    );
  const s = atRepeat(a.stability, repeat);
  if (s)
    out.push({
      testid: 'chart-stability',
      file: 'stability',
      caption: `${ANALYSES.stability.reference}: each example of D_u under each retrained model; unstable = ${s.measure === 'std' ? 'standard deviation' : 'max - min'} above ${s.threshold}.`,
      option: buildStabilityOption(s),
      height: DEFAULT_FIGURE_HEIGHT,
    });
  if (a.reset.length)
    out.push({
      testid: 'chart-reset',
      file: 'reset-strategies',
      caption: `${ANALYSES.reset.reference}: accuracy right after the reset${a.reset.length > 1 ? `, mean over ${a.reset.length} repeats` : ''}.`,
      option: buildResetChartOption(resetTable(a.reset, '')),
      height: DEFAULT_FIGURE_HEIGHT,
    });
  const e = atRepeat(a.embeddings, repeat);
  if (e)
    e.panels.forEach((p, i) =>
      out.push({
        testid: `chart-embeddings-${p.model.role}`,
        file: `embeddings-${p.model.role}`,
        caption: `${ANALYSES.embeddings.reference}: features before the last layer of ${e.ids.length} examples of class ${e.class}, projected to 2-D (PCA); the overlap is measured with ${e.k} nearest neighbours in all ${e.dimension} dimensions.`,
        option: buildEmbeddingsOption(e, i),
        height: 380,
      }),
    );
  const b = atRepeat(a.backdoor, repeat);
  b?.stages
    .filter((st) => st.role === 'method')
    .forEach((st, i) =>
      out.push({
        testid: `chart-backdoor-${i}`,
        file: `backdoor-${i + 1}`,
        caption: `${ANALYSES.backdoor.reference}: the original training, then ${st.label}; D_u normal / backdoored are the backdoored client's examples without and with the trigger.`,
        option: buildBackdoorCurveOption(b, st.stage),
        height: DEFAULT_FIGURE_HEIGHT,
      }),
    );
  return out;
}
