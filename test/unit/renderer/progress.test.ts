import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPreset } from '../../../src/shared/presets';
import { etaSeconds, fraction, lastPhase, logEntryOf, logOfEvents, measuredEtaSeconds, phasedFraction, phaseText, plannedRounds } from '../../../src/renderer/src/format/progress';
import { keyMetrics } from '../../../src/renderer/src/format/run-summary';

describe('live progress', () => {
  it('counts planned rounds the way the engine does', () => {
    // tiny: 3 rounds, J = 2, finetune 1 + fedmemeraser 1 -> 3 + 6 + 2.
    assert.equal(plannedRounds(getPreset('tiny')), 11);
    const base = { seed: 1, dataset: { id: 'mnist' }, partition: { clients: 3 }, training: { rounds: 10 } };
    assert.equal(plannedRounds(base), 10);
    // Default method rounds: 30% of training rounds; J defaults to 3; repeats multiply.
    const request = { kind: 'clients', clients: [0] };
    assert.equal(plannedRounds({ ...base, repeats: 2, unlearning: { request, methods: [{ id: 'finetune' }, { id: 'retrain' }] } }), 2 * (10 + 30 + 3));
    // Methods that do not train count one round; FedOSD counts its unlearning rounds too.
    assert.equal(plannedRounds({ ...base, unlearning: { request, methods: [{ id: 'fedau' }, { id: 'fedosd', unlearningRounds: 5 }] } }), 10 + 30 + 1 + 5 + 3);
    assert.equal(plannedRounds({}), null);
  });
  it('extrapolates the ETA from the mean round time', () => {
    assert.equal(etaSeconds({ done: 2, total: 10 }, 4000), 16);
    assert.equal(etaSeconds({ done: 10, total: 10 }, 4000), 0);
    assert.equal(etaSeconds({ done: 0, total: 10 }, 4000), null);
    assert.equal(etaSeconds(null, 4000), null);
  });
  it('clamps the fraction', () => {
    assert.equal(fraction({ done: 3, total: 4 }), 0.75);
    assert.equal(fraction({ done: 5, total: 4 }), 1);
    assert.equal(fraction(null), 0);
  });
  it('names the phase, with the repeat when there are several', () => {
    const p = { phase: 'retraining' as const, stage: 'retrain:1@2', label: 'retraining 2 of 3' };
    assert.equal(phaseText(p, 3), 'repeat 3 of 3: retraining 2 of 3');
    assert.equal(phaseText({ ...p, stage: 'retrain:1' }, 1), 'retraining 2 of 3');
    assert.equal(phaseText(null), 'starting');
  });
  it('finds the last phase in stored events', () => {
    const events = [
      { type: 'phase', data: { phase: 'training', stage: 'original', label: 'a' } },
      { type: 'log', data: {} },
      { type: 'phase', data: { phase: 'unlearning', stage: 'unlearn:finetune', label: 'b' } },
      { type: 'done', data: {} },
    ];
    assert.equal(lastPhase(events)?.label, 'b');
    assert.equal(lastPhase([]), null);
  });
});

describe('phase-aware progress (issue 12)', () => {
  it('holds back the evaluation share until the run is done', () => {
    assert.equal(phasedFraction({ done: 10, total: 10 }, false, 0.1), 0.9);
    assert.equal(phasedFraction({ done: 5, total: 10 }, false, 0.1), 0.45);
    assert.equal(phasedFraction({ done: 10, total: 10 }, true, 0.1), 1);
    assert.equal(phasedFraction({ done: 10, total: 10 }, false, 0), 1);
    assert.equal(phasedFraction(null, false), 0);
  });
  it('estimates from the rounds measured in this run, plus evaluation', () => {
    const samples = [
      { atMs: 100_000, done: 2 },
      { atMs: 105_000, done: 3 },
      { atMs: 110_000, done: 4 },
    ];
    // 10 s for 2 rounds = 5 s a round; 6 rounds left = 30 s.
    assert.equal(measuredEtaSeconds(samples, 10, false, 0), 30);
    // Evaluation as 10% of the run: 10 rounds · 5 s · 0.1 / 0.9 = 5.56 s more.
    assert.ok(Math.abs(measuredEtaSeconds(samples, 10, false, 0.1)! - (30 + 50 / 9)) < 1e-9);
    // All rounds done, evaluation still running: only the evaluation share is left.
    assert.ok(Math.abs(measuredEtaSeconds([...samples, { atMs: 140_000, done: 10 }], 10, false, 0.1)! - (10 * 5 * 0.1) / 0.9) < 1e-9);
    // Time before the first round seen (loading, a reused training) does not count.
    assert.equal(measuredEtaSeconds([{ atMs: 500_000, done: 8 }, { atMs: 502_000, done: 9 }], 10, false, 0), 2);
    assert.equal(measuredEtaSeconds(samples.slice(0, 1), 10, false), null);
    assert.equal(measuredEtaSeconds([], 10, false), null);
    assert.equal(measuredEtaSeconds(samples, 10, true), 0);
  });
  it('turns phase, log and error events into log lines', () => {
    assert.deepEqual(logEntryOf('phase', { phase: 'evaluating', stage: 'gme', label: 'scoring' }, 't'), { at: 't', kind: 'phase', text: 'scoring' });
    assert.deepEqual(logEntryOf('log', { level: 'warn', message: 'cache miss' }), { at: '', kind: 'warn', text: 'cache miss' });
    assert.equal(logEntryOf('round', {}), null);
    const events = [
      { at: 'a', type: 'started', data: {} },
      { at: 'b', type: 'phase', data: { label: 'training' } },
      { at: 'c', type: 'log', data: { level: 'info', message: 'hello' } },
      { at: 'd', type: 'round', data: {} },
    ];
    assert.deepEqual(logOfEvents(events).map((e) => [e.at, e.kind, e.text]), [['b', 'phase', 'training'], ['c', 'info', 'hello']]);
  });
});

describe('runs list key metrics', () => {
  it('reads the original and each report row from the summary', () => {
    const row = (label: string, testAccuracy: number) => ({ key: `unlearn:${label}`, label, kind: 'method' as const, testAccuracy, unlearnAccuracy: 0.78, topGroupDelta: 0.1 });
    // A user may label a method "methods" or "testAccuracy": rows are a list, so no label collides with a field.
    const m = keyMetrics({ testAccuracy: 0.8125, unlearnedExamples: 200, rows: [row('Fine-tune', 0.8225), row('testAccuracy', 0.5)] });
    assert.deepEqual(m.map((x) => [x.label, x.value]), [['Original', '81.3%'], ['Fine-tune', '82.3%'], ['testAccuracy', '50.0%']]);
    assert.match(m[1].title, /D_u 78\.0%/);
    assert.deepEqual(keyMetrics(null), []);
  });
  it('still reads summaries stored before they were typed (rows keyed by label)', () => {
    const legacy = { testAccuracy: 0.8125, 'Fine-tune': { testAccuracy: 0.8225, unlearnAccuracy: 0.78 }, methods: ['Fine-tune'], unlearnedExamples: 200 };
    const m = keyMetrics(legacy as never);
    assert.deepEqual(m.map((x) => [x.label, x.value]), [['Original', '81.3%'], ['Fine-tune', '82.3%']]);
  });
});
