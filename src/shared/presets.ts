/**
 * Named configs. `tiny` exists for tests (seconds); `quick` is the main job a newcomer runs first
 * (a few minutes on a 2-core laptop, MNIST, the default CNN). Adam's lr is 1e-3 here rather than the
 * paper's 1e-4 because these presets train for far fewer steps than the paper's 100 rounds x 5,000 samples.
 */
import type { ExperimentConfigInput } from './config';

export const PRESETS = {
  tiny: {
    name: 'tiny',
    seed: 1,
    dataset: { id: 'mnist', trainSize: 800, testSize: 400 },
    partition: { clients: 4, scheme: 'iid' },
    model: { id: 'cnn' },
    training: { rounds: 3, localEpochs: 1, batchSize: 32, optimizer: 'adam', lr: 1e-3 },
    compute: { backend: 'auto', workers: 0 },
  },
  quick: {
    name: 'quick',
    seed: 42,
    dataset: { id: 'mnist', trainSize: 6000, testSize: 2000 },
    partition: { clients: 10, scheme: 'iid' },
    model: { id: 'cnn' },
    training: { rounds: 20, localEpochs: 1, batchSize: 32, optimizer: 'adam', lr: 1e-3 },
    compute: { backend: 'auto', workers: 0 },
  },
} satisfies Record<string, ExperimentConfigInput>;

export type PresetName = keyof typeof PRESETS;

export function presetNames(): PresetName[] {
  return Object.keys(PRESETS) as PresetName[];
}

export function getPreset(name: string): ExperimentConfigInput {
  if (!(name in PRESETS)) {
    throw new Error(`unknown preset "${name}"; choose one of ${presetNames().join(', ')}`);
  }
  return structuredClone(PRESETS[name as PresetName]) as ExperimentConfigInput;
}
