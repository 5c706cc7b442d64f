import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  accuracyRows,
  countText,
  eraserEntries,
  fineTuneHeading,
  layerRows,
  remainingNote,
  repeatStat,
  rhoSentence,
  valueList,
} from '../../../../src/shared/figures/eraser-summary';
import type { ImportanceArtifact, SetAccuracy } from '../../../../src/shared/results';
import { importance, makeReport } from '../../renderer/fixtures';

const acc = (remaining: number, unlearn: number, test: number): SetAccuracy => ({
  remaining,
  unlearn,
  test,
  remainingExamples: 270,
});
const r0: ImportanceArtifact = {
  ...importance,
  rhoRule: 'fixed',
  layers: [
    { name: 'conv1.weight', shape: [3, 2], scalars: 6, reset: 3 },
    { name: 'conv1.bias', shape: [2], scalars: 2, reset: 0 },
  ],
  resetScalars: 3,
  totalScalars: 8,
  afterReset: acc(0.1, 0.2, 0.1),
  afterFineTune: acc(0.9, 0.5, 0.85),
  fineTuneRounds: 3,
};
const r1: ImportanceArtifact = {
  ...r0,
  stage: 'unlearn:fedmemeraser@1',
  layers: [
    { name: 'conv1.weight', shape: [3, 2], scalars: 6, reset: 1 },
    { name: 'conv1.bias', shape: [2], scalars: 2, reset: 0 },
  ],
  resetScalars: 1,
  afterReset: acc(0.3, 0.4, 0.2),
  afterFineTune: acc(0.8, 0.6, 0.8),
};

describe('eraser panel model', () => {
  it('groups every repeat of an entry, repeats in order, entries in order of appearance', () => {
    const entries = eraserEntries([
      { name: 'unlearn:fedmemeraser@1', json: r1 },
      { name: 'unlearn:wide', json: { ...r0, stage: 'unlearn:wide' } },
      { name: 'unlearn:fedmemeraser', json: r0 },
    ]);
    assert.deepEqual(
      entries.map((e) => e.stage),
      ['unlearn:fedmemeraser', 'unlearn:wide'],
    );
    assert.deepEqual(entries[0].repeats, [r0, r1]);
    assert.equal(entries[0].label, 'FedMemEraser');
  });

  it('repeatStat: no std for one repeat, sample std for two', () => {
    assert.deepEqual(repeatStat([0.5]), { mean: 0.5, std: null, values: [0.5] });
    const s = repeatStat([3, 1]);
    assert.equal(s.mean, 2);
    assert.ok(Math.abs(s.std! - Math.SQRT2) < 1e-12);
  });

  it('per layer: reset mean over repeats and share of the layer (hand-worked), and a total row', () => {
    const t = layerRows([r0, r1])!;
    assert.deepEqual(
      t.rows.map((r) => [r.name, r.shape, r.scalars]),
      [
        ['conv1.weight', '3×2', 6],
        ['conv1.bias', '2', 2],
      ],
    );
    // conv1.weight: 3 and 1 of 6 -> mean 2, std sqrt(2); share 0.5 and 1/6 -> mean 1/3.
    assert.equal(t.rows[0].reset.mean, 2);
    assert.ok(Math.abs(t.rows[0].share.mean! - 1 / 3) < 1e-12);
    assert.equal(t.rows[1].reset.mean, 0);
    assert.deepEqual([t.total.scalars, t.total.reset.mean, t.total.share.mean], [8, 2, 0.25]);
    assert.equal(layerRows([{ ...r0, layers: undefined }]), null, 'an old run has no layers');
  });

  it('accuracy: D_r, D_u, test × after reset / after fine-tuning, mean over repeats', () => {
    const rows = accuracyRows([r0, r1]);
    assert.deepEqual(
      rows.map((r) => r.key),
      ['remaining', 'unlearn', 'test'],
    );
    assert.ok(Math.abs(rows[0].afterReset!.mean! - 0.2) < 1e-12);
    assert.ok(Math.abs(rows[2].afterFineTune!.mean! - 0.825) < 1e-12);
    assert.ok(rows[1].afterReset!.std! > 0);
  });

  it("an old run: no after-reset numbers; after fine-tuning for D_u and test from Table 1's row", () => {
    const old = { ...importance };
    const row = makeReport().rows.find((r) => r.kind === 'method')!;
    const rows = accuracyRows([old], row);
    assert.ok(rows.every((r) => r.afterReset === null));
    assert.equal(rows[0].afterFineTune, null, 'D_r was not assessed before');
    assert.equal(rows[1].afterFineTune, row.unlearnAccuracy);
    assert.equal(rows[2].afterFineTune, row.testAccuracy);
    assert.equal(fineTuneHeading([old]), 'After fine-tuning');
    assert.equal(remainingNote([old]), null);
  });

  it('headings and notes', () => {
    assert.equal(fineTuneHeading([r0]), 'After fine-tuning (3 rounds)');
    assert.equal(fineTuneHeading([{ ...r0, fineTuneRounds: 0 }]), 'Unlearned (no fine-tuning)');
    assert.equal(remainingNote([r0, r1]), 'D_r is measured on all 270 examples of the remaining clients.');
    assert.equal(countText(repeatStat([31759])), '31,759');
    assert.equal(countText(repeatStat([3, 1])), '2 ± 1.4');
    assert.equal(countText(repeatStat([])), '—');
    assert.equal(valueList([0.3, 0.3]), '0.3');
    assert.equal(valueList([0.3, 0.25]), '0.3 and 0.25');
    assert.equal(valueList([1, 2, 3, 4, 5]), '1 to 5');
  });

  it('says how rho was set, in one sentence', () => {
    assert.match(
      rhoSentence([r0]),
      /^ρ = 0\.3, set in the run's settings: the 30% of scalars the remaining clients use least \(smallest \|mean gradient\|\) were re-initialised\.$/,
    );
    const auto: ImportanceArtifact = {
      ...r0,
      rhoRule: 'auto',
      chosenRho: 0.299,
      recommendedRho: 0.299,
      kneePercentile: 94,
      threshold: 0.00009999999999999999,
    };
    const s = rhoSentence([auto]);
    assert.match(s, /ρ “auto” = 0\.299 \(the paper's rule, Appendix H\.3\)/);
    assert.match(s, /from the 94th percentile \(around 10\^-3\).* below 10\^-4\.$/);
    assert.equal(s.split('. ').length, 1, 'one sentence');
    const two = rhoSentence([auto, { ...auto, chosenRho: 0.217, kneePercentile: 96 }]);
    assert.match(two, /= 0\.299 and 0\.217 in the 2 repeats/);
    assert.match(two, /94th and 96th percentile/);
    assert.match(rhoSentence([{ ...r0, rhoRule: 'auto-fallback' }]), /no knee/);
    assert.match(rhoSentence([{ ...r0, rhoRule: 'gamma', gamma: 1e-6, chosenRho: null }]), /below γ = 0\.000001/);
    assert.match(rhoSentence([{ ...r0, selection: 'important' }]), /“Important \(SalUn\)” selection picks/);
  });
});
