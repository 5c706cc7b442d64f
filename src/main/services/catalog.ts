/**
 * What the wizard offers: the shared catalog's datasets, models, methods and parameter-selection
 * strategies, and the named presets. Pure descriptors: nothing here loads engine code.
 */
import { DATASETS, METHODS, MODELS, SELECTIONS } from '../../shared/catalog';
import type { Catalog } from '../../shared/contract';
import { PRESETS } from '../../shared/presets';

export async function getCatalog(): Promise<Catalog> {
  return {
    datasets: Object.values(DATASETS).map(({ id, name, description, needsPath }) => ({
      id,
      name,
      description,
      needsPath,
    })),
    models: Object.values(MODELS).map(({ id, name, description, suitableFor }) => ({
      id,
      name,
      description,
      suitableFor: [...suitableFor],
    })),
    methods: Object.values(METHODS).map(({ id, name, description }) => ({ id, name, description })),
    selections: Object.values(SELECTIONS).map(({ id, name, description }) => ({ id, name, description })),
    presets: Object.entries(PRESETS).map(([name, config]) => ({ name, config: structuredClone(config) })),
  };
}
