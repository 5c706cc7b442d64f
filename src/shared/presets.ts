/**
 * Named configs. `tiny` exists for tests (seconds); `quick` is the main job a newcomer runs first
 * (a few minutes on a 2-core laptop, MNIST, the default CNN): the original model, J = 3 retrained
 * models, fine-tuning and FedMemEraser unlearning client 0, whose labels are 10% noisy, with GME,
 * CSL, fairness, time analysis and the loss surface, over 2 repeats. Adam's lr is 1e-3 / 2e-3 here
 * rather than the paper's 1e-4 because these presets train for far fewer steps than the paper's
 * 100 rounds x 5,000 samples. `baselines` is quick's setting with every method of Table 1 plus FedEraser.
 */
import type { ExperimentConfigInput } from './config';
import { PAPER_PRESETS } from './paper-presets';

/**
 * The quick setting. Label noise on the leaving client is the known truth: its flipped examples are
 * information unique to D_u. 3 clients with 10 local epochs let the global model keep some of it (with
 * 10 clients and 1 local epoch FedAvg averages it away; see README "Reading the quick run").
 */
export const QUICK_SETTING = {
  seed: 42,
  dataset: { id: 'mnist', trainSize: 1200, testSize: 1000, labelNoise: { clients: [0], rate: 0.1 } },
  partition: { clients: 3, scheme: 'iid' },
  model: { id: 'cnn' },
  training: { rounds: 10, localEpochs: 10, batchSize: 32, optimizer: 'adam', lr: 2e-3 },
  compute: { backend: 'auto', workers: 0 },
  evaluation: { retrainModels: 3, lossSurface: { steps: 10, overshoot: 0.2, maxRemaining: 1000 } },
  repeats: 2,
} satisfies Partial<ExperimentConfigInput>;

export const PRESETS = {
  tiny: {
    name: 'tiny',
    seed: 1,
    dataset: { id: 'mnist', trainSize: 800, testSize: 400 },
    partition: { clients: 4, scheme: 'iid' },
    model: { id: 'cnn' },
    training: { rounds: 3, localEpochs: 1, batchSize: 32, optimizer: 'adam', lr: 1e-3 },
    compute: { backend: 'auto', workers: 0 },
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 1 }, { id: 'fedmemeraser', rho: 0.3, rounds: 1 }],
    },
    evaluation: { retrainModels: 2, lossSurface: { steps: 4, overshoot: 0.25, maxRemaining: 200 } },
  },
  quick: {
    name: 'quick',
    ...QUICK_SETTING,
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [
        { id: 'retrain' },
        { id: 'finetune', rounds: 3 },
        { id: 'fedmemeraser', rho: 0.3, rounds: 3 },
        // The authors' code locates with the first fine-tuning round's update instead of Algorithm 1's gradient.
        {
          id: 'fedmemeraser',
          rho: 0.3,
          rounds: 3,
          locate: 'first-round-update',
          label: "FedMemEraser (authors' locate)",
        },
      ],
    },
  },
  // Every method of Table 1 plus FedEraser, in the quick preset's setting, so the whole table runs on a
  // laptop. Every method keeps its published defaults and the shared budget of 3 rounds (30% of
  // training), except FedOSD's unlearning phase: the public code's fixed 100 rounds would cost ten
  // times the original training here, so it gets as many rounds as the original training (10).
  baselines: {
    name: 'baselines',
    ...QUICK_SETTING,
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [
        { id: 'retrain' },
        { id: 'finetune' },
        { id: 'fedmemeraser', rho: 0.3 },
        { id: 'halimi' },
        { id: 'liu' },
        { id: 'fedrecovery' },
        { id: 'fedau' },
        { id: 'fedosd', unlearningRounds: 10 },
        { id: 'not' },
        { id: 'federaser' },
      ],
    },
  },
  ...PAPER_PRESETS,
  // The paper's analyses (Appendices G.1, G.2, H.1) in the quick setting, one repeat, a few minutes each.
  'analysis-distances': {
    name: 'analysis-distances',
    ...QUICK_SETTING,
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 3 }, { id: 'fedmemeraser', rho: 0.3, rounds: 3 }],
    },
    evaluation: { retrainModels: 3, lossSurface: false, analyses: [{ id: 'distances' }] },
    repeats: 1,
  },
  'analysis-stability': {
    name: 'analysis-stability',
    ...QUICK_SETTING,
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 3 }],
    },
    // More retrained models than quick's 3, so each example's spread is measured over more draws.
    evaluation: { retrainModels: 5, lossSurface: false, analyses: [{ id: 'stability' }] },
    repeats: 1,
  },
  'analysis-reset': {
    name: 'analysis-reset',
    ...QUICK_SETTING,
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [{ id: 'retrain' }, { id: 'fedmemeraser', rho: 0.3, rounds: 3 }],
    },
    evaluation: { retrainModels: 3, lossSurface: false, analyses: [{ id: 'reset', ratios: [0.05, 0.3] }] },
    repeats: 1,
  },
  // Figure 1 needs only the original and one retrained model: one of each, no unlearning method but retrain.
  'analysis-embeddings': {
    name: 'analysis-embeddings',
    ...QUICK_SETTING,
    unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'retrain' }] },
    evaluation: { retrainModels: 1, lossSurface: false, analyses: [{ id: 'embeddings' }] },
    repeats: 1,
  },

  // Appendix G.3: half of client 0's examples carry a 3-pixel trigger and the label 0 (no label noise, so
  // the backdoored client's clean examples are the "normal" D_u). Fine-tuning is the paper's unlearning.
  'analysis-backdoor': {
    name: 'analysis-backdoor',
    ...QUICK_SETTING,
    dataset: {
      id: 'mnist',
      trainSize: 1200,
      testSize: 1000,
      backdoor: { share: 0.5, target: 0, pattern: { size: 3, position: 'bottom-right' } },
    },
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 10 }, { id: 'fedmemeraser', rho: 0.3, rounds: 10 }],
    },
    evaluation: { retrainModels: 1, lossSurface: false, analyses: [{ id: 'backdoor' }] },
    repeats: 1,
  },
} satisfies Record<string, ExperimentConfigInput>;

export type PresetName = keyof typeof PRESETS;

export function presetNames(): PresetName[] {
  return Object.keys(PRESETS) as PresetName[];
}

/** Presets that read dataset files the user must point to (dataset.path). */
export function presetNeedsPath(name: string): boolean {
  return Object.hasOwn(PAPER_PRESETS, name);
}

export function getPreset(name: string): ExperimentConfigInput {
  if (!Object.hasOwn(PRESETS, name)) {
    throw new Error(`unknown preset "${name}"; choose one of ${presetNames().join(', ')}`);
  }
  return structuredClone(PRESETS[name as PresetName]);
}
