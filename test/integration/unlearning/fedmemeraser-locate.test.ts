/**
 * FedMemEraser's locate step on the small CNN and real MNIST, through the real client pool:
 * - 'gradient' (Algorithm 1): the reset scalars are exactly the lowest rho fraction by |mean gradient|
 *   of the remaining clients at the original model. The gradient is recomputed here independently:
 *   one full-data batch per client and tfjs's own softmax cross-entropy, not the trainer's code.
 * - 'first-round-update' (the authors' code): the reset scalars are the lowest rho fraction by
 *   |first round's aggregated update|, ranked here by a plain sort with the flat-index tie-break.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseConfig } from '../../../src/shared/config';
import { runFedAvg } from '../../../src/main/engine/fl/fedavg';
import { prepare, type ExperimentContext } from '../../../src/main/engine/prepare';
import { fedmemeraser } from '../../../src/main/engine/unlearning/fedmemeraser';
import { resolveRequest, type ResolvedRequest } from '../../../src/main/engine/unlearning/request';
import { trainOnRemaining, type UnlearnContext } from '../../../src/main/engine/unlearning/types';
import type { Weights } from '../../../src/main/engine/types';

const config = parseConfig({
  seed: 3,
  dataset: { id: 'mnist', trainSize: 300, testSize: 100 },
  partition: { clients: 3 },
  model: { id: 'cnn' },
  training: { rounds: 1, batchSize: 16, lr: 1e-3 },
  compute: { backend: 'wasm', workers: 2 },
  unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'fedmemeraser' }] },
});
const RHO = 0.3;

let ctx: ExperimentContext;
let request: ResolvedRequest;
let original: Weights;

before(async () => {
  ctx = await prepare(config, () => {});
  request = resolveRequest(config.unlearning!.request, ctx.partition, ctx.trainLabels, ctx.rng.fork('request'));
  const trained = await runFedAvg({
    stage: 'original',
    initial: ctx.initialWeights('original'),
    clients: [0, 1, 2],
    clientIndices: ctx.partition.clients,
    rounds: 2,
    settings: ctx.settings,
    aggregation: 'mean',
    clientFraction: 1,
    seed: 3,
    pool: ctx.pool,
    evaluateTest: (w) => ctx.evaluateTest(w),
  });
  original = trained.weights;
});
after(() => ctx.close());

const uctx = (): UnlearnContext => ({
  exp: ctx,
  request,
  original,
  seed: '3',
  signal: new AbortController().signal,
  log: () => {},
  onRound: () => {},
});
const eraser = (extra: object) =>
  parseConfig({
    ...config,
    unlearning: { ...config.unlearning, methods: [{ id: 'fedmemeraser', rho: RHO, ...extra }] },
  }).unlearning!.methods[0] as Parameters<typeof fedmemeraser.run>[1];
const flat = (w: Weights) => Float64Array.from(w.flatMap((t) => Array.from(t)));

/** Flat positions where two weight sets differ. */
function changed(a: Weights, b: Weights): Set<number> {
  const out = new Set<number>();
  let o = 0;
  a.forEach((t, i) => {
    for (let k = 0; k < t.length; k++) if (t[k] !== b[i][k]) out.add(o + k);
    o += t.length;
  });
  return out;
}

/** The remaining clients' mean full-data gradient at `weights`, one batch per client, tfjs's own loss. */
function independentMeanGradient(weights: Weights): Float64Array {
  const specs = ctx.model.params;
  const [h, w, c] = ctx.model.inputShape;
  const px = h * w * c;
  const vars = weights.map((t, i) => tf.variable(tf.tensor(t, specs[i].shape)));
  const sum = new Float64Array(weights.reduce((a, t) => a + t.length, 0));
  for (const k of request.remainingClients) {
    const idx = request.remainingByClient[k];
    const x = new Float32Array(idx.length * px);
    idx.forEach((i, r) => x.set(ctx.dataset.train.x.subarray(i * px, (i + 1) * px), r * px));
    const labels = Int32Array.from(idx, (i) => ctx.trainLabels[i]);
    const { grads, value } = tf.variableGrads(() => {
      const logits = ctx.model.forward(vars, tf.tensor4d(x, [idx.length, h, w, c]));
      return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(
        tf.oneHot(tf.tensor1d(labels, 'int32'), ctx.model.numClasses),
        logits,
      );
    }, vars);
    let o = 0;
    for (const v of vars) {
      const g = grads[v.name].dataSync();
      for (let e = 0; e < g.length; e++) sum[o + e] += g[e] / request.remainingClients.length;
      o += g.length;
    }
    tf.dispose([grads, value] as never);
  }
  tf.dispose(vars);
  return sum;
}

