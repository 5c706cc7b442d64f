/**
 * Parameter distances (Appendix G.1, Figure G6): L2 distance and cosine similarity of the flattened
 * parameters, and the mean KL divergence of the output distributions, between every pair among the
 * original model, the J retrained models and each unlearned model. The paper's finding: retrained
 * models are about as far from each other as from the original, so closeness to "the" retrained model
 * in parameter space says little about unlearning. The paper does not say which data the KL is
 * measured on; the default is a sample of D_u (`klOn: 'test'` for the test set).
 */
import { cosineSimilarity, l2Distance, meanKl, pairwise } from '../metrics/model-distances';
import { sampleIndices, type Analysis } from './types';

export const distances: Analysis<'distances'> = {
  id: 'distances',
  async run({ exp, request, models }, config) {
    const onTest = config.klOn === 'test';
    const all = onTest ? Int32Array.from({ length: exp.dataset.test.n }, (_, i) => i) : request.unlearn;
    const idx = sampleIndices(exp, `analysis-distances/${config.klOn}`, all, config.maxExamples);
    const data = onTest ? exp.dataset.test : { x: exp.dataset.train.x, y: exp.trainLabels };
    const outputs: Float32Array[] = [];
    for (const m of models) outputs.push(await exp.evaluator.probabilities(m.weights, data, idx));
    const classes = exp.model.numClasses;
    const at = models.map((_, i) => i);
    return {
      models: models.map(({ stage, label, role }) => ({ stage, label, role })),
      l2: pairwise(models, (a, b) => l2Distance(a.weights, b.weights)),
      cosine: pairwise(models, (a, b) => cosineSimilarity(a.weights, b.weights)),
      kl: pairwise(at, (i, j) => meanKl(outputs[i], outputs[j], classes)),
      klOn: config.klOn,
      klExamples: idx.length,
    };
  },
};
