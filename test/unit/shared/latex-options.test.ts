import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_LATEX_OPTIONS,
  LATEX_OPTION_FLAGS,
  latexOptionsSchema,
  parseLatexOptions,
} from '../../../src/shared/latex-options';

test("defaults: the request's own column blocks (unset), 2 decimals, std and delta, table*, unscaled, footnotesize", () => {
  assert.deepEqual(DEFAULT_LATEX_OPTIONS, {
    decimals: 2,
    std: true,
    delta: true,
    float: 'table*',
    scaleToWidth: false,
    fontSize: 'footnotesize',
  });
});

test('a bad option is one sentence naming the CLI flag', () => {
  const bad = (input: unknown) => {
    const r = parseLatexOptions(input);
    assert.equal(r.ok, false);
    return (r as { message: string }).message;
  };
  assert.equal(bad({ decimals: 7 }), '--decimals must be at most 4');
  assert.equal(bad({ decimals: 1.5 }), '--decimals must be a whole number');
  assert.equal(bad({ float: 'figure' }), '--float must be table or table*');
  assert.equal(bad({ columns: [] }), '--columns must name at least one column block');
  assert.equal(
    bad({ columns: ['groups', 'times'] }),
    '--columns must be among groups, unlearn, test, asr, fairness, time',
  );
  assert.equal(bad({ fontSize: 'huge' }), '--font-size must be one of normalsize, small, footnotesize, scriptsize');
  assert.match(bad({ bogus: 1 }), /^latex options /);
  assert.deepEqual(
    Object.keys(LATEX_OPTION_FLAGS).sort(),
    Object.keys(latexOptionsSchema.shape).sort(),
    'every option has its flag',
  );
});

test('given options keep the rest at their defaults', () => {
  const r = parseLatexOptions({ std: false, float: 'table' });
  assert.ok(r.ok);
  assert.deepEqual(r.options, { ...DEFAULT_LATEX_OPTIONS, std: false, float: 'table' });
});
