/**
 * Every unlearning method's params schema, with the published defaults (the paper's Section 6 and
 * Appendix E.3 for FedMemEraser; each baseline's paper or public code, as its comment says). A method
 * entry may carry a `label` so one run can compare several settings of the same method (e.g. rho
 * 0.1 / 0.3 / 0.5 for Figure F-style ablations). The wizard derives each method's card from these.
 */
import { z } from 'zod';
import { int } from './zod-rules';

export const SELECTION_IDS = ['redundant', 'important', 'localized', 'deep-layers', 'shallow-layers'] as const;
/**
 * How FedMemEraser measures what the remaining clients use. 'gradient' is Algorithm 1 (Appendix D):
 * each remaining client's loss gradient over its whole local data at the original model, averaged,
 * then reset, then fine-tune. 'first-round-update' is the authors' code: the first fine-tuning
 * round's aggregated update, with the reset right after that round.
 */
export const LOCATE_RULES = ['gradient', 'first-round-update'] as const;
export type LocateRule = (typeof LOCATE_RULES)[number];
export const METHOD_IDS = [
  'retrain',
  'finetune',
  'fedmemeraser',
  'halimi',
  'liu',
  'fedrecovery',
  'fedau',
  'fedosd',
  'not',
  'federaser',
] as const;
export type MethodId = (typeof METHOD_IDS)[number];
/**
 * What FedOSD's clients send in an unlearning round. 'pseudo-gradient' (the public code): each client
 * trains its local epochs from the global model and sends (global - local) / lr. 'gradient': each
 * client's full-data loss gradient at the global model, no step (the exact gradients of the
 * method's derivation, so the step is orthogonal to the true gradients).
 */
export const FEDOSD_SIGNALS = ['pseudo-gradient', 'gradient'] as const;

const common = {
  /** Row name in tables; defaults to the method's name. Must be unique within a run. */
  label: z.string().min(1, 'must not be empty').max(60, 'must be at most 60 characters').optional(),
};

/** NoT (Khalil et al. 2025): negate the first layer's weights, then FedAvg on the remaining clients. */
const notSchema = z.strictObject({
  id: z.literal('not'),
  ...common,
  /** Fine-tuning rounds after the negation; 0 = the negation alone. Default 30% of training.rounds. */
  rounds: int(0).optional(),
  /** Negate the first layer's bias too. The method negates weights; off by default. */
  negateBias: z.boolean().default(false),
});

/**
 * How Liu et al.'s step uses the Fisher estimate: its inverse (the paper's text) or its square root (Adam-like ports).
 */
export const FISHER_RULES = ['inverse', 'sqrt'] as const;

/**
 * Liu et al. 2022 (rapid retraining): FedAvg from a fresh initialisation on the remaining clients, each
 * local step preconditioned by a momentum estimate of the diagonal empirical Fisher (INFOCOM 2022, Sec. IV).
 */
const liuSchema = z.strictObject({
  id: z.literal('liu'),
  ...common,
  /** Retraining rounds. Default 30% of training.rounds, the budget every method here gets. */
  rounds: int(1).optional(),
  /** The paper: 1e-3. */
  lr: z.number().gt(0, 'must be greater than 0').default(1e-3),
  beta1: z.number().min(0, 'must be at least 0').lt(1, 'must be less than 1').default(0.9),
  beta2: z.number().min(0, 'must be at least 0').lt(1, 'must be less than 1').default(0.999),
  /** Added to the Fisher estimate before dividing, so near-zero entries do not blow the step up. */
  damping: z.number().gt(0, 'must be greater than 0').default(1e-3),
  rule: z.enum(FISHER_RULES).default('inverse'),
});

/**
 * FedOSD (Pan et al. 2025): unlearning rounds descending the unlearning cross-entropy on the data to
 * forget, each step made orthogonal to the remaining clients' gradients, then FedAvg post-training
 * with the remaining clients' updates projected off the unlearning direction. Defaults are the public
 * code's (zibinpan/FedOSD).
 */
const fedosdSchema = z.strictObject({
  id: z.literal('fedosd'),
  ...common,
  /** Unlearning rounds (the code's UR, default 100; it has no early stop). */
  unlearningRounds: int(0).default(100),
  /** Post-training FedAvg rounds on the remaining clients; 0 = none. Default 30% of training.rounds. */
  rounds: int(0).optional(),
  /** Server step size of an unlearning round; default training.lr (the code steps with the clients' lr). */
  lr: z.number().gt(0, 'must be greater than 0').optional(),
  signal: z.enum(FEDOSD_SIGNALS).default('pseudo-gradient'),
  /** Project post-training updates off the unlearning direction (the method's guard against reverting). */
  postProjection: z.boolean().default(true),
});

/**
 * FedAU (Gu et al. 2024): an auxiliary head trained during the original training with random labels on
 * the data to forget; unlearning replaces the final layer by (1 - alpha) W_main + alpha W_aux.
 */
const fedauSchema = z.strictObject({
  id: z.literal('fedau'),
  ...common,
  /** Weight of the auxiliary head in the combination; the authors' code default (ul_samples_alpha) 0.9. */
  alpha: z.number().min(0, 'must be at least 0').max(1, 'must be at most 1').default(0.9),
  /**
   * Who trains the auxiliary head: 'all' clients, aggregated by FedAvg like the model (default), or
   * 'forgetting' — the authors' code: only the clients holding data to forget, the head being their mean.
   */
  auxClients: z.enum(['all', 'forgetting']).default('all'),
});

/**
 * FedRecovery (Zhang et al. 2023): subtract a weighted sum of the leaving clients' gradient residuals,
 * recorded during the original training, then add Gaussian noise. Defaults: the paper as we read it;
 * `weighting: 'cumulative'` and `scale: 5` are the public port's (Liar-Mask/FedAU).
 */
