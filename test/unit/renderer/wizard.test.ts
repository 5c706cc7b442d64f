import assert from 'node:assert/strict';
import { reactive } from 'vue';
import { describe, it } from 'node:test';
import { parseConfig, validateConfig } from '../../../src/shared/config';
import { getPreset, presetNames } from '../../../src/shared/presets';
import {
  addressAnalysisIssues,
  fieldForIssue,
  hasControl,
  issuesByField,
  issuesForStep,
  orphanIssues,
  stepForField,
} from '../../../src/renderer/src/wizard/fields';
import { configToForm, emptyForm, formToConfig, newMethod } from '../../../src/renderer/src/wizard/form';
import { num, numList, parseGroups } from '../../../src/renderer/src/wizard/text';

const issuesOf = (form: ReturnType<typeof emptyForm>) => {
  const r = validateConfig(formToConfig(form));
  return r.ok ? [] : r.issues;
};

describe('wizard config builder', () => {
  it('the empty form is a valid config (train-only)', () => {
    const cfg = parseConfig(formToConfig(emptyForm()));
    assert.equal(cfg.dataset.id, 'mnist');
    assert.equal(cfg.unlearning, undefined);
  });

  for (const name of presetNames()) {
    it(`preset "${name}" survives config -> form -> config`, () => {
      const preset = getPreset(name);
      // Paper presets leave the dataset folder to the user.
      if (['idx', 'cifar10', 'cifar100'].includes(preset.dataset.id)) preset.dataset.path ??= '/data/set';
      const back = formToConfig(configToForm(preset));
      assert.deepEqual(parseConfig(back), parseConfig(preset));
    });
  }

  it('builds an unlearning config parseConfig accepts', () => {
    const f = emptyForm();
    f.values['partition.clients'] = '4';
    f.unlearning.enabled = true;
    f.unlearning.kind = 'clients';
    f.unlearning.clients = '0, 2';
    f.methods = [newMethod('finetune'), newMethod('fedmemeraser')];
    f.methods[0].values.rounds = '3';
    f.methods[1].values.rho = 'auto';
    f.methods[1].values.selection = 'important';
    f.evaluation.lossSurface = false;
    f.evaluation.groups = '90-100, 0-90';
    const cfg = parseConfig(formToConfig(f));
    assert.deepEqual(cfg.unlearning?.request, { kind: 'clients', clients: [0, 2] });
    assert.deepEqual(cfg.unlearning?.methods, [
      { id: 'finetune', rounds: 3 },
      { id: 'fedmemeraser', rho: 'auto', selection: 'important', locate: 'gradient' },
    ]);
    assert.equal(cfg.evaluation.lossSurface, false);
    assert.deepEqual(cfg.evaluation.groups, [
      [90, 100],
      [0, 90],
    ]);
  });

  it('sends only the fields of the chosen request kind', () => {
    const f = emptyForm();
    f.unlearning.enabled = true;
    f.unlearning.kind = 'examples';
    f.unlearning.examplesMode = 'random';
    f.unlearning.randomExamples = '50';
    f.unlearning.clients = '0';
    const cfg = parseConfig(formToConfig(f));
    assert.deepEqual(cfg.unlearning?.request, { kind: 'examples', randomExamples: 50 });
  });

  it('converts the form as the app holds it: inside a reactive (proxied) store', () => {
    const preset = getPreset('quick');
    const form = reactive(configToForm({ ...preset, custom: { kept: [1, 2] } }));
    form.values['training.lr'] = '0.002';
    const cfg = formToConfig(form) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(cfg.training.lr, 0.002);
    assert.deepEqual(cfg.custom, { kept: [1, 2] });
  });

  it('keeps keys the form has no control for (round trip of a loaded file)', () => {
    const input = {
      seed: 3,
      dataset: { id: 'idx', path: '/data/emnist', transpose: true, labelNoise: { clients: [1], rate: 0.5 } },
      partition: { clients: 5, scheme: 'dirichlet', alpha: 0.1 },
      training: { rounds: 2 },
      unlearning: {
        request: { kind: 'class', class: 3 },
        methods: [{ id: 'fedmemeraser', gamma: 0.001, label: 'gamma' }],
      },
    };
    const cfg = parseConfig(formToConfig(configToForm(input)));
    assert.deepEqual(cfg.dataset.labelNoise, { clients: [1], rate: 0.5 });
    assert.equal(cfg.dataset.transpose, true);
    assert.equal(cfg.partition.alpha, 0.1);
    assert.deepEqual(cfg.unlearning?.request, { kind: 'class', class: 3 });
    assert.equal((cfg.unlearning?.methods[0] as { gamma?: number }).gamma, 0.001);
  });

  it('a stored (parsed) config duplicates to the same config', () => {
    const stored = parseConfig({
      ...getPreset('tiny'),
      unlearning: { request: { kind: 'clients', clients: [1] }, methods: [{ id: 'fedmemeraser', rho: 0.4 }] },
    });
    assert.deepEqual(parseConfig(formToConfig(configToForm(stored))), stored);
  });

  it('passes text that is not a number to the schema, which names the field', () => {
    const f = emptyForm();
    f.values['training.lr'] = 'fast';
    assert.deepEqual(issuesOf(f), [{ path: 'training.lr', message: 'must be a number (got "fast")' }]);
  });

  it('an empty required field is reported as required', () => {
    const f = emptyForm();
    f.values['training.rounds'] = '';
    assert.deepEqual(issuesOf(f), [{ path: 'training.rounds', message: 'is required' }]);
  });

  it('drops the path for datasets that do not need one and requires it for those that do', () => {
    const f = emptyForm();
    f.values['dataset.path'] = '/somewhere';
    assert.equal((formToConfig(f).dataset as { path?: string }).path, undefined);
    f.values['dataset.id'] = 'cifar10';
    f.values['dataset.path'] = '  ';
    assert.deepEqual(issuesOf(f), [{ path: 'dataset.path', message: 'is required for dataset "cifar10"' }]);
  });
});

