/**
 * FedRecovery's maths on hand-made arrays, and its defining property: with no noise, the unlearned
 * model is w_T minus the weighted sum of residuals computed by hand from the recorded updates.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { TrainResult } from '../../../../src/main/engine/fl/client-trainer';
import { HistoryMissingError, HistoryReader, historyRecorder } from '../../../../src/main/engine/fl/history';
import { createRng } from '../../../../src/main/engine/rng';
import type { ParamSpec, Weights } from '../../../../src/main/engine/types';
import {
  applyCorrection,
  contributionResidual,
  portResidual,
  roundWeights,
  weightedResidualSum,
} from '../../../../src/main/engine/unlearning/fedrecovery';

const w = (...tensors: number[][]): Weights => tensors.map((t) => Float32Array.from(t));
const close = (actual: Weights | Float64Array[], expected: number[][], tol = 1e-6) =>
  expected.forEach((t, i) =>
    t.forEach((v, k) => assert.ok(Math.abs(actual[i][k] - v) <= tol, `tensor ${i}[${k}]: ${actual[i][k]} vs ${v}`)),
  );

test('round weights: normalized sum to 1; cumulative divide by the earlier rounds only', () => {
  assert.deepEqual(roundWeights([1, 3, 4], 'normalized'), [1 / 8, 3 / 8, 4 / 8]);
  assert.deepEqual(roundWeights([1, 3, 4], 'cumulative'), [0, 3 / 1, 4 / 4]);
  assert.deepEqual(roundWeights([0, 0], 'normalized'), [0, 0], 'no movement: nothing to weigh');
});

test("contribution residual: the round's update minus what the remaining clients alone would have made", () => {
  // Three clients, plain mean: updates 3, 0, -3 -> dF = 0. Without client 0 the round would be
  // mean(0, -3) = -1.5, so client 0's part is 0 - (-1.5) = 1.5 = (3 - 0) / (3 - 1).
  close(contributionResidual(w([0]), [w([3])], [1 / 3]), [[1.5]]);
  // Weighted shares 0.5 / 0.25 / 0.25 with updates 4, 0, 2 -> dF = 2.5; the rest alone: (0 + 2) / 2 = 1.
  close(contributionResidual(w([2.5]), [w([4])], [0.5]), [[1.5]]);
  // Two leaving of four (mean): updates 4, 8, 0, 0 -> dF = 3; the rest alone: 0 -> residual 3.
  close(contributionResidual(w([3]), [w([4]), w([8])], [0.25, 0.25]), [[3]]);
  close(contributionResidual(w([5, 5]), [], []), [[0, 0]]);
  assert.throws(() => contributionResidual(w([1]), [w([1])], [1]), /all leaving/);
});

test("the public port's residual: (dF - sum of the leaving updates / n) / (n - m); zero when none of them trained", () => {
  // n = 3 participants, one leaving: (dF - u/3) / 2.
  close(portResidual(w([3, 6]), [w([3, -3])], 3), [[(3 - 1) / 2, (6 + 1) / 2]]);
  // two leaving of four: (dF - (u1 + u2)/4) / 2.
  close(portResidual(w([4]), [w([4]), w([8])], 4), [[(4 - 3) / 2]]);
  close(portResidual(w([5, 5]), [], 3), [[0, 0]]);
  assert.throws(() => portResidual(w([1]), [w([1])], 1), /all leaving/);
});

const specs: ParamSpec[] = [
  { name: 'a', shape: [2], init: 'zeros' },
  { name: 'b', shape: [1], init: 'zeros' },
];
const result = (client: number, weights: Weights): TrainResult => ({
  client,
  weights,
  numExamples: 1,
  meanLoss: 0,
  exampleLoss: new Float32Array(1),
});

/** Three rounds, clients 0-2, client 1 leaving: globals and local models chosen so every step is easy by hand. */
function recordTinyHistory(dir: string) {
  const globals = [w([0, 0], [0]), w([1, 0], [2]), w([1, 2], [2]), w([3, 2], [0])]; // before rounds 1-3, then w_T
  const locals: Record<number, number[][][]> = {
    1: [
      [[1, 0], [0]],
      [[1, 0], [6]],
      [[1, 0], [0]],
    ],
    2: [
      [[1, 2], [2]],
      [[1, 2], [2]],
      [[1, 2], [2]],
    ],
    3: [
      [[3, 2], [0]],
      [[6, 2], [-4]],
      [[0, 2], [4]],
    ],
  };
  const rec = historyRecorder(dir, specs, [1, 2, 3]);
  for (let t = 1; t <= 3; t++)
    rec(
      t,
      locals[t].map((l, c) => result(c, w(...l))),
      globals[t - 1],
    );
  return { globals, locals };
}

