/**
 * Named configs. `tiny` exists for tests (seconds); `quick` is the main job a newcomer runs first
 * (a few minutes on a 2-core laptop, MNIST, the default CNN): the original model, J = 3 retrained
 * models, fine-tuning and FedMemEraser unlearning client 0, with GME, CSL, fairness, time analysis
 * and the loss surface. Adam's lr is 1e-3 here rather than the
 * paper's 1e-4 because these presets train for far fewer steps than the paper's 100 rounds x 5,000 samples.
 */
import type { ExperimentConfigInput } from './config';
import { PAPER_PRESETS } from './paper-presets';

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
    seed: 42,
    dataset: { id: 'mnist', trainSize: 6000, testSize: 2000 },
    partition: { clients: 10, scheme: 'iid' },
    model: { id: 'cnn' },
    training: { rounds: 20, localEpochs: 1, batchSize: 32, optimizer: 'adam', lr: 1e-3 },
    compute: { backend: 'auto', workers: 0 },
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [{ id: 'retrain' }, { id: 'finetune', rounds: 6 }, { id: 'fedmemeraser', rho: 0.3, rounds: 6 }],
    },
    evaluation: { retrainModels: 3, memorization: 'correct', lossSurface: { steps: 10, overshoot: 0.2, maxRemaining: 1000 } },
  },
  ...PAPER_PRESETS,
} satisfies Record<string, ExperimentConfigInput>;

export type PresetName = keyof typeof PRESETS;

export function presetNames(): PresetName[] {
  return Object.keys(PRESETS) as PresetName[];
}

/** Presets that read dataset files the user must point to (dataset.path). */
export function presetNeedsPath(name: string): boolean {
  return name in PAPER_PRESETS;
}

export function getPreset(name: string): ExperimentConfigInput {
  if (!(name in PRESETS)) {
    throw new Error(`unknown preset "${name}"; choose one of ${presetNames().join(', ')}`);
  }
  return structuredClone(PRESETS[name as PresetName]) as ExperimentConfigInput;
}