describe('text helpers', () => {
  it('num', () => {
    assert.equal(num(' 1e-3 '), 0.001);
    assert.equal(num(''), undefined);
    assert.equal(num('abc'), 'abc');
  });
  it('numList', () => {
    assert.deepEqual(numList('0, 2;3  4'), [0, 2, 3, 4]);
    assert.deepEqual(numList('1, x'), [1, 'x']);
    assert.equal(numList(' '), undefined);
  });
  it('parseGroups', () => {
    assert.deepEqual(parseGroups('95-100, 0 - 80;'), [
      [95, 100],
      [0, 80],
    ]);
    assert.deepEqual(parseGroups('95-100, top'), [[95, 100], 'top']);
    assert.equal(parseGroups(' , '), undefined);
  });
});

describe('issue path -> field mapping', () => {
  it('maps scalar paths to themselves and list items to the list field', () => {
    assert.equal(fieldForIssue('training.lr'), 'training.lr');
    assert.equal(fieldForIssue('unlearning.request.clients.1'), 'unlearning.request.clients');
    assert.equal(fieldForIssue('evaluation.groups.0.1'), 'evaluation.groups');
    assert.equal(fieldForIssue('dataset.labelNoise.clients.0'), 'dataset.labelNoise.clients');
    assert.equal(fieldForIssue('unlearning.methods.1.rho'), 'unlearning.methods.1.rho');
  });
  it('assigns fields to steps by the longest prefix', () => {
    assert.equal(stepForField('dataset.path'), 'dataset');
    assert.equal(stepForField('dataset.labelNoise.rate'), 'partition');
    assert.equal(stepForField('training.lr'), 'model');
    assert.equal(stepForField('seed'), 'model');
    assert.equal(stepForField('unlearning.request.class'), 'request');
    assert.equal(stepForField('unlearning.methods.0.rounds'), 'methods');
    assert.equal(stepForField('evaluation.lossSurface.steps'), 'evaluation');
    assert.equal(stepForField('repeats'), 'evaluation');
    assert.equal(stepForField(''), 'review');
    assert.equal(stepForField('name'), 'review');
  });
  it('gives a message per field, naming the item of a list', () => {
    const f = emptyForm();
    f.values['partition.clients'] = '3';
    f.unlearning.enabled = true;
    f.unlearning.clients = '0, 5';
    f.values['training.lr'] = '-1';
    const issues = issuesOf(f);
    const byField = issuesByField(issues);
    assert.equal(byField['training.lr'], 'must be greater than 0');
    assert.equal(byField['unlearning.request.clients'], 'item 2: client 5 does not exist (partition has 3 clients)');
    assert.deepEqual(
      issuesForStep(issues, 'model').map((i) => i.path),
      ['training.lr'],
    );
    assert.deepEqual(
      issuesForStep(issues, 'request').map((i) => i.path),
      ['unlearning.request.clients.1'],
    );
  });
  it('knows which fields have a control; the rest are listed on their step', () => {
    assert.ok(hasControl('unlearning.methods.3.selection'));
    assert.ok(hasControl('evaluation.lossSurface.steps'));
    assert.ok(!hasControl('training'));
    const issues = [
      { path: 'training', message: 'unknown key "foo"' },
      { path: 'training.lr', message: 'x' },
    ];
    assert.deepEqual(orphanIssues(issues, 'model'), [{ path: 'training', message: 'unknown key "foo"' }]);
  });

  it("names an analysis's problems by the analysis and puts them on its own field, not 'item N'", () => {
    const f = emptyForm();
    f.evaluation.analyses.distances.on = true;
    f.evaluation.analyses.stability.on = true;
    f.evaluation.analyses.stability.threshold = '2';
    f.evaluation.analyses.reset.on = true;
    f.evaluation.analyses.reset.ratios = '0.1, 3';
    const config = formToConfig(f);
    const raw = issuesOf(f);
    // Position 1 is stability and 2 is reset only because distances is on: the re-addressing must read the config.
    assert.deepEqual(raw.map((i) => i.path).sort(), [
      'evaluation.analyses.1.threshold',
      'evaluation.analyses.2.ratios.1',
    ]);
    const byField = issuesByField(addressAnalysisIssues(raw, config));
    assert.equal(byField['evaluation.analyses.stability.threshold'], 'must be less than 1');
    // A list-valued parameter keeps naming the list's own item (the second ratio typed).
    assert.equal(byField['evaluation.analyses.reset.ratios'], 'item 2: must be at most 1');
    assert.equal(byField['evaluation.analyses'], undefined);
    assert.ok(hasControl('evaluation.analyses.reset.ratios') && !hasControl('evaluation.analyses.reset.nonsense'));
    // An issue on an entry as a whole (an unknown key) goes to the block, named by the analysis.
    const whole = addressAnalysisIssues(
      [{ path: 'evaluation.analyses.0', message: 'has an unknown key "foo"' }],
      config,
    );
    assert.deepEqual(whole, [
      { path: 'evaluation.analyses', message: 'Parameter distances: has an unknown key "foo"' },
    ]);
    assert.equal(fieldForIssue('evaluation.analyses.distances.nonsense'), 'evaluation.analyses');
  });
});
