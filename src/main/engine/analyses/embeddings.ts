/**
 * Embeddings (Figure 1): the penultimate-layer features (the last dense layer's input) of one class's
 * examples from every client, under the original model and the first retrained model, projected to 2-D
 * by PCA (each model's own projection). The paper's point: the leaving client's features overlap the
 * others', so what it "contributed" is not separable. The overlap is measured in the full feature space
 * (the 2-D picture can hide or invent separation): the share of the unlearning clients' points whose k
 * nearest neighbours are mostly other clients' points.
 */
import { knnOverlap, pca2 } from '../metrics/embeddings';
import { sampleIndices, type Analysis } from './types';

export const embeddings: Analysis<'embeddings'> = {
  id: 'embeddings',
  async run({ exp, request, models, log }, config) {
    const labels = exp.trainLabels;
    const cls = config.class ?? busiestClass(request.unlearn, labels, exp.model.numClasses);
    if (cls >= exp.model.numClasses)
      throw new Error(`embeddings: class ${cls} does not exist (the dataset has ${exp.model.numClasses})`);
    const leaving = new Set(request.unlearningClients);
    const ids: number[] = [];
    const clients: number[] = [];
    exp.partition.clients.forEach((own, c) => {
      const ofClass = own.filter((i) => labels[i] === cls);
      const drawn = sampleIndices(exp, `analysis-embeddings/${cls}/client-${c}`, ofClass, config.maxPerClient);
      drawn.forEach((i) => (ids.push(i), clients.push(c)));
    });
    const focus = clients.map((c) => leaving.has(c));
    if (!focus.some(Boolean))
      log('warn', `embeddings: no unlearning client holds an example of class ${cls}; the overlap is undefined`);
    const chosen = [models.find((m) => m.role === 'original'), models.find((m) => m.role === 'retrained')].filter(
      (m) => m !== undefined,
    );
    const idx = Int32Array.from(ids);
    const d = exp.model.head.inputDim;
    const canMeasure = ids.length > config.k;
    if (!canMeasure) log('warn', `embeddings: ${ids.length} examples of class ${cls} are too few for k = ${config.k}`);
    const panels = [];
    for (const m of chosen) {
      const rows = {
        data: await exp.evaluator.features(m.weights, { x: exp.dataset.train.x, y: labels }, idx),
        n: ids.length,
        d,
      };
      const p = ids.length ? pca2(rows) : { points: [], explained: [0, 0] as [number, number] };
      const o = canMeasure ? knnOverlap(rows, focus, config.k) : { share: NaN, chance: NaN };
      panels.push({
        model: { stage: m.stage, label: m.label, role: m.role },
        points: p.points.map(([x, y]) => [round(x), round(y)] as [number, number]),
        explained: p.explained,
        overlap: o.share,
        overlapChance: o.chance,
      });
    }
    return {
      class: cls,
      k: config.k,
      dimension: d,
      ids,
      clients,
      unlearningClients: request.unlearningClients,
      panels,
    };
  },
};

/** The class with most examples in D_u (by training label; ties: the lower class). */
export function busiestClass(unlearn: Int32Array, labels: Int32Array, numClasses: number): number {
  const counts = new Array<number>(numClasses).fill(0);
  unlearn.forEach((i) => counts[labels[i]]++);
  return counts.indexOf(Math.max(...counts));
}

/** Six significant digits are plenty for a scatter plot and keep the stored artifact small. */
const round = (v: number) => Number(v.toPrecision(6));
