/**
 * Pure descriptors every surface shares, each written once: datasets (and which need a folder),
 * models, unlearning methods and their row labels, parameter-selection strategies, run statuses and
 * the default number of unlearning rounds. The engine's registries attach their readers and builders
 * to these entries; the wizard, the estimate, the CLI and the exports read them without loading any
 * engine code (no tfjs in Electron main).
 */
import type { MethodConfig, MethodId, SELECTION_IDS } from './method-schemas';

export const DATASET_IDS = ['mnist', 'idx', 'cifar10', 'cifar100', 'synthetic'] as const;
export const MODEL_IDS = ['mlp', 'cnn', 'vgg9', 'resnet18', 'resnet34'] as const;

export type DatasetId = (typeof DATASET_IDS)[number];
export type ModelId = (typeof MODEL_IDS)[number];
export type SelectionId = (typeof SELECTION_IDS)[number];

export interface Descriptor {
  id: string;
  name: string;
  description: string;
}

/** A dataset's whole splits (synthetic: its default generated sizes), image shape [h, w, c] and class count. */
export interface DatasetShape {
  train: number;
  test: number;
  shape: readonly [number, number, number];
  numClasses: number;
}

export interface DatasetInfo extends Descriptor {
  id: DatasetId;
  /** The dataset is read from a folder the user names (dataset.path). */
  needsPath: boolean;
  /**
   * Its sizes, shape and classes: the estimate, the model shapes and main's data checks use them, the engine's
   * readers produce them (tests check the bundled MNIST and the generator against them). For 'idx' folders,
   * what is assumed before a folder is read (MNIST-sized); main's checks read the folder itself.
   */
  facts: DatasetShape;
}

const MNIST_SHAPE = { train: 60_000, test: 10_000, shape: [28, 28, 1], numClasses: 10 } as const satisfies DatasetShape;
const SYNTHETIC_SHAPE = { train: 6000, test: 1000, shape: [28, 28, 1], numClasses: 10 } as const satisfies DatasetShape;
const CIFAR10_SHAPE = {
  train: 50_000,
  test: 10_000,
  shape: [32, 32, 3],
  numClasses: 10,
} as const satisfies DatasetShape;
const CIFAR100_SHAPE = {
  train: 50_000,
  test: 10_000,
  shape: [32, 32, 3],
  numClasses: 100,
} as const satisfies DatasetShape;

const count = (n: number) => n.toLocaleString('en-US');
const splits = (f: DatasetShape) => `${count(f.train)} train / ${count(f.test)} test`;
const side = (f: DatasetShape) => `${f.shape[0]}x${f.shape[1]}`;

export const DATASETS = {
  mnist: {
    id: 'mnist',
    name: 'MNIST',
    needsPath: false,
    facts: MNIST_SHAPE,
    description: `Handwritten digits, ${side(MNIST_SHAPE)} grey, ${MNIST_SHAPE.numClasses} classes, ${splits(MNIST_SHAPE)}. Bundled with the app.`,
  },
  idx: {
    id: 'idx',
    name: 'IDX folder',
    needsPath: true,
    facts: MNIST_SHAPE,
    description:
      'Any folder with train and test images/labels IDX files (plain or .gz), e.g. Fashion-MNIST ' +
      '(/usr/share/datasets/fashion-mnist on Debian) or one EMNIST split (enable "transpose" for EMNIST). ' +
      'Classes = largest label + 1.',
  },
  cifar10: {
    id: 'cifar10',
    name: 'CIFAR-10',
    needsPath: true,
    facts: CIFAR10_SHAPE,
    description: `Colour ${side(CIFAR10_SHAPE)}, ${CIFAR10_SHAPE.numClasses} classes, ${splits(CIFAR10_SHAPE)}. Point at the extracted "binary version" folder (data_batch_1.bin ... test_batch.bin).`,
  },
  cifar100: {
    id: 'cifar100',
    name: 'CIFAR-100',
    needsPath: true,
    facts: CIFAR100_SHAPE,
    description: `Colour ${side(CIFAR100_SHAPE)}, ${CIFAR100_SHAPE.numClasses} fine classes, ${splits(CIFAR100_SHAPE)}. Point at the extracted "binary version" folder (train.bin, test.bin).`,
  },
  synthetic: {
    id: 'synthetic',
    name: 'Synthetic',
    needsPath: false,
    facts: SYNTHETIC_SHAPE,
    description:
      `Generated from the run seed: ${SYNTHETIC_SHAPE.numClasses} classes of smooth ${side(SYNTHETIC_SHAPE)} patterns with shifts and noise. ` +
      `Sizes default to ${splits(SYNTHETIC_SHAPE)}. For quick checks without files.`,
  },
} as const satisfies Record<DatasetId, DatasetInfo>;

export function datasetNeedsPath(id: string): boolean {
  return (DATASETS as Record<string, DatasetInfo>)[id]?.needsPath ?? false;
}

