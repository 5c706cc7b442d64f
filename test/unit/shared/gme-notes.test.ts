/** The group facts and notes every Table 1 rendering prints, on hand-made reports. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeGroup,
  groupSize,
  noiseConcentration,
  noiseNote,
  noisyBaseRate,
  referenceNote,
  tieNotes,
} from '../../../src/shared/gme-notes';
import type { GroupInfo, UnlearningReport } from '../../../src/shared/results';

const group = (lo: number, hi: number, extra: Partial<GroupInfo>): GroupInfo => ({
  lo,
  hi,
  label: `(${lo}%,${hi}%]`,
  counts: [20, 20],
  ...extra,
});

// D_u = 100 examples, 10 flipped in each of two repeats. Top 20% = groups (90,100] and (80,90].
const report = (groups: GroupInfo[], extra: Partial<UnlearningReport> = {}): UnlearningReport => ({
  request: { kind: 'clients', clients: [0], examples: 100 },
  unlearningClients: [0],
  remainingClients: [1],
  memorization: 'probability',
  fairness: 'sum',
  repeats: 2,
  retrainModels: 3,
  noisyInUnlearn: [10, 10],
  groups,
  rows: [],
  ...extra,
});

test('noise concentration: flipped share of the top 20% over the base rate, per repeat', () => {
  const r = report([
    group(90, 100, { counts: [10, 10], noisy: [5, 2] }),
    group(80, 90, { counts: [10, 10], noisy: [1, 2] }),
    group(0, 80, { counts: [80, 80], noisy: [4, 6] }),
  ]);
  // Repeat 1: 6 of 20 = 30% in the top vs 10% overall -> 3. Repeat 2: 4 of 20 = 20% -> 2.
  const c = noiseConcentration(r)!;
  assert.ok(Math.abs(c[0] - 3) < 1e-12 && Math.abs(c[1] - 2) < 1e-12, String(c));
  assert.equal(noisyBaseRate(r), 0.1);
  // Only groups entirely inside the top 10% count for topPercent = 10.
  assert.ok(Math.abs(noiseConcentration(r, 10)![0] - 5) < 1e-12);
  assert.equal(noiseConcentration(report([group(0, 100, {})], { noisyInUnlearn: undefined })), null, 'no label noise');
});

test('the lift counted only on flipped labels the original model fits, and the note gives both', () => {
  const r = report(
    [
      group(90, 100, { counts: [10, 10], noisy: [5, 2], noisyFit: [4, 2] }),
      group(80, 90, { counts: [10, 10], noisy: [1, 2], noisyFit: [0, 0] }),
      group(0, 80, { counts: [80, 80], noisy: [4, 6], noisyFit: [1, 2] }),
    ],
    { noisyFitInUnlearn: [5, 4] },
  );
  // Repeat 1: 4 fitted of 20 in the top = 20% against 5 of 100 = 5% overall -> 4. Repeat 2: 2 of 20 = 10% vs 4% -> 2.5.
  const fit = noiseConcentration(r, 20, 'fit')!;
  assert.ok(Math.abs(fit[0] - 4) < 1e-12 && Math.abs(fit[1] - 2.5) < 1e-12, String(fit));
  const note = noiseNote(r)!;
  assert.match(note, /fits 5 of 10, 4 of 10 flipped labels/);
  assert.match(
    note,
    /the flipped labels are 3\.00x \/ 2\.00x their base rate, the fitted ones 4\.00x \/ 2\.50x theirs/,
  );
  // Reports recorded before the fitted counts were kept: no fitted lift, the note as before.
  const old = report([
    group(90, 100, { counts: [10, 10], noisy: [5, 2] }),
    group(0, 90, { counts: [90, 90], noisy: [5, 8] }),
  ]);
  assert.equal(noiseConcentration(old, 20, 'fit'), null);
  assert.doesNotMatch(noiseNote(old)!, /fits/);
});

test('group size and range: one figure when repeats agree, a span when not; no range for old reports', () => {
  assert.equal(groupSize(group(0, 80, { counts: [80, 80] })), '80');
  assert.equal(groupSize(group(0, 80, { counts: [80, 81] })), '80-81');
  assert.equal(
    describeGroup(group(0, 80, { counts: [80, 80], scoreMin: [0.2, -0.1], scoreMax: [0.5, 0.4] })),
    'n = 80, scores -0.100 to 0.500',
  );
  assert.equal(describeGroup(group(0, 80, { counts: [80, 80] })), 'n = 80');
});

test('tie notes name each group whose members were placed by id, and only those', () => {
  const r = report([group(90, 100, { placedById: [0, 0] }), group(0, 90, { placedById: [3, 1] })]);
  assert.deepEqual(tieNotes(r), [
    '(0%,90%]: 4 examples (over 2 repeats) share a score with examples across a group boundary and were placed by example id.',
  ]);
  assert.deepEqual(tieNotes(report([group(0, 100, {})])), [], 'an old report without tie counts has no tie notes');
});

test('the reference note says which retrained models Delta uses', () => {
  assert.match(referenceNote(report([])), /J = 3 retrained models that also defined the memorization scores/);
  assert.match(referenceNote(report([], { referenceModels: 2 })), /K = 2 held-out/);
});
