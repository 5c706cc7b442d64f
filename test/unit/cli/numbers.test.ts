import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numberFlag, numberOption, parseNumber, ruleText } from '../../../src/main/cli/numbers';
import { CliError } from '../../../src/main/process-exit';

test('a whole number in range is read; spaces around it are ignored', () => {
  assert.equal(parseNumber('--concurrency', '4', { min: 1, max: 16 }), 4);
  assert.equal(parseNumber('--width', ' 800 ', { min: 50, max: 8000, unit: 'pixels' }), 800);
  assert.equal(parseNumber('--decimals', '-1'), -1, 'no range: the caller (a schema) judges it');
  assert.equal(parseNumber('--seconds', '0.5', { whole: false, min: 0, max: 10 }), 0.5);
});

test('a bad value is a CliError naming the flag, the rule and the value', () => {
  const cases: [() => number | undefined, string][] = [
    [
      () => parseNumber('--repeats', '17', { min: 1, max: 16 }),
      '--repeats must be a whole number from 1 to 16, not "17"',
    ],
    [
      () => parseNumber('--concurrency', '1.5', { min: 1, max: 16 }),
      '--concurrency must be a whole number from 1 to 16, not "1.5"',
    ],
    [() => parseNumber('--decimals', 'two'), '--decimals must be a whole number, not "two"'],
    [() => parseNumber('--repeat', '0', { min: 1 }), '--repeat must be a whole number from 1 up, not "0"'],
    [
      () => parseNumber('--width', '12.5', { min: 50, max: 8000, unit: 'pixels' }),
      '--width must be a whole number of pixels from 50 to 8000, not "12.5"',
    ],
    [
      () => parseNumber('--seconds', 'x', { whole: false, min: 0, max: 10 }),
      '--seconds must be a number from 0 to 10, not "x"',
    ],
    [() => parseNumber('--seconds', '', { whole: false }), '--seconds must be a number, not ""'],
    [
      () => numberOption('--port', { min: 0, max: 65535 })('eighty'),
      '--port must be a whole number from 0 to 65535, not "eighty"',
    ],
  ];
  for (const [parse, message] of cases)
    assert.throws(parse, (e: Error) => e instanceof CliError && e.message === message && e.exitCode === 1);
});

test('an absent flag gives the fallback (or undefined) without parsing', () => {
  assert.equal(numberFlag('--lock-seconds', undefined, { min: 2, max: 3600 }, 30), 30);
  assert.equal(numberFlag('--width', undefined), undefined);
  assert.equal(numberFlag('--lock-seconds', '3', { min: 2, max: 3600 }, 30), 3);
  assert.equal(ruleText({ max: 4 }), 'a whole number up to 4');
});
