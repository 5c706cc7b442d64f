import assert from 'node:assert/strict';
import { test } from 'node:test';
import { artifactLabel, artifactLines, inlineArtifactRows, roundLines } from '../../../src/main/cli/show-text';

test('an artifact named as its kind (or a repeat of it) is listed once; others as kind/name', () => {
  const rows = inlineArtifactRows({
    'report/report': {},
    'csl/csl@1': {},
    'importance/unlearn:fedmemeraser': {},
    'partition/partition': {},
  });
  assert.deepEqual(rows.map(artifactLabel), ['report', 'csl@1', 'importance/unlearn:fedmemeraser', 'partition']);
  assert.equal(artifactLabel({ kind: 'weights', name: 'original' }), 'weights/original');
});

test('file artifacts line their paths up after the longest name', () => {
  const file = (name: string) => ({
    kind: 'weights',
    name,
    path: `weights/r/${name}.fmw`,
    sha256: 'ab'.repeat(32),
    bytes: 10,
  });
  const lines = artifactLines([
    file('original'),
    file('unlearn:fedmemeraser'),
    ...inlineArtifactRows({ 'report/report': {} }),
  ]);
  assert.equal(lines[0].indexOf('weights/r/'), lines[1].indexOf('weights/r/'));
  assert.equal(lines[2], '  report');
});

test('the stage column fits the longest stage id, so every later column lines up', () => {
  const round = (stage: string) => ({ stage, round: 1, testAccuracy: 0.5, testLoss: 1, trainLoss: 1, elapsedMs: 1000 });
  const lines = roundLines([round('original'), round('unlearn:a-long-method-label@1')]);
  const at = (line: string) => line.indexOf('0.5000');
  assert.equal(at(lines[1]), at(lines[2]));
  const end = lines[0].indexOf('round') + 'round'.length;
  for (const line of lines.slice(1))
    assert.equal(line.slice(end - 6, end), '     1', 'the round number under its header');
  assert.match(roundLines([round('original')])[0], /^stage {12}round/, 'short ids keep the 16-wide column');
});