test('gradient locate with no fine-tuning resets exactly the lowest rho by |mean gradient at the original model|', async () => {
  const out = await fedmemeraser.run(uctx(), eraser({ locate: 'gradient', rounds: 0 }), 'unlearn:test-gradient');
  assert.deepEqual(out.rounds, [], 'rounds: 0 trains nothing (Table H8)');
  assert.equal(out.importance!.locate, 'gradient');
  const g = independentMeanGradient(original).map(Math.abs);
  const n = g.length;
  const k = Math.floor(RHO * n);
  const reset = changed(out.weights, original);
  assert.equal(reset.size, k, 'floor(rho * N) scalars were reset');
  assert.equal(out.importance!.resetScalars, k);
  const cut = Float64Array.from(g).sort()[k - 1];
  assert.ok(cut > 0, 'the cut lies above the exactly-zero gradients, so the check below has teeth');
  // Float32 batching differs from one full batch by rounding only: allow a 1e-4 relative band at the cut.
  const band = 1e-4 * cut;
  let inBand = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(g[i] - cut) <= band) inBand++;
    else if (reset.has(i)) assert.ok(g[i] < cut, `scalar ${i} was reset with |g| ${g[i]} above the cut ${cut}`);
    else assert.ok(g[i] > cut, `scalar ${i} was kept with |g| ${g[i]} below the cut ${cut}`);
  }
  assert.ok(inBand < 0.001 * n, `${inBand} scalars sit within rounding of the cut`);
});

test('first-round-update locate resets exactly the lowest rho by |first round update|, after that round', async () => {
  const stage = 'unlearn:test-first-round';
  // The same round without a reset (same stage = same client seeds), capturing the exact mean update.
  let update: Weights | undefined;
  const plain = await trainOnRemaining(uctx(), stage, original, 1, {
    afterAggregate: (_r, _g, u) => void (update = u),
  });
  const out = await fedmemeraser.run(uctx(), eraser({ locate: 'first-round-update', rounds: 1 }), stage);
  assert.equal(out.importance!.locate, 'first-round-update');
  const u = flat(update!).map(Math.abs);
  const k = Math.floor(RHO * u.length);
  // The authors' topk(-|u|) with our tie-break: ascending |u|, then flat index.
  const expected = new Set(
    Array.from(u.keys())
      .sort((a, b) => u[a] - u[b] || a - b)
      .slice(0, k),
  );
  const reset = changed(out.weights, plain.weights);
  assert.equal(reset.size, k);
  for (const i of expected) assert.ok(reset.has(i), `scalar ${i} should have been reset`);
});

test('the two locate rules pick different scalars', async () => {
  const byGradient = await fedmemeraser.run(uctx(), eraser({ locate: 'gradient', rounds: 0 }), 'unlearn:cmp');
  let update: Weights | undefined;
  await trainOnRemaining(uctx(), 'unlearn:cmp', original, 1, { afterAggregate: (_r, _g, u) => void (update = u) });
  const gradientSet = changed(byGradient.weights, original);
  const u = flat(update!).map(Math.abs);
  const byUpdate = new Set(
    Array.from(u.keys())
      .sort((a, b) => u[a] - u[b] || a - b)
      .slice(0, gradientSet.size),
  );
  let same = 0;
  for (const i of gradientSet) if (byUpdate.has(i)) same++;
  assert.ok(same < gradientSet.size, `the two rules chose the same ${same} scalars`);
});
