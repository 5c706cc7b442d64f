/**
 * Every analysis, by config id, and the one loop the pipeline calls after a repeat's GME scoring.
 * Adding an analysis = one file + one line here + its schema (shared/analysis-schemas.ts).
 */
import { ANALYSES, type AnalysisConfig, type AnalysisId } from '../../../shared/analysis-schemas';
import { analysisArtifactKind } from '../../../shared/analysis-results';
import type { InlineArtifact } from '../../../shared/results';
import { repeatName } from '../../../shared/stages';
import type { Emit } from '../stages';
import { backdoor } from './backdoor';
import { distances } from './distances';
import { embeddings } from './embeddings';
import { reset } from './reset';
import { stability } from './stability';
import type { Analysis, AnalysisInput } from './types';

export const ANALYSIS_RUNNERS = { distances, stability, reset, embeddings, backdoor } satisfies {
  [I in AnalysisId]: Analysis<I>;
};

/** Runs each configured analysis on one repeat's models and emits its artifact (named per repeat). */
export async function runAnalyses(input: AnalysisInput, configs: readonly AnalysisConfig[], emit: Emit): Promise<void> {
  for (const config of configs) {
    const kind = analysisArtifactKind(config.id);
    const name = repeatName(kind, input.repeat);
    emit({
      type: 'phase',
      phase: 'evaluating',
      stage: name,
      label: `analysis: ${ANALYSES[config.id].label.toLowerCase()}`,
    });
    const runner = ANALYSIS_RUNNERS[config.id] as Analysis<AnalysisId>;
    const json = await runner.run(input, config);
    emit({ type: 'artifact', ...({ kind, name, json } as InlineArtifact) });
  }
}
