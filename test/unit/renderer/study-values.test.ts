/** The values box and the builder form: typed text to the study definition and back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { studySchema } from '../../../src/shared/study';
import { getStudyPreset, studyPresetNames } from '../../../src/shared/study-presets';
import { emptyAxis, formFromStudy, studyFromForm } from '../../../src/renderer/src/studies/builder-form';
import { parseValuesText, valuesToText } from '../../../src/renderer/src/studies/values-text';

describe('axis values as text', () => {
  it('reads numbers as numbers, words as text, true/false as switches', () => {
    assert.deepEqual(parseValuesText('0, 0.4, 0.8'), { values: [0, 0.4, 0.8], error: null });
    assert.deepEqual(parseValuesText('important,localized , 1e-3'), {
      values: ['important', 'localized', 0.001],
      error: null,
    });
    assert.deepEqual(parseValuesText('true, false').values, [true, false]);
    assert.deepEqual(parseValuesText('"0.5", \'a, b\'').values, ['0.5', 'a, b']);
  });

  it('reads bracketed lists as one value each', () => {
    assert.deepEqual(parseValuesText('[0], [0, 1], [0 1 2]').values, [[0], [0, 1], [0, 1, 2]]);
    // A list field: a bare value is a one-element list.
    assert.deepEqual(parseValuesText('0, 1, [0, 1]', { list: true }).values, [[0], [1], [0, 1]]);
    assert.deepEqual(parseValuesText('0, 1').values, [0, 1]);
  });

  it('names the first value it cannot read', () => {
    assert.equal(parseValuesText('').error, 'list at least one value');
    assert.match(parseValuesText('0,,1').error!, /^value 2 is empty/);
    assert.match(parseValuesText('0, [1, 2').error!, /^value 2: .* not closed/);
    assert.match(parseValuesText('0, 1]').error!, /^value 2: .* not opened/);
    assert.match(parseValuesText('[true]').error!, /not true\/false/);
  });

  it('writes values back to text that reads as the same values', () => {
    const cases = [[0, 0.2, 1], ['iid', 'dirichlet'], [[0], [0, 1]], ['0.5', 'a, b', true], [' padded']] as const;
    for (const values of cases) {
      const text = valuesToText(values as never);
      assert.deepEqual(parseValuesText(text).values, values, text);
    }
    assert.equal(valuesToText([[0], [0, 1]]), '[0], [0, 1]');
    assert.equal(valuesToText(['0.5']), '"0.5"');
  });
});

describe('the builder form', () => {
  it('gives back every study preset it was filled from', () => {
    for (const name of studyPresetNames()) {
      const preset = getStudyPreset(name);
      const { study, errors } = studyFromForm(formFromStudy(preset));
      assert.deepEqual(errors, {}, name);
      assert.deepEqual(studySchema.parse(study), studySchema.parse(preset), name);
    }
  });

  it('reports text it cannot read under the field that holds it, and builds nothing', () => {
    const form = formFromStudy(getStudyPreset('f2-rho'));
    form.baseText = '{ "seed": ';
    form.axes[0].valuesText = '0, [1';
    const { study, errors } = studyFromForm(form);
    assert.equal(study, null);
    assert.match(errors.base, /^is not valid JSON/);
    assert.match(errors['axes.0.values'], /not closed/);
    form.baseText = '[1, 2]';
    assert.match(studyFromForm(form).errors.base, /must be a JSON object/);
  });

  it('passes a range and a second axis through, and text that is not a number for the schema to name', () => {
    const form = formFromStudy(getStudyPreset('f2-rho'));
    form.axes[0] = { ...emptyAxis(), path: 'training.lr', mode: 'range', from: '0.001', to: '0.003', step: 'x' };
    form.axes.push({ ...emptyAxis(), path: 'unlearning.request.clients', valuesText: '0, [0, 1]', list: true });
    form.combine = 'zip';
    form.seeds = '3';
    form.name = '  lr sweep ';
    const { study } = studyFromForm(form);
    assert.ok(study);
    assert.deepEqual(study.axes[0], { path: 'training.lr', range: { from: 0.001, to: 0.003, step: 'x' } });
    assert.deepEqual(study.axes[1].values, [[0], [0, 1]]);
    assert.equal(study.combine, 'zip');
    assert.equal(study.seeds, 3);
    assert.equal(study.name, 'lr sweep');
    const parsed = studySchema.safeParse(study);
    assert.equal(parsed.success, false);
    assert.deepEqual(
      parsed.error.issues.map((i) => i.path.join('.')),
      ['axes.0.range.step'],
    );
  });
});
