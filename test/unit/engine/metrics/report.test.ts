/** The Table 1 report from hand-made assessments, every number worked by hand in the comments. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PerExample } from '../../../../src/main/engine/fl/evaluate';
import type { RoundRecord } from '../../../../src/main/engine/fl/fedavg';
import { groupByPercentile } from '../../../../src/main/engine/metrics/grouping';
import { buildReport, type RepeatResult } from '../../../../src/main/engine/metrics/report';
import type { ModelAssessment } from '../../../../src/main/engine/unlearning/assess';

const per = (correct: number[]): PerExample => ({
  correct: Uint8Array.from(correct),
  probTrue: Float32Array.from(correct),
  loss: new Float32Array(correct.length),
  predicted: new Int32Array(correct.length),
});
const model = (key: string, correct: number[], test: number, clientLoss: number[]): ModelAssessment => ({
  key,
  unlearn: per(correct),
  unlearnAccuracy: correct.reduce((a, b) => a + b, 0) / correct.length,
  testAccuracy: test,
  testLoss: 0,
  clientLoss,
  remainingAccuracy: null,
  remainingExamples: 0,
});
const curve = (points: [number, number][]): RoundRecord[] =>
  points.map(([ms, acc], i) => ({
    stage: 's',
    round: i + 1,
    testAccuracy: acc,
    testLoss: 0,
    trainLoss: 0,
    elapsedMs: ms,
    // A training round has clients; a one-step correction's single record has none (recordOperation).
    clients: [{ client: 1, trainLoss: 0, numExamples: 10 }],
  }));

// D_u = 4 examples; scores put positions 0 and 2 in the top half.
const scores = Float64Array.from([0.9, 0.1, 0.5, 0.0]);
const groups = groupByPercentile(scores, [
  [50, 100],
  [0, 50],
]);

function repeat(methodCorrect: number[], methodTest: number): RepeatResult {
  return {
    original: model('original', [1, 1, 1, 1], 0.9, [1, 2]),
    retrained: [model('retrain:0', [0, 1, 0, 1], 0.8, [1.5, 2.5]), model('retrain:1', [0, 1, 1, 1], 0.7, [2, 2])],
    retrainRounds: [
      curve([
        [1000, 0.5],
        [4000, 0.8],
        [5000, 0.7],
      ]),
      curve([
        [3000, 0.6],
        [6000, 0.7],
      ]),
    ],
    reference: [],
    referenceRounds: [],
    methods: [
      {
        stage: 'unlearn:x',
        label: 'X',
        methodId: 'fedmemeraser',
        assessment: model('unlearn:x', methodCorrect, methodTest, [2, 2]),
        rounds: curve([
          [1000, 0.5],
          [2000, 0.9],
        ]),
      },
    ],
    groups,
    scores,
    noisy: null,
  };
}

const meta = {
  request: { kind: 'clients' as const, clients: [0], examples: 4 },
  unlearningClients: [0],
  remainingClients: [1, 2],
  memorization: 'correct' as const,
  fairness: 'sum' as const,
};

test('one repeat: group accuracy, deltas to the retrained mean, fairness and speed-up', () => {
  const r = buildReport([repeat([1, 1, 0, 1], 0.85)], meta);
  assert.deepEqual(
    r.rows.map((x) => x.key),
    ['original', 'unlearn:x', 'retrained'],
  );
  assert.deepEqual(
    r.groups.map((g) => [g.label, g.counts]),
    [
      ['(50%,100%]', [2]],
      ['(0%,50%]', [2]],
    ],
  );
  const [orig, method, retrained] = r.rows;
  // Retrained top group: model 0 gets 0/2, model 1 gets 1/2 -> mean 0.25; bottom: 1 and 1.
  assert.equal(retrained.groupAccuracy[0].mean, 0.25);
  assert.equal(retrained.groupAccuracy[1].mean, 1);
  // Method top group: positions 0,2 -> correct 1,0 -> 0.5; delta |0.5 - 0.25|.
  assert.equal(method.groupAccuracy[0].mean, 0.5);
  assert.deepEqual(method.groupDelta, [0.25, 0]);
  assert.deepEqual(orig.groupDelta, [0.75, 0]);
  assert.deepEqual(retrained.groupDelta, [null, null]);
  // D_u accuracy: method 3/4; retrained (2/4 + 3/4)/2 = 0.625.
  assert.equal(method.unlearnAccuracy.mean, 0.75);
  assert.equal(method.unlearnDelta, 0.125);
  // Fairness: method deltas [1, 0] -> mean 0.5 -> deviations 0.5, 0.5 -> sum 1, mean 0.5.
  assert.equal(method.fairnessSum!.mean, 1);
  assert.equal(method.fairnessMean!.mean, 0.5);
  // Retrained: model 0 deltas [0.5, 0.5] -> 0; model 1 deltas [1, 0] -> 1; mean 0.5.
  assert.equal(retrained.fairnessSum!.mean, 0.5);
  assert.equal(orig.fairnessSum, null, 'the original model has no fairness (nothing was unlearned)');
  // Time to peak: method 2 s; retrained (4 s + 6 s) / 2 = 5 s -> speed-up 2.5.
  assert.equal(method.timeToPeakSeconds!.mean, 2);
  assert.equal(retrained.timeToPeakSeconds!.mean, 5);
  assert.equal(method.speedup!.mean, 2.5);
  // Whole time: the last round's clock. Method 2 s; retrained (5 s + 6 s) / 2 = 5.5 s -> 2.75x.
  assert.equal(method.wallSeconds!.mean, 2);
  assert.equal(retrained.wallSeconds!.mean, 5.5);
  assert.equal(method.wallSpeedup!.mean, 2.75);
  assert.equal(retrained.wallSpeedup, null, 'the reference has no speed-up over itself');
  assert.equal(method.testAccuracy.std, 0, 'std of one repeat is 0');
});

test('two repeats: mean and sample std per cell, values kept', () => {
  const r = buildReport([repeat([1, 1, 0, 1], 0.85), repeat([0, 1, 0, 1], 0.75)], meta);
  const method = r.rows[1];
  assert.deepEqual(method.testAccuracy.values, [0.85, 0.75]);
  assert.ok(Math.abs(method.testAccuracy.mean! - 0.8) < 1e-12);
  // sample std of {0.85, 0.75} = sqrt(2 * 0.05^2 / 1) = 0.0707...
  assert.ok(Math.abs(method.testAccuracy.std! - Math.SQRT2 * 0.05) < 1e-12);
  // Top group: 0.5 then 0.0 -> mean 0.25 = the retrained mean -> delta 0.
  assert.equal(method.groupAccuracy[0].mean, 0.25);
  assert.equal(method.groupDelta[0], 0);
});

test('an empty group is reported as empty: null accuracy, null delta, count 0', () => {
  const empty = groupByPercentile(
    [0.9, 0.1, 0.5, 0.0],
    [
      [99, 100],
      [0, 99],
    ],
  );
  // With 4 examples, the top example sits at percentile 100 -> (99,100] holds exactly one; use a gap instead.
  const gap = groupByPercentile(
    [0.9, 0.1, 0.5, 0.0],
    [
      [90, 95],
      [0, 90],
    ],
  );
  assert.equal(empty[0].members.length, 1);
  const rep = { ...repeat([1, 1, 0, 1], 0.85), groups: gap };
  const r = buildReport([rep], meta);
  assert.deepEqual(r.groups[0].counts, [0]);
  for (const row of r.rows) {
    assert.equal(row.groupAccuracy[0].mean, null);
    assert.equal(row.groupDelta[0], null);
  }
});

test('group sizes, score ranges and label-noise counts are reported per repeat', () => {
  const noisy = { ...repeat([1, 1, 0, 1], 0.85), noisy: Uint8Array.from([1, 0, 0, 1]) };
  const r = buildReport([noisy, noisy], meta);
  // Top half = positions 0 (0.9) and 2 (0.5); bottom = 1 (0.1) and 3 (0.0).
  assert.deepEqual(
    r.groups.map((g) => [g.scoreMin, g.scoreMax]),
    [
      [
        [0.5, 0.5],
        [0.9, 0.9],
      ],
      [
        [0, 0],
        [0.1, 0.1],
      ],
    ],
  );
  assert.deepEqual(
    r.groups.map((g) => g.placedById),
    [
      [0, 0],
      [0, 0],
    ],
    'no score is shared across the boundary',
  );
  assert.deepEqual(
    r.groups.map((g) => g.noisy),
    [
      [1, 1],
      [1, 1],
    ],
  );
  assert.deepEqual(r.noisyInUnlearn, [2, 2]);
  // The original fits every example here: both flipped ones count as fitted. With its prediction wrong on example 3
  // (the bottom group's flipped one), only example 0 does.
  assert.deepEqual(r.noisyFitInUnlearn, [2, 2]);
  const missed = { ...noisy, original: model('original', [1, 1, 1, 0], 0.9, [1, 2]) };
  const m = buildReport([missed, noisy], meta);
  assert.deepEqual(
    m.groups.map((g) => g.noisyFit),
    [
      [1, 1],
      [0, 1],
    ],
  );
  assert.deepEqual(m.noisyFitInUnlearn, [1, 2]);
  assert.equal(
    buildReport([repeat([1, 1, 0, 1], 0.85)], meta).groups[0].noisy,
    undefined,
    'no label noise, no noisy counts',
  );
});

test('a reset without fine-tuning has no time-to-peak and no speed-up, yet a full row', () => {
  const rep = repeat([1, 1, 0, 1], 0.85);
  rep.methods[0] = { ...rep.methods[0], rounds: [] };
  const method = buildReport([rep], meta).rows[1];
  assert.equal(method.timeToPeakSeconds, null);
  assert.equal(method.speedup, null);
  assert.equal(method.groupAccuracy[0].mean, 0.5);
});

test('a method that trains nothing (one operation record, no client) has no time-to-peak and no speed-up', () => {
  const rep = repeat([1, 1, 0, 1], 0.85);
  const [op] = curve([[0.4, 0.85]]);
  rep.methods[0] = { ...rep.methods[0], rounds: [{ ...op, clients: [] }] };
  const report = buildReport([rep], meta);
  const method = report.rows[1];
  assert.equal(method.timeToPeakSeconds, null);
  assert.equal(method.speedup, null);
  // Its whole time is real (the correction's own clock) and stays, with its speed-up over retraining.
  assert.equal(method.wallSeconds?.mean, 0.0004);
  assert.ok(method.wallSpeedup?.mean != null && method.wallSpeedup.mean > 1);
  // The same record with a client is a training round: timed as before.
  rep.methods[0] = { ...rep.methods[0], rounds: [op] };
  assert.equal(buildReport([rep], meta).rows[1].timeToPeakSeconds?.mean, 0.0004);
});

test('held-out reference models: every delta is measured against them; the scoring models get their own row', () => {
  const rep = repeat([1, 1, 0, 1], 0.85);
  // One held-out model: right on everything but position 2 (top group 1/2, bottom 2/2, D_u 3/4).
  rep.reference = [model('reference:0', [1, 1, 0, 1], 0.8, [1, 2])];
  rep.referenceRounds = [curve([[8000, 0.8]])];
  const r = buildReport([rep], meta);
  assert.equal(r.referenceModels, 1);
  assert.deepEqual(
    r.rows.map((x) => [x.key, x.kind]),
    [
      ['original', 'original'],
      ['unlearn:x', 'method'],
      ['retrained-scoring', 'scoring'],
      ['retrained', 'retrained'],
    ],
  );
  const [orig, method, scoring, reference] = r.rows;
  assert.deepEqual(
    reference.groupAccuracy.map((g) => g.mean),
    [0.5, 1],
  );
  // The method equals the held-out model on every example -> deltas 0; the original |1 - 0.5| on top.
  assert.deepEqual(method.groupDelta, [0, 0]);
  assert.deepEqual(orig.groupDelta, [0.5, 0]);
  // The scoring models' mean top-group accuracy is 0.25 (first test): 0.25 below the held-out reference.
  assert.deepEqual(scoring.groupDelta, [0.25, 0]);
  assert.deepEqual(reference.groupDelta, [null, null]);
  // Speed-up against the held-out reference: 8 s / 2 s.
  assert.equal(method.speedup!.mean, 4);
});
