/** The rounds each method entry records, counted by hand for one setting of every method. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../src/shared/config';
import { plannedRounds, runPlannedRounds } from '../../../src/shared/method-rounds';
import { methodSchema, METHOD_IDS } from '../../../src/shared/method-schemas';

test('every method: its own rounds, the 30% default, one for an operation, the intervals of FedEraser', () => {
  const T = 20;
  const expected: Record<(typeof METHOD_IDS)[number], number> = {
    retrain: 20,
    finetune: 6,
    fedmemeraser: 6,
    halimi: 6,
    liu: 6,
    fedrecovery: 1,
    fedau: 1,
    fedosd: 100 + 6,
    not: 6,
    federaser: 10, // rounds 1, 3, ..., 19
  };
  for (const id of METHOD_IDS) assert.equal(plannedRounds(methodSchema.parse({ id }), T), expected[id], id);
  assert.equal(plannedRounds(methodSchema.parse({ id: 'federaser', interval: 7 }), T), 3, 'rounds 1, 8, 15');
  assert.equal(plannedRounds(methodSchema.parse({ id: 'fedosd', unlearningRounds: 4, rounds: 0 }), T), 4);
  assert.equal(plannedRounds(methodSchema.parse({ id: 'not', rounds: 2 }), T), 2);
});

test('a run: per repeat the original, J + K retrained models and every method but the retrain label', () => {
  const config = parseConfig({
    seed: 1,
    dataset: { id: 'mnist' },
    partition: { clients: 4 },
    training: { rounds: 10 },
    unlearning: {
      request: { kind: 'clients', clients: [0] },
      methods: [{ id: 'retrain' }, { id: 'finetune' }, { id: 'fedau' }, { id: 'federaser', interval: 5 }],
    },
    evaluation: { retrainModels: 2, referenceModels: 1 },
    repeats: 3,
  });
  assert.equal(runPlannedRounds(config), 3 * (10 + 3 * 10 + 3 + 1 + 2));
});