export interface ModelInfo extends Descriptor {
  id: ModelId;
  /** Dataset ids the paper or the CPU presets pair with this model. */
  suitableFor: readonly string[];
}

export const MODELS = {
  mlp: {
    id: 'mlp',
    name: 'MLP 200-200',
    description: 'Two hidden layers of 200 ReLU units (the FedAvg "2NN"). Fast on any backend.',
    suitableFor: ['mnist', 'fashion-mnist', 'emnist'],
  },
  cnn: {
    id: 'cnn',
    name: 'Small CNN',
    description: 'conv16-pool-conv32-pool-dense64. The default for CPU presets on MNIST-sized data.',
    suitableFor: ['mnist', 'fashion-mnist', 'emnist'],
  },
  vgg9: {
    id: 'vgg9',
    name: 'VGG-9 (GroupNorm)',
    description:
      "The paper's EMNIST model, as in the authors' code: conv64x2-pool-conv128x2-pool-dense256, GroupNorm(8).",
    suitableFor: ['emnist', 'mnist', 'fashion-mnist'],
  },
  resnet18: {
    id: 'resnet18',
    name: 'ResNet-18 (GroupNorm)',
    description:
      "The paper's CIFAR-10 model: CIFAR stem, basic blocks [2,2,2,2], GroupNorm without affine. Needs a native/GPU backend at paper scale.",
    suitableFor: ['cifar10'],
  },
  resnet34: {
    id: 'resnet34',
    name: 'ResNet-34 (GroupNorm)',
    description:
      "The paper's CIFAR-100 model: CIFAR stem, basic blocks [3,4,6,3], GroupNorm without affine. Needs a native/GPU backend at paper scale.",
    suitableFor: ['cifar100'],
  },
} as const satisfies Record<ModelId, ModelInfo>;

export interface MethodInfo extends Descriptor {
  id: MethodId;
  /** The method's row in result tables when its config gives no label. */
  rowLabel: string;
  /** Where the method comes from (paper section / citation). */
  reference: string;
}

export const METHODS = {
  retrain: {
    id: 'retrain',
    name: 'Retrain',
    rowLabel: 'Retrained',
    reference: 'Section 3.2; the exact-unlearning reference of every table',
    description:
      "FedAvg from scratch on the remaining data: the exact baseline and GME's reference (always computed; listing it only sets its row label).",
  },
  finetune: {
    id: 'finetune',
    name: 'Fine-tune',
    rowLabel: 'Fine-tune',
    reference: 'Appendix F.1 (rho = 0)',
    description:
      'Continue FedAvg from the original model on the remaining clients only (default 30% of the training rounds).',
  },
  fedmemeraser: {
    id: 'fedmemeraser',
    name: 'FedMemEraser',
    rowLabel: 'FedMemEraser',
    reference: 'Section 6.2, Algorithm 1 (Appendix D)',
    description:
      "The paper's method: reset the scalars the remaining clients barely use (lowest rho fraction of |mean gradient| at the original model, or of the first round's update as the authors' code does) to fresh initial values, then fine-tune on the remaining clients.",
  },
  halimi: {
    id: 'halimi',
    name: 'Halimi et al.',
    rowLabel: 'Halimi et al.',
    reference:
      'Halimi et al. 2022, Federated Unlearning: How to Efficiently Erase a Client in FL? (arXiv 2207.05521; code IBM/federated-unlearning)',
    description:
      "Gradient ascent on the data to forget from a reference model (the final global model with the leaving client's last contribution removed), projected into an L2 ball around it and stopped early once far enough from the leaving client's model; then FedAvg on the remaining clients.",
  },
  liu: {
    id: 'liu',
    name: 'Liu et al.',
    rowLabel: 'Liu et al.',
    reference:
      'Liu et al. 2022, The Right to be Forgotten in Federated Learning: An Efficient Realization with Rapid Retraining (INFOCOM)',
    description:
      'Rapid retraining: FedAvg from a fresh model on the remaining clients, each local step preconditioned by a momentum estimate of the diagonal empirical Fisher (a Newton-type step).',
  },
  fedrecovery: {
    id: 'fedrecovery',
    name: 'FedRecovery',
    rowLabel: 'FedRecovery',
    reference:
      'Zhang et al. 2023, FedRecovery: Differentially Private Machine Unlearning for Federated Learning Frameworks (IEEE TIFS)',
    description:
      "Subtract a weighted sum of the leaving clients' gradient residuals (weights from each round's global update norm) from the original model, then add Gaussian noise. No training; needs the original training's recorded history.",
  },
  fedau: {
    id: 'fedau',
    name: 'FedAU',
    rowLabel: 'FedAU',
    reference: 'Gu et al. 2024, Unlearning during Learning: An Efficient Federated Machine Unlearning Method (IJCAI)',
    description:
      'Trains an auxiliary last layer during the original training (on frozen features, so the original model is unchanged) with random labels on the data to forget; unlearning replaces the last layer by (1 - alpha) main + alpha auxiliary. No retraining rounds.',
  },
  fedosd: {
    id: 'fedosd',
    name: 'FedOSD',
    rowLabel: 'FedOSD',
    reference: 'Pan et al. 2025, Federated Unlearning with Gradient Descent and Conflict Mitigation (AAAI 2025)',
    description:
      "Descend a bounded unlearning cross-entropy on the data to forget, each step made orthogonal to the remaining clients' gradients and rescaled to its own norm; then FedAvg post-training with the remaining clients' updates projected off the unlearning direction.",
  },
  not: {
    id: 'not',
    name: 'NoT',
    rowLabel: 'NoT',
    reference: 'Khalil et al. 2025, NoT: Federated Unlearning via Weight Negation',
    description:
      "Negate the first layer's weights of the original model (its bias too if asked), then fine-tune with FedAvg on the remaining clients.",
  },
  federaser: {
    id: 'federaser',
    name: 'FedEraser',
    rowLabel: 'FedEraser',
    reference:
      'Liu et al. 2021, FedEraser: Enabling Efficient Client-Level Data Removal from Federated Learning Models (IWQoS)',
    description:
      "Calibrated retraining on the remaining clients from the first recorded global model: every interval-th round, each layer takes the direction of a short new update and the norm of the recorded one. Needs the original training's recorded history.",
  },
} as const satisfies Record<MethodId, MethodInfo>;

