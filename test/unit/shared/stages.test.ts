/** Stage ids are built and read back in one place; labels are the user's and may hold ':' or '@'. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { artifactKey, artifactsByRepeat } from '../../../src/shared/results';
import {
  parseRepeatName,
  parseStageId,
  repeatName,
  stageDisplayName,
  stageId,
  type StageRef,
} from '../../../src/shared/stages';

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
  for (const id of ['prepare', 'gme', 'gme@1', 'loss-surface', 'retrain:x', 'unlearn:', 'weird:1'])
    assert.equal(parseStageId(id), null, id);
});

test('display names', () => {
  assert.equal(stageDisplayName({ role: 'retrain', index: 0, repeat: 0 }), 'Retrained 1');
  assert.equal(stageDisplayName({ role: 'reference', index: 1, repeat: 1 }), 'Held-out retrained 2 (repeat 2)');
  assert.equal(
    stageDisplayName({ role: 'unlearn', label: 'finetune', repeat: 0 }, (l) => l.toUpperCase()),
    'FINETUNE',
  );
});

test('per-repeat artifact names follow the stage rule: repeat 0 bare, later repeats "@k"', () => {
  assert.equal(repeatName('csl', 0), 'csl');
  assert.equal(repeatName('loss-surface', 2), 'loss-surface@2');
  assert.deepEqual(parseRepeatName('loss-surface@12'), { base: 'loss-surface', repeat: 12 });
  assert.deepEqual(parseRepeatName('a@b'), { base: 'a@b', repeat: 0 }, 'only a trailing @<digits> is a repeat');
});

test('artifactsByRepeat orders copies by repeat number (not by text: @10 after @2) and skips other names', () => {
  const rec = Object.fromEntries(
    ['csl@10', 'csl', 'csl@2', 'csl@1', 'other']
      .map((n) => [artifactKey('csl', n), { n }])
      .concat([[artifactKey('time', 'time'), { n: 'time' }]]),
  );
  assert.deepEqual(
    artifactsByRepeat(rec, 'csl').map((a) => [a.repeat, (a.json as unknown as { n: string }).n]),
    [
      [0, 'csl'],
      [1, 'csl@1'],
      [2, 'csl@2'],
      [10, 'csl@10'],
    ],
  );
  assert.deepEqual(artifactsByRepeat(rec, 'loss-surface'), [], 'a run without the artifact');
});

test('a stage reference carries exactly what its role names it by', () => {
  // @ts-expect-error a retrained model needs its index
  const noIndex: StageRef = { role: 'retrain', repeat: 0 };
  // @ts-expect-error a method's stage needs its label
  const noLabel: StageRef = { role: 'unlearn', repeat: 0 };
  assert.ok(noIndex && noLabel);
  const ref = parseStageId('reference:3@2');
  assert.ok(ref?.role === 'reference');
  assert.equal(ref.index, 3, 'the role narrows the reference to one with an index');
});