test('defining property: with sigma 0 the model is w_T minus the hand-computed weighted residual sum', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-fedrecovery-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { globals, locals } = recordTinyHistory(dir);
  const reader = new HistoryReader(dir, specs, 'FedRecovery');
  const final = globals[3];

  // By hand: dF_1 = (1,0 | 2), dF_2 = (0,2 | 0), dF_3 = (2,0 | -2); squared norms 5, 4, 8 -> p = 5/17, 4/17, 8/17.
  // Client 1's updates: (1,0 | 6), (0,2 | 0), (5,0 | -6); n = 3, m = 1.
  const dF = [
    [1, 0, 2],
    [0, 2, 0],
    [2, 0, -2],
  ];
  const u = [
    [1, 0, 6],
    [0, 2, 0],
    [5, 0, -6],
  ];
  assert.deepEqual(u[2], [
    locals[3][1][0][0] - globals[2][0][0],
    locals[3][1][0][1] - globals[2][0][1],
    locals[3][1][1][0] - globals[2][1][0],
  ]);
  const p = [5 / 17, 4 / 17, 8 / 17];
  // The port: delta_t = (dF_t - u_t / 3) / 2.
  const portSum = [0, 1, 2].map((k) => p.reduce((acc, pt, i) => acc + (pt * (dF[i][k] - u[i][k] / 3)) / 2, 0));
  close(weightedResidualSum(reader, 3, final, [1], { weighting: 'normalized', residual: 'public-port' }), [
    [portSum[0], portSum[1]],
    [portSum[2]],
  ]);
  // The contribution (default): delta_t = (u_t - dF_t) / 2, e.g. round 1's bias: (6 - 2) / 2 = 2.
  const sum = [0, 1, 2].map((k) => p.reduce((acc, pt, i) => acc + (pt * (u[i][k] - dF[i][k])) / 2, 0));
  const got = weightedResidualSum(reader, 3, final, [1], { weighting: 'normalized', residual: 'contribution' });
  close(got, [[sum[0], sum[1]], [sum[2]]]);
  // With the clients' sizes (weighted aggregation) the shares change: sizes 1, 2, 1 -> s_1 = 1/2.
  const weighted = [0, 1, 2].map((k) =>
    p.reduce((acc, pt, i) => acc + (pt * (0.5 * u[i][k] - 0.5 * dF[i][k])) / 0.5, 0),
  );
  close(weightedResidualSum(reader, 3, final, [1], { weighting: 'normalized', residual: 'contribution' }, [1, 2, 1]), [
    [weighted[0], weighted[1]],
    [weighted[2]],
  ]);

  const unlearned = applyCorrection(final, got, 1, 0, createRng('x'));
  close(unlearned, [[3 - sum[0], 2 - sum[1]], [0 - sum[2]]], 1e-5);
  // The port's factor 5 scales the same sum.
  close(applyCorrection(final, got, 5, 0, createRng('x')), [[3 - 5 * sum[0], 2 - 5 * sum[1]], [-5 * sum[2]]], 1e-5);
});

test('noise has the asked standard deviation and is seeded', () => {
  const zeros = [new Float32Array(20000)];
  const acc = [new Float64Array(20000)];
  const a = applyCorrection(zeros, acc, 1, 0.02, createRng('s'))[0];
  const sd = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
  assert.ok(Math.abs(sd - 0.02) < 0.001, `sd ${sd}`);
  assert.deepEqual(applyCorrection(zeros, acc, 1, 0.02, createRng('s'))[0], a);
});

test('a missing history fails with one sentence naming the setting', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-fedrecovery-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  recordTinyHistory(dir);
  fs.rmSync(path.join(dir, 'r2-global.fmw'));
  const check = (e: unknown) => {
    assert.ok(e instanceof HistoryMissingError);
    assert.match(e.message, /training\.recordHistory/);
    assert.equal(e.message.split('. ').length, 1, 'one sentence');
    return true;
  };
  assert.throws(
    () =>
      weightedResidualSum(new HistoryReader(dir, specs, 'FedRecovery'), 3, w([0, 0], [0]), [1], {
        weighting: 'normalized',
        residual: 'contribution',
      }),
    check,
  );
  assert.throws(() => new HistoryReader(null, specs, 'FedRecovery').global(1), check);
});
