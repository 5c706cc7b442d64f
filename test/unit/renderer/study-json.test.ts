/** A pasted study is checked with the study schema main uses; its problems name the fields. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStudyJson, looksLikeStudy } from '../../../src/renderer/src/studies/study-json';

const base = { seed: 1, dataset: { id: 'mnist' } };

test('a whole study is told from a base config by its base and axes', () => {
  assert.equal(looksLikeStudy({ base, axes: [] }), true);
  assert.equal(looksLikeStudy({ base, axes: 'rho' }), false);
  assert.equal(looksLikeStudy(base), false);
});

test('a valid study passes with the schema’s defaults filled in', () => {
  const r = checkStudyJson({ base, axes: [{ path: 'seed', values: [1, 2] }] });
  assert.equal(r.error, null);
  assert.deepEqual(r.study && [r.study.combine, r.study.seeds, r.study.share], ['grid', 1, true]);
});

test('an invalid study is refused in the schema’s words, naming each field', () => {
  const r = checkStudyJson({ base, axes: [{ path: '', values: [] }], seeds: 0, extra: true });
  assert.equal(r.study, null);
  assert.match(r.error ?? '', /^The study is not valid: /);
  for (const field of [
    'axes.0.path: must not be empty',
    'axes.0.values: must list at least one value',
    'seeds: must be at least 1',
  ])
    assert.ok(r.error?.includes(field), `${field} in: ${r.error}`);
  assert.match(r.error ?? '', /extra/, 'an unknown key is named');
});

test('three axes are refused at the axes field', () => {
  const axis = { path: 'seed', values: [1] };
  assert.match(checkStudyJson({ base, axes: [axis, axis, axis] }).error ?? '', /axes: must have at most two axes/);
});
