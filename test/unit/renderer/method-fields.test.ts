/** Method cards in the wizard are derived from each method's params schema: every key has a control, defaults agree. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { methodSchema, METHOD_IDS } from '../../../src/shared/method-schemas';
import { hasControl } from '../../../src/renderer/src/wizard/fields';
import { configToForm, formToConfig, newMethod } from '../../../src/renderer/src/wizard/form';
import { methodParamFields } from '../../../src/renderer/src/wizard/method-fields';
import { parseConfig, validateConfig } from '../../../src/shared/config';
import { getPreset } from '../../../src/shared/presets';

const schemaKeys = (id: string) =>
  Object.keys(
    (methodSchema.options as unknown as { shape: Record<string, { value?: string }> }[]).find(
      (o) => o.shape.id.value === id,
    )!.shape,
  ).filter((k) => k !== 'id' && k !== 'label');

const withMethods = (methods: ReturnType<typeof newMethod>[]) => {
  const f = configToForm(getPreset('tiny'));
  f.methods = methods;
  return f;
};

describe('method cards from the params schemas', () => {
  it('every parameter of every method has a control, in schema order', () => {
    for (const id of METHOD_IDS) {
      assert.deepEqual(
        methodParamFields(id).map((f) => f.key),
        schemaKeys(id),
        id,
      );
      for (const key of schemaKeys(id)) assert.ok(hasControl(`unlearning.methods.3.${key}`), `${id}.${key}`);
    }
    assert.equal(hasControl('unlearning.methods.0.noSuchParam'), false);
  });

  it('a new card holds the schema defaults: its config parses to the same entry as the bare id', () => {
    const f = withMethods(METHOD_IDS.map((id) => newMethod(id)));
    const cfg = parseConfig(formToConfig(f));
    assert.deepEqual(
      cfg.unlearning?.methods,
      METHOD_IDS.map((id) => methodSchema.parse({ id })),
    );
  });

  it('rho takes a number or the word "auto"; other text reaches the schema, which names the field', () => {
    const [a, b, c] = [newMethod('fedmemeraser'), newMethod('fedmemeraser'), newMethod('fedmemeraser')];
    a.values.rho = 'auto';
    b.values.rho = '0.45';
    c.values.rho = 'lots';
    [a.label, b.label, c.label] = ['a', 'b', 'c'];
    const result = validateConfig(formToConfig(withMethods([a, b, c])));
    assert.equal(result.ok, false);
    const issues = result.ok ? [] : result.issues;
    assert.deepEqual(
      issues.map((i) => i.path),
      ['unlearning.methods.2.rho'],
    );
    const ok = parseConfig(formToConfig(withMethods([a, b])));
    assert.deepEqual(
      ok.unlearning?.methods.map((m) => (m as { rho: unknown }).rho),
      ['auto', 0.45],
    );
  });

  it("a loaded entry's parameters land in their controls and survive the round trip", () => {
    const entry = { id: 'liu', label: 'Liu sqrt', rounds: 4, lr: 0.01, damping: 1e-6, rule: 'sqrt' };
    const form = configToForm({
      ...getPreset('tiny'),
      unlearning: { request: { kind: 'clients', clients: [0] }, methods: [entry] },
    });
    assert.equal(form.methods[0].values.rule, 'sqrt');
    assert.equal(form.methods[0].values.damping, '0.000001');
    assert.deepEqual(parseConfig(formToConfig(form)).unlearning?.methods[0], methodSchema.parse(entry));
  });
});
