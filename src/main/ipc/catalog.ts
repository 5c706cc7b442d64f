/**
 * What the wizard offers: datasets and models from the engine's registries, methods and parameter-
 * selection strategies from the unlearning schema's ids, and the named presets. The models registry
 * pulls in tfjs-core, so it is imported on first use rather than when main starts.
 */
import type { Catalog, CatalogEntry } from '../../shared/contract';
import { PRESETS } from '../../shared/presets';
import { METHOD_IDS, SELECTION_IDS, type MethodId } from '../../shared/unlearning-config';
import { listDatasets } from '../engine/data/registry';

const METHODS: Record<MethodId, Omit<CatalogEntry, 'id'>> = {
  retrain: {
    name: 'Retrain',
    description: "FedAvg from scratch on the remaining data: the exact baseline and GME's reference (always computed; listing it only sets its row label).",
  },
  finetune: {
    name: 'Fine-tune',
    description: 'Continue FedAvg from the original model on the remaining clients only (default 30% of the training rounds).',
  },
  fedmemeraser: {
    name: 'FedMemEraser',
    description:
      "The paper's method: reset the scalars that the remaining clients barely update (lowest rho fraction of |mean update|) to fresh initial values, then fine-tune on the remaining clients.",
  },
};

const SELECTIONS: Record<(typeof SELECTION_IDS)[number], Omit<CatalogEntry, 'id'>> = {
  redundant: { name: 'Redundant (paper)', description: "Lowest-rho fraction of all scalars by |remaining clients' mean update| (Eq. 12-13)." },
  important: { name: 'Important (SalUn)', description: "Top-rho fraction by |unlearning clients' mean update|; needs the data to forget." },
  localized: { name: 'Localized', description: 'Whole output channels scored by |theta x update of the unlearning clients|.' },
  'deep-layers': { name: 'Deep layers', description: "SalUn's selection restricted to the deeper half of the model (Appendix F.3)." },
  'shallow-layers': { name: 'Shallow layers', description: "SalUn's selection restricted to the shallower half of the model (Appendix F.3)." },
};

export async function getCatalog(): Promise<Catalog> {
  const { listModels } = await import('../engine/models/registry');
  return {
    datasets: listDatasets().map(({ id, name, description, needsPath }) => ({ id, name, description, needsPath })),
    models: listModels().map(({ id, name, description, suitableFor }) => ({ id, name, description, suitableFor })),
    methods: METHOD_IDS.map((id) => ({ id, ...METHODS[id] })),
    selections: SELECTION_IDS.map((id) => ({ id, ...SELECTIONS[id] })),
    presets: Object.entries(PRESETS).map(([name, config]) => ({ name, config: structuredClone(config) })),
  };
}
