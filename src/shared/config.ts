/**
 * The experiment config: one zod schema used by the CLI, the IPC handlers and the wizard, so every
 * surface reports the same field path and rule when input is wrong. Keys follow the issues' contract
 * (extend freely, never rename). Defaults follow the paper (Adam, lr 1e-4, unweighted FedAvg).
 */
import { z } from 'zod';
import { int, intUpTo, PLAIN_PARSE } from './zod-rules';
import { listSome, oneLine } from './one-line';
import { DATASET_IDS, datasetNeedsPath, MODEL_IDS } from './catalog';
import { evaluationSchema, unlearningSchema } from './unlearning-config';
import { HISTORY_METHOD_IDS } from './method-schemas';

export const PARTITION_SCHEMES = ['iid', 'dirichlet', 'one-class'] as const;
export const BACKEND_PREFS = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;

export const labelNoiseSchema = z.strictObject({
  clients: z.array(int(0)).min(1, 'must name at least one client'),
  rate: z.number().gt(0, 'must be greater than 0').max(1, 'must be at most 1'),
});

/** Where the backdoor's trigger square sits (engine/data/backdoor.ts). */
export const TRIGGER_POSITIONS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const;

/**
 * The BadNets backdoor of Appendix G.3: a white square stamped on a seeded share of some clients'
 * examples, relabelled to `target`. `clients` unset: the clients the unlearning request names
 * (client 0 for other requests).
 */
export const backdoorSchema = z.strictObject({
  share: z.number().gt(0, 'must be greater than 0').max(1, 'must be at most 1'),
  clients: z.array(int(0)).min(1, 'must name at least one client').optional(),
  target: int(0).default(0),
  pattern: z
    .strictObject({
      size: int(1).max(32, 'must be at most 32').default(3),
      position: z.enum(TRIGGER_POSITIONS).default('bottom-right'),
    })
    .default({ size: 3, position: 'bottom-right' }),
});

export const datasetSchema = z.strictObject({
  id: z.enum(DATASET_IDS),
  path: z.string().min(1, 'must not be empty').optional(),
  trainSize: intUpTo(1, 10_000_000).optional(),
  testSize: intUpTo(1, 10_000_000).optional(),
  /** EMNIST stores images transposed relative to MNIST. */
  transpose: z.boolean().default(false),
  /**
   * Training-time augmentation as in the paper's CIFAR runs (Appendix E.3): random crop after 4-pixel
   * zero padding and a random horizontal flip, seeded per client and epoch. Evaluation never sees it.
   */
  augment: z.boolean().default(false),
  labelNoise: labelNoiseSchema.optional(),
  backdoor: backdoorSchema.optional(),
});

export const partitionSchema = z.strictObject({
  clients: int(1).max(1000, 'must be at most 1000'),
  scheme: z.enum(PARTITION_SCHEMES).default('iid'),
  alpha: z.number().gt(0, 'must be greater than 0').default(0.5),
  minSize: intUpTo(1, 10_000_000).default(10),
});

export const modelSchema = z.strictObject({ id: z.enum(MODEL_IDS).default('cnn') });

export const trainingSchema = z.strictObject({
  rounds: intUpTo(1, 10_000),
  localEpochs: intUpTo(1, 1000).default(1),
  batchSize: intUpTo(1, 65_536).default(64),
  optimizer: z.enum(['adam', 'sgd']).default('adam'),
  lr: z.number().gt(0, 'must be greater than 0').default(1e-4),
  momentum: z.number().min(0, 'must be at least 0').lt(1, 'must be less than 1').default(0.9),
  /** 'mean': unweighted average of client updates (the authors' code); 'weighted': by sample count. */
  aggregation: z.enum(['mean', 'weighted']).default('mean'),
  /** Fraction of clients sampled each round (1 = all). */
  clientFraction: z.number().gt(0, 'must be greater than 0').max(1, 'must be at most 1').default(1),
  /**
   * Keep the original training's per-round models and client updates beside the run's weights.
   * Unset: recorded exactly when a listed method needs them (FedRecovery, FedEraser).
   */
  recordHistory: z.boolean().optional(),
});

export const computeSchema = z.strictObject({
  backend: z.enum(BACKEND_PREFS).default('auto'),
  /** Worker threads for client training; 0 = one per core. Ignored by native backends (in-process). */
  workers: int(0).max(64, 'must be at most 64').default(0),
});

