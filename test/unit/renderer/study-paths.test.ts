/** Axis paths the builder suggests: read off the base config, each one resolving to the entry it names. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPreset } from '../../../src/shared/presets';
import { setPath } from '../../../src/shared/study';
import { getStudyPreset } from '../../../src/shared/study-presets';
import { methodSelector, parentExists, suggestAxisPaths } from '../../../src/renderer/src/studies/axis-paths';
import { TINY_STUDY_BASE } from '../../e2e/support/tiny-study';

const tinyBase = TINY_STUDY_BASE;

describe('suggested axis paths', () => {
  it('offers each method parameter by the id that picks the entry, with its kind and current value', () => {
    const s = suggestAxisPaths(tinyBase);
    const rho = s.find((x) => x.path === 'unlearning.methods[fedmemeraser].rho');
    assert.ok(rho, s.map((x) => x.path).join('\n'));
    assert.equal(rho.kind, 'number-or-word');
    assert.deepEqual(rho.choices, ['auto']);
    assert.equal(rho.current, 0.3);
    assert.equal(rho.group, 'FedMemEraser');
    const selection = s.find((x) => x.path === 'unlearning.methods[fedmemeraser].selection')!;
    assert.equal(selection.kind, 'enum');
    assert.ok(
      selection.choices.includes('important') && selection.choices.includes('redundant'),
      selection.choices.join(),
    );
    assert.equal(selection.current, undefined);
    // Text parameters cannot be swept by number or choice; retrain has none at all.
    assert.ok(!s.some((x) => x.path.includes('[retrain]')));
  });

  it('offers the data, training and evaluation knobs and the leaving clients as a list', () => {
    const paths = suggestAxisPaths(tinyBase).map((x) => x.path);
    for (const p of [
      'partition.alpha',
      'partition.clients',
      'partition.scheme',
      'unlearning.request.clients',
      'training.lr',
      'training.rounds',
      'training.localEpochs',
      'evaluation.retrainModels',
      'evaluation.memorization',
    ]) {
      assert.ok(paths.includes(p), p);
    }
    const clients = suggestAxisPaths(tinyBase).find((x) => x.path === 'unlearning.request.clients')!;
    assert.equal(clients.kind, 'list');
    assert.deepEqual(clients.current, [0]);
    assert.equal(suggestAxisPaths(tinyBase).find((x) => x.path === 'training.rounds')!.kind, 'integer');
  });

  it('leaves out paths whose section the base lacks (setPath would refuse them)', () => {
    const { evaluation: _e, ...noEval } = tinyBase;
    const paths = suggestAxisPaths(noEval).map((x) => x.path);
    assert.ok(!paths.some((p) => p.startsWith('evaluation.')), paths.join());
    assert.ok(paths.includes('training.lr'));
    assert.equal(parentExists(noEval, 'evaluation.memorization'), false);
    assert.equal(parentExists(noEval, 'training.momentum'), true);
    assert.deepEqual(suggestAxisPaths(null), []);
  });

  it('names an entry by its row label when its id is shared, and every suggested path resolves to that entry', () => {
    const quick = getPreset('quick') as Record<string, unknown>;
    const methods = (quick.unlearning as { methods: Record<string, unknown>[] }).methods;
    // Two FedMemEraser entries: the unlabelled one goes by its row label, the other by its own label.
    assert.deepEqual(methodSelector(methods, 2), { bracket: 'FedMemEraser' });
    assert.deepEqual(methodSelector(methods, 3), { bracket: "FedMemEraser (authors' locate)" });
    assert.deepEqual(methodSelector(methods, 1), { bracket: 'finetune' });
    const indexOf: Record<string, number> = { 'Fine-tune': 1, FedMemEraser: 2, "FedMemEraser (authors' locate)": 3 };
    const methodPaths = suggestAxisPaths(quick).filter((x) => x.path.startsWith('unlearning.methods'));
    assert.deepEqual([...new Set(methodPaths.map((x) => x.group))], Object.keys(indexOf));
    for (const s of methodPaths) {
      const changed = setPath(quick, s.path, 12345) as { unlearning: { methods: Record<string, unknown>[] } };
      const param = s.path.split('.').pop()!;
      assert.equal(changed.unlearning.methods[indexOf[s.group]][param], 12345, s.path);
    }
  });

  it('falls back to the position when neither id nor label can name the entry', () => {
    const methods = [
      { id: 'finetune', label: 'a.b' },
      { id: 'finetune', label: 'a.b' },
    ];
    assert.deepEqual(methodSelector(methods, 1), { position: 1 });
    const paths = suggestAxisPaths({ unlearning: { methods } }).map((x) => x.path);
    assert.ok(paths.includes('unlearning.methods.1.rounds'), paths.join());
  });

  it('fills the f2-rho preset path the way the study preset writes it', () => {
    const preset = getStudyPreset('f2-rho');
    assert.ok(suggestAxisPaths(preset.base).some((x) => x.path === preset.axes[0].path));
  });
});