const fedRecoverySchema = z.strictObject({
  id: z.literal('fedrecovery'),
  ...common,
  /** Standard deviation of the Gaussian noise added to every parameter (public ports: 0.02). */
  sigma: z.number().min(0, 'must be at least 0').default(0.02),
  /**
   * 'normalized': ||dF_t||^2 / sum over all rounds; 'cumulative': ||dF_t||^2 / sum over earlier rounds (public code).
   */
  weighting: z.enum(['normalized', 'cumulative']).default('normalized'),
  /** The leaving clients' part of each round's update (default), or the public port's formula (see fedrecovery.ts). */
  residual: z.enum(['contribution', 'public-port']).default('contribution'),
  /** Multiplier on the weighted sum of residuals (the public code uses 5). */
  scale: z.number().gt(0, 'must be greater than 0').default(1),
});

/**
 * FedEraser (Liu et al. 2021): calibrated retraining from the updates recorded every `interval`
 * rounds, with `calibrationRatio` of the local epochs; each layer keeps the new update's direction
 * and the recorded update's norm, per client (paper) or on the averaged update (authors' code).
 */
const fedEraserSchema = z.strictObject({
  id: z.literal('federaser'),
  ...common,
  /** Delta t: rounds between recorded updates; the paper's experiments use 2. */
  interval: int(1).default(2),
  /** Share of training.localEpochs each calibration round trains (rounded up); the paper: 0.5. */
  calibrationRatio: z.number().gt(0, 'must be greater than 0').max(1, 'must be at most 1').default(0.5),
  /** 'client': calibrate each client's update (the paper's Eq.); 'aggregate': the averaged update (authors' code). */
  calibrate: z.enum(['client', 'aggregate']).default('client'),
});

/** Methods that unlearn from the original training's recorded per-round history. */
export const HISTORY_METHOD_IDS = ['fedrecovery', 'federaser'] as const;

/**
 * Methods that remove a leaving client's last contribution: the original training keeps those clients' final-round
 * local models.
 */
export const LAST_LOCAL_METHOD_IDS = ['halimi'] as const;

/**
 * Halimi et al. 2022: projected gradient ascent on the leaving client's data from a reference model,
 * inside an L2 ball around it, with an early stop; then FedAvg on the remaining clients. Defaults are
 * the public code's (IBM/federated-unlearning), which the paper's MNIST experiments ran.
 */
const halimiSchema = z.strictObject({
  id: z.literal('halimi'),
  ...common,
  /** FedAvg rounds after the ascent; 0 = the ascent alone. Default 30% of training.rounds (the public code: 10). */
  rounds: int(0).optional(),
  /** SGD learning rate of the ascent. */
  lr: z.number().gt(0, 'must be greater than 0').default(0.01),
  momentum: z.number().min(0, 'must be at least 0').lt(1, 'must be below 1').default(0.9),
  /** Global gradient-norm clip of each ascent step; 0 = none. */
  clipNorm: z.number().min(0, 'must be at least 0').default(5),
  /** Passes over the data to forget, at most (the early stop usually ends it sooner). */
  epochs: int(1).default(5),
  /**
   * L2 radius of the ball around the reference model, or "random-models": sqrt(delta) with delta a
   * third of the mean squared distance from the reference to `randomModels` freshly initialised models.
   */
  radius: z
    .union([z.number().gt(0, 'must be greater than 0'), z.literal('random-models')], {
      error: 'must be a positive number or "random-models"',
    })
    .default('random-models'),
  randomModels: int(1).max(100, 'must be at most 100').default(10),
  /** Early stop once the squared L2 distance from the iterate to the leaving client's last local model exceeds this. */
  distanceThreshold: z.number().gt(0, 'must be greater than 0').default(2.2),
});

export const methodSchema = z.discriminatedUnion('id', [
  /** The retrained baseline is always computed (GME needs it); listing it only sets its row label. */
  z.strictObject({ id: z.literal('retrain'), ...common }),
  z.strictObject({
    id: z.literal('finetune'),
    ...common,
    /** Fine-tuning rounds; default 30% of training.rounds (the paper: 30 after 100 on CIFAR-10). */
    rounds: int(1).optional(),
  }),
  z
    .strictObject({
      id: z.literal('fedmemeraser'),
      ...common,
      /** Fine-tuning rounds after the reset; 0 = reset only (Table H8). Default 30% of training.rounds. */
      rounds: int(0).optional(),
      /** Algorithm 1's gradient at the original model (default), or the authors' first-round update. */
      locate: z.enum(LOCATE_RULES).default('gradient'),
      /** Fraction of scalars to reset, or "auto" for the Appendix H.3 rule. Paper: 0.3 (IID) / 0.4 (non-IID). */
      rho: z
        .union([z.number().min(0, 'must be at least 0').max(1, 'must be at most 1'), z.literal('auto')], {
          error: 'must be a number from 0 to 1, or "auto"',
        })
        .default(0.3),
      /** Threshold on |mean gradient| (or |mean update|, per `locate`) instead of rho (Eq. 12). */
      gamma: z.number().gt(0, 'must be greater than 0').optional(),
      selection: z.enum(SELECTION_IDS).default('redundant'),
    })
    .superRefine((m, ctx) => {
      if (m.locate === 'first-round-update' && m.rounds === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['rounds'],
          message:
            'must be at least 1 when locate is "first-round-update" (that rule locates with the first round\'s update)',
        });
      }
    }),
  halimiSchema,
  liuSchema,
  notSchema,
  fedRecoverySchema,
  fedauSchema,
  fedosdSchema,
  fedEraserSchema,
]);

export type MethodConfig = z.output<typeof methodSchema>;