export const experimentConfigSchema = z
  .strictObject({
    name: z.string().max(200, 'must be at most 200 characters').optional(),
    seed: int(0).max(2 ** 31 - 1, 'must be at most 2147483647'),
    dataset: datasetSchema,
    partition: partitionSchema,
    model: modelSchema.default({ id: 'cnn' }),
    training: trainingSchema,
    compute: computeSchema.default({ backend: 'auto', workers: 0 }),
    /** Absent: train the original model only. */
    unlearning: unlearningSchema.optional(),
    evaluation: evaluationSchema.default(evaluationSchema.parse({})),
    /** The whole comparison repeated with seeds seed, seed+1, ...; tables then show mean ± std. */
    repeats: int(1).max(20, 'must be at most 20').default(1),
  })
  .superRefine((cfg, ctx) => {
    if (datasetNeedsPath(cfg.dataset.id) && !cfg.dataset.path) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataset', 'path'],
        message: `is required for dataset "${cfg.dataset.id}"`,
      });
    }
    const historyMethods = (cfg.unlearning?.methods ?? [])
      .filter((m) => (HISTORY_METHOD_IDS as readonly string[]).includes(m.id))
      .map((m) => m.id);
    if (cfg.training.recordHistory === false && historyMethods.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['training', 'recordHistory'],
        message: `must not be false while ${[...new Set(historyMethods)].join(' and ')} is listed: it unlearns from the recorded per-round history (set it to true or leave it unset)`,
      });
    }
    const req = cfg.unlearning?.request;
    req?.clients?.forEach((c, i) => {
      if (c >= cfg.partition.clients) {
        ctx.addIssue({
          code: 'custom',
          path: ['unlearning', 'request', 'clients', i],
          message: `client ${c} does not exist (partition has ${cfg.partition.clients} clients)`,
        });
      }
    });
    if (req?.kind === 'clients' && req.clients && new Set(req.clients).size >= cfg.partition.clients) {
      ctx.addIssue({
        code: 'custom',
        path: ['unlearning', 'request', 'clients'],
        message: 'must leave at least one remaining client',
      });
    }
    cfg.dataset.labelNoise?.clients.forEach((c, i) => {
      if (c >= cfg.partition.clients) {
        ctx.addIssue({
          code: 'custom',
          path: ['dataset', 'labelNoise', 'clients', i],
          message: `client ${c} does not exist (partition has ${cfg.partition.clients} clients, ids 0-${cfg.partition.clients - 1})`,
        });
      }
    });
    const backdoorAt = cfg.evaluation.analyses.findIndex((a) => a.id === 'backdoor');
    if (backdoorAt >= 0 && !cfg.dataset.backdoor) {
      ctx.addIssue({
        code: 'custom',
        path: ['evaluation', 'analyses', backdoorAt, 'id'],
        message: 'the backdoor analysis needs a backdoor on the data (set dataset.backdoor)',
      });
    }
    cfg.dataset.backdoor?.clients?.forEach((c, i) => {
      if (c >= cfg.partition.clients) {
        ctx.addIssue({
          code: 'custom',
          path: ['dataset', 'backdoor', 'clients', i],
          message: `client ${c} does not exist (partition has ${cfg.partition.clients} clients, ids 0-${cfg.partition.clients - 1})`,
        });
      }
    });
  });

export type ExperimentConfig = z.output<typeof experimentConfigSchema>;

/**
 * The clients whose data carries the backdoor: those named, else those the unlearning request removes, else client 0.
 */
export function backdoorClients(config: ExperimentConfig): number[] {
  const named = config.dataset.backdoor?.clients;
  const request = config.unlearning?.request;
  return named ?? (request?.kind === 'clients' ? request.clients : undefined) ?? [0];
}
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;
export type DatasetConfig = ExperimentConfig['dataset'];
/** What a dataset reader needs of `dataset` (defaults not yet applied: `transpose` may be absent). */
export type DatasetSource = Pick<z.input<typeof datasetSchema>, 'id' | 'path' | 'trainSize' | 'testSize' | 'transpose'>;
export type TrainingConfig = ExperimentConfig['training'];

/** One problem with a config, as the UI and CLI show it: `training.lr: must be greater than 0`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(readonly issues: ConfigIssue[]) {
    super(oneLine(`invalid config: ${issuesText(issues, '(root)')}`));
    this.name = 'ConfigError';
  }
}

/** Each issue as `path: message`; the messages are plain when the parse used PLAIN_PARSE (zod-rules.ts). */
export function describeIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({
    path: oneLine(issue.path.map(String).join('.'), 200),
    message: oneLine(issue.message, 300),
  }));
}

/** The first few issues as `path: message; …` for a one-sentence message (every issue stays in `issues`). */
export function issuesText(issues: ConfigIssue[], rootName: string): string {
  return listSome(
    issues.map((i) => `${i.path || rootName}: ${i.message}`),
    8,
    '; ',
    (n) => `and ${n} more problem${n === 1 ? '' : 's'}`,
  );
}

/** Validates unknown input; throws ConfigError naming every offending field. */
export function parseConfig(input: unknown): ExperimentConfig {
  const result = experimentConfigSchema.safeParse(input, PLAIN_PARSE);
  if (!result.success) throw new ConfigError(describeIssues(result.error));
  return result.data;
}

export function validateConfig(
  input: unknown,
): { ok: true; config: ExperimentConfig } | { ok: false; issues: ConfigIssue[] } {
  const result = experimentConfigSchema.safeParse(input, PLAIN_PARSE);
  return result.success ? { ok: true, config: result.data } : { ok: false, issues: describeIssues(result.error) };
}
