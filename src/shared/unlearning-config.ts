/**
 * The unlearning and evaluation sections of a config (issue 3): what to forget, the methods to compare
 * (method-schemas.ts) and how GME evaluates them.
 */
import { z } from 'zod';
import { HISTORY_METHOD_IDS, methodSchema } from './method-schemas';
import { int } from './zod-rules';
import { analysesSchema } from './analysis-schemas';

export const requestSchema = z
  .strictObject({
    kind: z.enum(['clients', 'class', 'examples']),
    clients: z.array(int(0)).min(1, 'must name at least one client').optional(),
    class: int(0).optional(),
    /** Training-example ids (positions in the run's training set after subsampling). */
    examples: z.array(int(0)).min(1, 'must name at least one example').optional(),
    /** Or: this many training examples drawn at random (seeded), for example-level studies. */
    randomExamples: int(1).optional(),
  })
  .superRefine((r, ctx) => {
    const need = (field: 'clients' | 'class', ok: boolean) =>
      !ok && ctx.addIssue({ code: 'custom', path: [field], message: `is required when kind is "${r.kind}"` });
    if (r.kind === 'clients') need('clients', r.clients !== undefined);
    if (r.kind === 'class') need('class', r.class !== undefined);
    if (r.kind === 'examples' && r.examples === undefined && r.randomExamples === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['examples'],
        message: 'is required when kind is "examples" (or give randomExamples)',
      });
    }
  });

export const groupsSchema = z
  .array(z.tuple([z.number().min(0, 'must be at least 0'), z.number().max(100, 'must be at most 100')]))
  .min(1, 'must have at least one group')
  .superRefine((groups, ctx) => {
    groups.forEach(([lo, hi], i) => {
      if (!(lo < hi))
        ctx.addIssue({ code: 'custom', path: [i], message: `lower bound ${lo} must be below upper bound ${hi}` });
    });
    const sorted = groups.map((g, i) => ({ g, i })).sort((a, b) => a.g[0] - b.g[0]);
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k].g[0] < sorted[k - 1].g[1]) {
        ctx.addIssue({
          code: 'custom',
          path: [sorted[k].i],
          message: `overlaps group (${sorted[k - 1].g[0]},${sorted[k - 1].g[1]}]`,
        });
      }
    }
  });

export const DEFAULT_GROUP_BOUNDS: [number, number][] = [
  [95, 100],
  [90, 95],
  [85, 90],
  [80, 85],
  [0, 80],
];

export const evaluationSchema = z.strictObject({
  /** J retrained models: the GME reference and the retrained baseline (paper: 3). */
  retrainModels: int(1).max(20, 'must be at most 20').default(3),
  groups: groupsSchema.default(DEFAULT_GROUP_BOUNDS),
  /**
   * 'probability': p(true label), the estimator behind the paper's numbers and the authors' code
   * (continuous, so few ties); 'correct': Eq. 9 read literally (0/1 correctness; with small J the
   * scores take J + 1 values per model and GME's cut points fall inside blocks of ties).
   */
  memorization: z.enum(['correct', 'probability']).default('probability'),
  /** Replace negative scores by 0, as the authors' notebook did (creates tied zeros at the bottom). */
  clipNegative: z.boolean().default(false),
  /**
   * K more retrained models that take no part in scoring; Delta is then measured against them. The
   * paper's practice (0) uses the J scoring models as the reference too, which biases the retrained
   * accuracy low on the top groups (the groups were selected on those same models' errors).
   */
  referenceModels: int(0).max(20, 'must be at most 20').default(0),
  csl: z.boolean().default(true),
  /** 'sum': Appendix E.2's formula; 'mean': the authors' code (divided by the number of clients). */
  fairness: z.enum(['sum', 'mean']).default('sum'),
  lossSurface: z
    .union([
      z.literal(false),
      z.strictObject({
        steps: int(2).max(100, 'must be at most 100').default(10),
        /** How far past each end to go, as a fraction of the path (t from -overshoot to 1 + overshoot). */
        overshoot: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').default(0.2),
        /** Examples of D_r evaluated per step (a seeded subsample keeps this affordable). */
        maxRemaining: int(10).default(2000),
      }),
    ])
    .default({ steps: 10, overshoot: 0.2, maxRemaining: 2000 }),
  /** The paper's analyses to run on each repeat's models (analysis-schemas.ts); none by default. */
  analyses: analysesSchema,
});

export const unlearningSchema = z
  .strictObject({
    request: requestSchema,
    methods: z
      .array(methodSchema)
      .min(1, 'must list at least one method')
      .superRefine((methods, ctx) => {
        const seen = new Map<string, number>();
        methods.forEach((m, i) => {
          const key = m.label ?? m.id;
          if (seen.has(key))
            ctx.addIssue({
              code: 'custom',
              path: [i, 'label'],
              message: `"${key}" is used by method ${seen.get(key)}; give each a distinct label`,
            });
          seen.set(key, i);
        });
        // One auxiliary head is trained with the original model, so FedAU entries may vary alpha only.
        const fedau = methods.flatMap((m, i) => (m.id === 'fedau' ? [{ m, i }] : []));
        for (const { m, i } of fedau.slice(1)) {
          if (m.auxClients !== fedau[0].m.auxClients) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'auxClients'],
              message: `must equal method ${fedau[0].i}'s ("${fedau[0].m.auxClients}"): one auxiliary head is trained per run`,
            });
          }
        }
      }),
  })
  .superRefine((u, ctx) => {
    u.methods.forEach((m, i) => {
      // Both methods remove whole clients' recorded contributions; other requests have no such unit.
      if ((HISTORY_METHOD_IDS as readonly string[]).includes(m.id) && u.request.kind !== 'clients') {
        ctx.addIssue({
          code: 'custom',
          path: ['methods', i, 'id'],
          message: `${m.id} removes whole clients, so it needs request.kind "clients" (got "${u.request.kind}")`,
        });
      }
    });
  });

export type UnlearningConfig = z.output<typeof unlearningSchema>;
export type EvaluationConfig = z.output<typeof evaluationSchema>;
export type RequestConfig = z.output<typeof requestSchema>;
