/** Stage ids are built and read back in one place; labels are the user's and may hold ':' or '@'. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStageId, stageDisplayName, stageId, type StageRef } from '../../../src/shared/stages';

test('every role round-trips through its id, with and without a repeat', () => {
  const refs: StageRef[] = [
    { role: 'original', repeat: 0 },
    { role: 'original', repeat: 2 },
    { role: 'retrain', index: 0, repeat: 0 },
    { role: 'retrain', index: 11, repeat: 1 },
    { role: 'reference', index: 1, repeat: 0 },
    { role: 'unlearn', label: 'fedmemeraser', repeat: 0 },
    { role: 'unlearn', label: 'rho 0.3: a@b', repeat: 3 },
  ];
  for (const ref of refs) assert.deepEqual(parseStageId(stageId(ref)), ref, stageId(ref));
  assert.equal(stageId({ role: 'retrain', index: 2, repeat: 1 }), 'retrain:2@1', 'the stored form is unchanged');
  assert.equal(stageId({ role: 'unlearn', label: 'finetune', repeat: 0 }), 'unlearn:finetune');
});

test('ids this module did not make are not stages', () => {
  for (const id of ['prepare', 'gme', 'gme@1', 'loss-surface', 'retrain:x', 'unlearn:', 'weird:1']) assert.equal(parseStageId(id), null, id);
});

test('display names', () => {
  assert.equal(stageDisplayName({ role: 'retrain', index: 0, repeat: 0 }), 'Retrained 1');
  assert.equal(stageDisplayName({ role: 'reference', index: 1, repeat: 1 }), 'Held-out retrained 2 (repeat 2)');
  assert.equal(stageDisplayName({ role: 'unlearn', label: 'finetune', repeat: 0 }, (l) => l.toUpperCase()), 'FINETUNE');
});
