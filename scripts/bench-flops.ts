/**
 * The work of one training sample of a model, in FLOP (compute/flops.ts counts the convolutions' and matrix
 * products' multiply-adds), so that `npm run bench` prints achieved GFLOP/s beside the machine's ceilings.
 * Counted on one local step of two samples on the active backend, in this process: the count is linear in the
 * batch, so two samples give the per-sample figure exactly, and fast even for ResNet-34.
 */
import type { ModelId } from '../src/shared/catalog';
import { countFlops } from '../src/main/engine/compute/flops';
import { toImageSplit } from '../src/main/engine/data/raw';
import { generateSynthetic } from '../src/main/engine/data/synthetic';
import { ClientTrainer } from '../src/main/engine/fl/client-trainer';
import { initWeights } from '../src/main/engine/models/init';
import { buildModel } from '../src/main/engine/models/registry';
import { createRng } from '../src/main/engine/rng';
import { BENCH_MODELS } from './bench-models';

const SAMPLES = 2;

/** FLOP per training sample (forward, gradients and update) of `model` at its bench input shape. */
export async function trainingFlopsPerSample(model: ModelId): Promise<number> {
  const spec = BENCH_MODELS[model];
  const raw = generateSynthetic(createRng(1), {
    shape: spec.shape,
    numClasses: spec.classes,
    trainSize: SAMPLES,
    testSize: 1,
  });
  const def = buildModel(model, spec.shape, spec.classes);
  const trainer = new ClientTrainer(def, toImageSplit(raw.train, raw.shape));
  try {
    const global = initWeights(def.params, createRng(2));
    const task = { client: 0, indices: Int32Array.from({ length: SAMPLES }, (_, i) => i), seed: 'flops' };
    const settings = { localEpochs: 1, batchSize: SAMPLES, optimizer: 'adam' as const, lr: 1e-3, momentum: 0.9 };
    const { flops } = await countFlops(() => trainer.train(global, task, settings));
    return flops / SAMPLES;
  } finally {
    trainer.dispose();
  }
}
