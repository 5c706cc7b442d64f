/**
 * The wizard's plain fields come from the config schema: every scalar leaf of the schema has a
 * control (so a new config field cannot silently lack one), and each control's kind, choices and
 * default are the schema's own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { experimentConfigSchema } from '../../../src/shared/config';
import {
  fromFieldValue,
  schemaAt,
  SCHEMA_FIELDS,
  schemaField,
  toFieldValue,
} from '../../../src/renderer/src/wizard/schema-fields';
import { hasControl } from '../../../src/renderer/src/wizard/fields';

/** Paths of every number / string / boolean / enum in the schema's objects (not inside lists or unions). */
function scalarLeaves(schema: z.core.$ZodType, prefix = ''): string[] {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
  if (s instanceof z.ZodNumber || s instanceof z.ZodString || s instanceof z.ZodBoolean || s instanceof z.ZodEnum)
    return [prefix];
  if (!(s instanceof z.ZodObject)) return [];
  return Object.entries(s.shape).flatMap(([k, v]) => scalarLeaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('schema-derived wizard fields', () => {
  it('every scalar field of the config schema has a control', () => {
    const leaves = scalarLeaves(experimentConfigSchema);
    assert.ok(
      leaves.includes('training.lr') && leaves.includes('evaluation.referenceModels'),
      'the walk finds nested fields',
    );
    assert.deepEqual(
      leaves.filter((p) => !hasControl(p)),
      [],
    );
  });

  it('kind, choices and defaults are the schema’s', () => {
    const lr = schemaField('training.lr');
    assert.equal(lr.parse, 'number');
    assert.equal(lr.defaultValue, 1e-4);
    assert.equal(schemaField('training.rounds').parse, 'integer');
    assert.deepEqual(
      schemaField('training.optimizer').options.map((o) => o.value),
      ['adam', 'sgd'],
    );
    assert.deepEqual(
      schemaField('partition.scheme').options.map((o) => o.label),
      ['IID (uniform)', 'Non-IID (Dirichlet α)', 'One class per client'],
    );
    assert.equal(schemaField('evaluation.csl').control, 'checkbox');
    assert.equal(schemaField('evaluation.memorization').defaultValue, 'probability');
    assert.equal(schemaAt('dataset.trainSize').defaultValue, undefined, 'optional without a default');
    for (const f of SCHEMA_FIELDS) assert.ok(f.label.length > 0, f.path);
  });

  it('values convert both ways; text that is not a number goes to the schema unchanged', () => {
    const lr = schemaField('training.lr');
    assert.equal(toFieldValue(lr, undefined), '0.0001');
    assert.equal(fromFieldValue(lr, '0.01'), 0.01);
    assert.equal(fromFieldValue(lr, 'fast'), 'fast');
    assert.equal(fromFieldValue(lr, ''), undefined);
    // An object where a number belongs is shown as its JSON, even one whose own toString is not a function
    // (String() would throw; the config fuzz found it: FUZZ_SEED=1227104651).
    const hostile = JSON.parse('{"toString":{"seed":1},"seed":1}') as unknown;
    assert.equal(toFieldValue(lr, hostile), '{"toString":{"seed":1},"seed":1}');
    assert.equal(toFieldValue(lr, 0.5), '0.5');
    const csl = schemaField('evaluation.csl');
    assert.equal(toFieldValue(csl, undefined), true);
    assert.equal(fromFieldValue(csl, false), false);
    assert.equal(fromFieldValue(schemaField('name'), '  my run '), 'my run');
  });
  it('the history checkbox, unchecked, leaves training.recordHistory unset (recorded when a method needs it), never false', () => {
    const f = schemaField('training.recordHistory');
    assert.equal(f.control, 'checkbox');
    assert.equal(fromFieldValue(f, false), undefined);
    assert.equal(fromFieldValue(f, true), true);
    assert.equal(fromFieldValue(schemaField('evaluation.csl'), false), false, 'other checkboxes still say false');
  });
});
