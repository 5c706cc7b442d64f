import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPreset } from '../../../src/shared/presets';
import {
  etaSeconds,
  fraction,
  lastPhase,
  logEntryOf,
  logOfEvents,
  phaseText,
  plannedEvaluations,
  plannedRounds,
} from '../../../src/shared/progress';
import { keyMetrics } from '../../../src/renderer/src/format/run-summary';

describe('live progress', () => {
  it('counts planned rounds the way the engine does', () => {
    // tiny: 3 rounds, J = 2, finetune 1 + fedmemeraser 1 -> 3 + 6 + 2.
    assert.equal(plannedRounds(getPreset('tiny')), 11);
    const base = { seed: 1, dataset: { id: 'mnist' }, partition: { clients: 3 }, training: { rounds: 10 } };
    assert.equal(plannedRounds(base), 10);
    // Default method rounds: 30% of training rounds; J defaults to 3; repeats multiply.
    const request = { kind: 'clients', clients: [0] };
    assert.equal(
      plannedRounds({ ...base, repeats: 2, unlearning: { request, methods: [{ id: 'finetune' }, { id: 'retrain' }] } }),
      2 * (10 + 30 + 3),
    );
    // Methods that do not train count one round; FedOSD counts its unlearning rounds too.
    assert.equal(
      plannedRounds({
        ...base,
        unlearning: { request, methods: [{ id: 'fedau' }, { id: 'fedosd', unlearningRounds: 5 }] },
      }),
      10 + 30 + 1 + 5 + 3,
    );
    assert.equal(plannedRounds({}), null);
  });
  it('counts the evaluation phases the engine goes through: GME per repeat, then the report', () => {
    assert.equal(plannedEvaluations({ ...getPreset('quick'), repeats: 2 }), 3);
    assert.equal(
      plannedEvaluations({ seed: 1, dataset: { id: 'mnist' }, partition: { clients: 3 }, training: { rounds: 10 } }),
      0,
      'training only',
    );
    assert.equal(plannedEvaluations({}), 0);
  });
  it('extrapolates the ETA from the mean round time', () => {
    assert.equal(etaSeconds({ done: 2, total: 10 }, 4000), 16);
    assert.equal(etaSeconds({ done: 10, total: 10 }, 4000), 0);
    assert.equal(etaSeconds({ done: 0, total: 10 }, 4000), null);
    assert.equal(etaSeconds(null, 4000), null);
    // 8 of 10 rounds done, 6 of them replayed at once: 4 s over 2 trained rounds, 2 left.
    assert.equal(etaSeconds({ done: 8, total: 10, replayed: 6 }, 4000), 4);
    assert.equal(etaSeconds({ done: 6, total: 10, replayed: 6 }, 4000), null);
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

describe('live log (issue 12)', () => {
  it('turns phase, log and error events into log lines', () => {
    assert.deepEqual(logEntryOf('phase', { phase: 'evaluating', stage: 'gme', label: 'scoring' }, 't'), {
      at: 't',
      kind: 'phase',
      text: 'scoring',
    });
    assert.deepEqual(logEntryOf('log', { level: 'warn', message: 'cache miss' }), {
      at: '',
      kind: 'warn',
      text: 'cache miss',
    });
    assert.equal(logEntryOf('round', {}), null);
    const events = [
      { at: 'a', type: 'started', data: {} },
      { at: 'b', type: 'phase', data: { label: 'training' } },
      { at: 'c', type: 'log', data: { level: 'info', message: 'hello' } },
      { at: 'd', type: 'round', data: {} },
    ];
    assert.deepEqual(
      logOfEvents(events).map((e) => [e.at, e.kind, e.text]),
      [
        ['b', 'phase', 'training'],
        ['c', 'info', 'hello'],
      ],
    );
  });
});

describe('runs list key metrics', () => {
  it('reads the original and each report row from the summary', () => {
    const row = (label: string, testAccuracy: number) => ({
      key: `unlearn:${label}`,
      label,
      kind: 'method' as const,
      testAccuracy,
      unlearnAccuracy: 0.78,
      topGroupDelta: 0.1,
    });
    // A user may label a method "methods" or "testAccuracy": rows are a list, so no label collides with a field.
    const m = keyMetrics({
      testAccuracy: 0.8125,
      unlearnedExamples: 200,
      rows: [row('Fine-tune', 0.8225), row('testAccuracy', 0.5)],
    });
    assert.deepEqual(
      m.map((x) => [x.label, x.value]),
      [
        ['Original', '81.3%'],
        ['Fine-tune', '82.3%'],
        ['testAccuracy', '50.0%'],
      ],
    );
    assert.match(m[1].title, /D_u 78\.0%/);
    assert.deepEqual(keyMetrics(null), []);
  });
  it('still reads summaries stored before they were typed (rows keyed by label)', () => {
    const legacy = {
      testAccuracy: 0.8125,
      'Fine-tune': { testAccuracy: 0.8225, unlearnAccuracy: 0.78 },
      methods: ['Fine-tune'],
      unlearnedExamples: 200,
    };
    const m = keyMetrics(legacy);
    assert.deepEqual(
      m.map((x) => [x.label, x.value]),
      [
        ['Original', '81.3%'],
        ['Fine-tune', '82.3%'],
      ],
    );
  });
});
