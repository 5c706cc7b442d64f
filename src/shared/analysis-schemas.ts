/**
 * The paper's analyses a run can carry beside Table 1 (issue 15), one config section each, listed under
 * `evaluation.analyses: [{ "id": "distances" }, ...]`. Every parameter has a default; the wizard builds
 * each analysis's fields from ANALYSES below. Adding an analysis = its schema here (and in
 * ANALYSIS_IDS / ANALYSES), its artifact type in analysis-results.ts, one engine file in
 * src/main/engine/analyses/ with a line in its registry, and a table + chart builder.
 */
import { z } from 'zod';
import { int } from './zod-rules';

export const ANALYSIS_IDS = ['distances', 'stability', 'reset', 'embeddings', 'backdoor'] as const;
export type AnalysisId = (typeof ANALYSIS_IDS)[number];

/** Where the KL divergence of two models' outputs is measured. */
export const KL_DATA = ['unlearn', 'test'] as const;
/** How far apart an example's probabilities under the J retrained models are. */
export const SPREAD_MEASURES = ['range', 'std'] as const;

/** Appendix G.1, Figure G6: parameter distances between the original, the retrained and the unlearned models. */
const distancesSchema = z.strictObject({
  id: z.literal('distances'),
  /**
   * The examples the KL divergence of outputs averages over: D_u (default; the paper does not say, and
   * D_u is where the models should differ) or the test set.
   */
  klOn: z.enum(KL_DATA).default('unlearn'),
  /** At most this many examples of that set (a seeded sample), so a large D_u stays cheap. */
  maxExamples: int(1).max(100_000, 'must be at most 100,000').default(1000),
});

/** Appendix G.2, Figure G7: each example of D_u's probability of its label under every retrained model. */
const stabilitySchema = z.strictObject({
  id: z.literal('stability'),
  /** 'range': max - min over the J models; 'std': their standard deviation. The paper names neither. */
  spread: z.enum(SPREAD_MEASURES).default('range'),
  /** An example is unstable when its spread is above this (probabilities, so 0-1). */
  threshold: z.number().gt(0, 'must be greater than 0').lt(1, 'must be less than 1').default(0.5),
});

/** Appendix H.1, Table H8: reset the important vs the redundant parameters and evaluate with no fine-tuning. */
const resetSchema = z.strictObject({
  id: z.literal('reset'),
  /** Shares of all parameters to reset; the paper resets about 5%. */
  ratios: z
    .array(z.number().min(0, 'must be at least 0').max(1, 'must be at most 1'))
    .min(1, 'must list at least one ratio')
    .max(20, 'must list at most 20 ratios')
    .default([0.05]),
  /** Examples of D_r the accuracy is measured on (a seeded sample; D_u and the test set are used whole). */
  maxRemaining: int(10).default(2000),
});

/** Figure 1: penultimate-layer features of one class's examples from every client, projected to 2-D. */
const embeddingsSchema = z.strictObject({
  id: z.literal('embeddings'),
  /** The class whose examples are drawn (by training label); default: the class with most examples in D_u. */
  class: int(0).optional(),
  /** At most this many examples of that class per client (a seeded sample), so the chart and the k-NN stay small. */
  maxPerClient: int(10).max(2000, 'must be at most 2,000').default(200),
  /**
   * Neighbours the overlap counts: an unlearning client's point is mixed when most of its k nearest are other clients'.
   */
  k: int(1).max(50, 'must be at most 50').default(5),
});

/**
 * Appendix G.3, Figure G8: what a backdoor (dataset.backdoor) looks like through the original training
 * and the unlearning. Nothing to set: the curves come from what every round already measures.
 */
const backdoorSchema = z.strictObject({ id: z.literal('backdoor') });

export const analysisSchema = z.discriminatedUnion('id', [
  distancesSchema,
  stabilitySchema,
  resetSchema,
  embeddingsSchema,
  backdoorSchema,
]);
export type AnalysisConfig = z.output<typeof analysisSchema>;
export type AnalysisConfigOf<I extends AnalysisId> = Extract<AnalysisConfig, { id: I }>;

export const analysesSchema = z
  .array(analysisSchema)
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((a, i) => {
      if (seen.has(a.id))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `"${a.id}" is listed twice; list each analysis once`,
        });
      seen.add(a.id);
    });
  });

/** What the wizard and the Results view call each analysis, and where the paper shows it. */
export const ANALYSES: Record<AnalysisId, { label: string; reference: string; description: string }> = {
  distances: {
    label: 'Parameter distances',
    reference: 'Appendix G.1, Figure G6',
    description:
      'L2 distance and cosine similarity of the parameters, and KL divergence of the outputs, between every pair of models.',
  },
  stability: {
    label: 'Per-example stability',
    reference: 'Appendix G.2, Figure G7',
    description:
      "Each example of D_u's probability of its label under every retrained model, and the share whose probability varies a lot between them.",
  },
  reset: {
    label: 'Reset without fine-tuning',
    reference: 'Appendix H.1, Table H8',
    description:
      'Reset the most important or the most redundant parameters and measure accuracy right away, with no fine-tuning.',
  },
  embeddings: {
    label: 'Embeddings',
    reference: 'Figure 1',
    description:
      "Features of one class's examples from every client, before the last layer, for the original and a retrained model, drawn in 2-D; and how much the leaving client's points mix with the others'.",
  },

  backdoor: {
    label: 'Backdoor vs normal data',
    reference: 'Appendix G.3, Figure G8',
    description:
      "Needs a backdoor on the data. Test accuracy, attack success and accuracy on the backdoored client's clean and triggered examples, round by round through the original training and each unlearning method.",
  },
};

/** The defaults of one analysis, as a new entry in the wizard starts. */
export function defaultAnalysis<I extends AnalysisId>(id: I): AnalysisConfigOf<I> {
  return analysisSchema.parse({ id }) as AnalysisConfigOf<I>;
}
