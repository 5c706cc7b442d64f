/**
 * The paper's ablations (Appendix F) as one-click studies in the quick setting (MNIST, 3 clients, the
 * leaving client's labels 10% noisy; presets.ts): each varies one thing, over 2 seeds (a seed is a
 * whole independent run, so mean ± std is over seeds; repeats stay 1). The paper's own ablations are
 * on CIFAR-10 with ResNet-18 and 10 clients; these are the same studies at laptop scale, and their
 * numbers are this setting's, not the paper's.
 *
 *  - f2-rho: Table F2 / Figure F1, FedMemEraser's pruning ratio rho in {0, 0.2, ..., 1} (0 = fine-tuning).
 *  - f3-alpha: Table F3 / Figure F2, the non-IID degree: Dirichlet alpha 0.1, 0.5, 1 and IID, with
 *    fine-tuning, FedMemEraser and retraining in each block (scheme and alpha are zipped axes).
 *  - f4-selection: Table F4 / Figure F3, the five parameter-selection strategies.
 *  - f5-clients: Table F5 / Figure F4, unlearning 1, 2 or 3 clients; 4 clients here so that 3 can leave.
 *  - h9-class: Table H9 / Figure H11, forgetting class 0 from every client, IID and non-IID (Dirichlet
 *    0.5, the paper's), with the paper's class-level ratio rho = 0.2; no label noise (no client leaves).
 *  - h10-examples: Table H10 / Figure H12, forgetting 10% of the training examples drawn at random
 *    (the paper's 5,000 of 50,000; here 120 of 1,200), IID and non-IID.
 */
import type { ExperimentConfigInput } from './config';
import { QUICK_SETTING } from './presets';
import type { StudyInput } from './study';

const base = (
  methods: NonNullable<ExperimentConfigInput['unlearning']>['methods'],
  extra: Partial<ExperimentConfigInput> = {},
): Record<string, unknown> => ({
  ...structuredClone(QUICK_SETTING),
  repeats: 1,
  unlearning: { request: { kind: 'clients', clients: [0] }, methods },
  ...extra,
});

const FME = { id: 'fedmemeraser', rho: 0.3, rounds: 3 } as const;

/**
 * Appendix H.4's tasks: no client leaves, so the quick setting without its leaving client's label noise; one block per
 * split.
 */
const h4 = (request: Record<string, unknown>, rho: number): StudyInput => {
  const { labelNoise: _noise, ...dataset } = QUICK_SETTING.dataset;
  const methods = [{ id: 'retrain' }, { ...FME, rho }] as const;
  return {
    // The tables need no loss path (it only slows each run down).
    base: {
      ...base([...methods]),
      dataset,
      unlearning: { request, methods },
      evaluation: { ...QUICK_SETTING.evaluation, lossSurface: false },
    },
    axes: [
      { path: 'partition.scheme', values: ['iid', 'dirichlet'], label: 'split' },
      { path: 'partition.alpha', values: [1, 0.5], label: 'α' },
    ],
    combine: 'zip',
    seeds: 2,
  };
};

export const STUDY_PRESETS = {
  'f2-rho': {
    name: 'Table F2: pruning ratio ρ',
    base: base([{ id: 'retrain' }, FME]),
    axes: [{ path: 'unlearning.methods[fedmemeraser].rho', values: [0, 0.2, 0.4, 0.6, 0.8, 1], label: 'ρ' }],
    seeds: 2,
  },
  'f3-alpha': {
    name: 'Table F3: non-IID degree α',
    base: base([{ id: 'retrain' }, { id: 'finetune', rounds: 3 }, FME], {
      partition: { clients: 3, scheme: 'dirichlet', alpha: 0.5 },
    }),
    axes: [
      { path: 'partition.scheme', values: ['dirichlet', 'dirichlet', 'dirichlet', 'iid'], label: 'scheme' },
      { path: 'partition.alpha', values: [0.1, 0.5, 1, 1], label: 'α' },
    ],
    combine: 'zip',
    seeds: 2,
  },
  'f4-selection': {
    name: 'Table F4: parameter selection',
    base: base([{ id: 'retrain' }, FME]),
    axes: [
      {
        path: 'unlearning.methods[fedmemeraser].selection',
        values: ['important', 'localized', 'deep-layers', 'shallow-layers', 'redundant'],
        label: 'Parameter selection',
      },
    ],
    seeds: 2,
  },
  'f5-clients': {
    name: 'Table F5: number of unlearning clients',
    base: base([{ id: 'retrain' }, FME], { partition: { clients: 4, scheme: 'iid' } }),
    axes: [{ path: 'unlearning.request.clients', values: [[0], [0, 1], [0, 1, 2]], label: 'Unlearning clients' }],
    seeds: 2,
  },
  'h9-class': { name: 'Table H9: class-level unlearning', ...h4({ kind: 'class', class: 0 }, 0.2) },
  'h10-examples': {
    name: 'Table H10: example-level unlearning',
    ...h4({ kind: 'examples', randomExamples: 120 }, 0.3),
  },
} satisfies Record<string, StudyInput>;

export type StudyPresetName = keyof typeof STUDY_PRESETS;

export const studyPresetNames = () => Object.keys(STUDY_PRESETS) as StudyPresetName[];

export function getStudyPreset(name: string): StudyInput {
  if (!Object.hasOwn(STUDY_PRESETS, name))
    throw new Error(`unknown study preset "${name}"; choose one of ${studyPresetNames().join(', ')}`);
  return structuredClone(STUDY_PRESETS[name as StudyPresetName]);
}
