/**
 * The model registry: one entry per ModelId with what the UI shows and how to build it. Builders with
 * variants (VGG-9 layout, ResNet stem) are built here with their defaults; call buildVgg9 / buildResNet
 * directly for the code's variants.
 */
import type { ModelDef, ModelId } from '../types';
import { numElements } from './init';
import { buildMlp } from './mlp';
import { buildCnn } from './cnn';
import { buildVgg9 } from './vgg9';
import { buildResNet } from './resnet';

export interface ModelInfo {
  id: ModelId;
  name: string;
  description: string;
  /** Dataset ids the paper or the CPU presets pair with this model. */
  suitableFor: string[];
}

interface RegistryEntry extends Omit<ModelInfo, 'id'> {
  build(inputShape: [number, number, number], numClasses: number): ModelDef;
}

export const MODEL_REGISTRY = {
  mlp: {
    name: 'MLP 200-200',
    description: 'Two hidden layers of 200 ReLU units (the FedAvg "2NN"). Fast on any backend.',
    suitableFor: ['mnist', 'fashion-mnist', 'emnist'],
    build: buildMlp,
  },
  cnn: {
    name: 'Small CNN',
    description: 'conv16-pool-conv32-pool-dense64. The default for CPU presets on MNIST-sized data.',
    suitableFor: ['mnist', 'fashion-mnist', 'emnist'],
    build: buildCnn,
  },
  vgg9: {
    name: 'VGG-9 (GroupNorm)',
    description: "The paper's EMNIST model, as in the authors' code: conv64x2-pool-conv128x2-pool-dense256, GroupNorm(8).",
    suitableFor: ['emnist', 'mnist', 'fashion-mnist'],
    build: (shape, classes) => buildVgg9(shape, classes),
  },
  resnet18: {
    name: 'ResNet-18 (GroupNorm)',
    description: "The paper's CIFAR-10 model: CIFAR stem, basic blocks [2,2,2,2], GroupNorm without affine. Needs a native/GPU backend at paper scale.",
    suitableFor: ['cifar10'],
    build: (shape, classes) => buildResNet(18, shape, classes),
  },
  resnet34: {
    name: 'ResNet-34 (GroupNorm)',
    description: "The paper's CIFAR-100 model: CIFAR stem, basic blocks [3,4,6,3], GroupNorm without affine. Needs a native/GPU backend at paper scale.",
    suitableFor: ['cifar100'],
    build: (shape, classes) => buildResNet(34, shape, classes),
  },
} satisfies Record<ModelId, RegistryEntry>;

export const MODEL_IDS = Object.keys(MODEL_REGISTRY) as ModelId[];

export function isModelId(id: string): id is ModelId {
  return Object.prototype.hasOwnProperty.call(MODEL_REGISTRY, id);
}

export function buildModel(id: ModelId, inputShape: [number, number, number], numClasses: number): ModelDef {
  const entry: RegistryEntry | undefined = MODEL_REGISTRY[id];
  if (!entry) throw new Error(`unknown model ${String(id)}`);
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new Error(`numClasses must be an integer >= 2, got ${numClasses}`);
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
  return MODEL_IDS.map((id) => {
    const { name, description, suitableFor } = MODEL_REGISTRY[id];
    return { id, name, description, suitableFor: [...suitableFor] };
  });
}
