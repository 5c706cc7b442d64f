/**
 * The model registry: one entry per ModelId with what the UI shows and how to build it. Builders with
 * variants (VGG-9 layout, ResNet stem) are built here with their defaults; call buildVgg9 / buildResNet
 * directly for the code's variants.
 */
import { MODEL_IDS, MODELS, type ModelId, type ModelInfo } from '../../../shared/catalog';
import type { ModelDef } from '../types';
import { numElements } from './init';
import { buildMlp } from './mlp';
import { buildCnn } from './cnn';
import { buildVgg9 } from './vgg9';
import { buildResNet } from './resnet';

export type { ModelInfo };

interface RegistryEntry extends ModelInfo {
  build(inputShape: [number, number, number], numClasses: number): ModelDef;
}

export const MODEL_REGISTRY = {
  mlp: {
    ...MODELS.mlp,
    build: buildMlp,
  },
  cnn: {
    ...MODELS.cnn,
    build: buildCnn,
  },
  vgg9: {
    ...MODELS.vgg9,
    build: (shape, classes) => buildVgg9(shape, classes),
  },
  resnet18: {
    ...MODELS.resnet18,
    build: (shape, classes) => buildResNet(18, shape, classes),
  },
  resnet34: {
    ...MODELS.resnet34,
    build: (shape, classes) => buildResNet(34, shape, classes),
  },
} satisfies Record<ModelId, RegistryEntry>;

export function isModelId(id: string): id is ModelId {
  return Object.prototype.hasOwnProperty.call(MODEL_REGISTRY, id);
}

export function buildModel(id: ModelId, inputShape: [number, number, number], numClasses: number): ModelDef {
  const entry: RegistryEntry | undefined = MODEL_REGISTRY[id];
  if (!entry) throw new Error(`unknown model ${String(id)}`);
  if (!Number.isInteger(numClasses) || numClasses < 2)
    throw new Error(`numClasses must be an integer >= 2, got ${numClasses}`);
  if (inputShape.length !== 3 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`inputShape must be [h, w, c] of positive integers, got [${inputShape}]`);
  }
  return entry.build(inputShape, numClasses);
}

/** Total number of scalar parameters. */
export function countParams(def: Pick<ModelDef, 'params'>): number {
  let n = 0;
  for (const p of def.params) n += numElements(p.shape);
  return n;
}

export function listModels(): ModelInfo[] {
  return MODEL_IDS.map((id) => MODELS[id]);
}