export const SELECTIONS = {
  redundant: {
    id: 'redundant',
    name: 'Redundant (paper)',
    description: "Lowest-rho fraction of all scalars by |remaining clients' mean gradient or update| (Eq. 12-13).",
  },
  important: {
    id: 'important',
    name: 'Important (SalUn)',
    description: "Top-rho fraction by |unlearning clients' mean gradient or update|; needs the data to forget.",
  },
  localized: {
    id: 'localized',
    name: 'Localized',
    description: 'Whole output channels scored by |theta x gradient or update of the unlearning clients|.',
  },
  'deep-layers': {
    id: 'deep-layers',
    name: 'Deep layers',
    description: "SalUn's selection restricted to the deeper half of the model (Appendix F.3).",
  },
  'shallow-layers': {
    id: 'shallow-layers',
    name: 'Shallow layers',
    description: "SalUn's selection restricted to the shallower half of the model (Appendix F.3).",
  },
} as const satisfies Record<SelectionId, Descriptor & { id: SelectionId }>;

/** A method entry's row label in tables: its own label, else the method's. */
export function methodLabel(m: Pick<MethodConfig, 'id' | 'label'>): string {
  return m.label ?? METHODS[m.id].rowLabel;
}

/** Fine-tuning rounds when a method does not say: 30% of the original training, rounded (the paper: 30 of 100). */
export const DEFAULT_UNLEARN_ROUND_FRACTION = 0.3;

export function defaultUnlearnRounds(trainingRounds: number): number {
  return Math.max(1, Math.round(DEFAULT_UNLEARN_ROUND_FRACTION * trainingRounds));
}

/**
 * Rounds a method entry fine-tunes or retrains: its own `rounds`, else the default (method-rounds.ts counts the rest).
 */
export function unlearnRounds(m: { rounds?: number }, trainingRounds: number): number {
  return m.rounds ?? defaultUnlearnRounds(trainingRounds);
}

/** A run's life: created queued, then running, then one of the terminal states. */
export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly RunStatus[];
export type ActiveRunStatus = (typeof ACTIVE_RUN_STATUSES)[number];
export type TerminalRunStatus = Exclude<RunStatus, ActiveRunStatus>;

export function isActiveStatus(status: string | null | undefined): status is ActiveRunStatus {
  return status != null && (ACTIVE_RUN_STATUSES as readonly string[]).includes(status);
}

/**
 * Runs that can be continued where they stopped (issue 13): runs are deterministic, so whatever
 * stopped them (a crash, Ctrl+C, a full disk) the continued run reaches the numbers an uninterrupted
 * one would. A study's runs are continued by resuming the study instead.
 */
export const RESUMABLE_RUN_STATUSES = [
  'interrupted',
  'cancelled',
  'failed',
] as const satisfies readonly TerminalRunStatus[];

export function canResume(run: { status: string; studyId: string | null; failedForItsConfig?: boolean }): boolean {
  // A config the run cannot honour fails again on resume (shared/run-failure.ts).
  const stopped = (RESUMABLE_RUN_STATUSES as readonly string[]).includes(run.status);
  return run.studyId === null && stopped && !run.failedForItsConfig;
}

/**
 * A live run is never deleted, whichever process records it (issue 24: the runs list offered Delete for a
 * run a `fedmem run` in a terminal was recording): it is cancelled first.
 */
export function canDelete(run: { status: string; active?: boolean }): boolean {
  return !run.active && !isActiveStatus(run.status);
}
