/**
 * Fuzzing the config validation `fedmem run --config` uses (loadConfigInput + parseConfig) and the
 * wizard's validateConfig: valid configs pass, near-valid and hostile ones are refused with one
 * sentence per problem, and nothing throws anything but a ConfigError or a CliError.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { ConfigError, parseConfig, validateConfig } from '../../../src/shared/config';
import { loadConfigInput } from '../../../src/main/cli/commands';
import { CliError } from '../../../src/main/process-exit';
import { assertOneSentence, fuzzParams, hostileJson, nearValidConfigArb, validConfigArb } from './arbitraries';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-fuzz-config-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What `fedmem run --config FILE` does before anything starts; returns the message it would print, or null. */
function cliValidate(text: string): string | null {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, text);
  try {
    parseConfig(loadConfigInput({ config: file }));
    return null;
  } catch (e) {
    assert.ok(
      e instanceof ConfigError || e instanceof CliError,
      `threw ${(e as Error)?.name}: ${(e as Error)?.message}`,
    );
    return e.message;
  }
}

function checkIssues(issues: { path: string; message: string }[], context: string): void {
  assert.ok(issues.length > 0, context);
  for (const issue of issues) {
    assertOneSentence(issue.message, context);
    assert.ok(!/[\r\n]/.test(issue.path), `issue path spans lines (${context})`);
  }
}

test('a config within the schema ranges is accepted, and parses the same after a JSON round trip', () => {
  fc.assert(
    fc.property(validConfigArb(), (config) => {
      const result = validateConfig(config);
      assert.ok(result.ok, `refused: ${result.ok ? '' : JSON.stringify(result.issues)}`);
      assert.equal(cliValidate(JSON.stringify(config)), null);
    }),
    fuzzParams(),
  );
});

test('a config with one field made wrong is refused in sentences, never with a crash', () => {
  fc.assert(
    fc.property(nearValidConfigArb(), ({ config, surelyInvalid, what }) => {
      const result = validateConfig(config);
      if (surelyInvalid) assert.equal(result.ok, false, `accepted although ${what}`);
      if (!result.ok) checkIssues(result.issues, what);
      const message = cliValidate(JSON.stringify(config) ?? 'null');
      if (message !== null) assertOneSentence(message, what);
      // JSON drops NaN/Infinity (to null) and undefined keys, so only a refusal of the object itself is compared.
      if (surelyInvalid && result.ok === false) assert.throws(() => parseConfig(config), ConfigError);
    }),
    fuzzParams(),
  );
});

test('any JSON value is refused (or accepted) in sentences, never with a crash', () => {
  fc.assert(
    fc.property(hostileJson, (value) => {
      const result = validateConfig(value);
      assert.equal(result.ok, false);
      if (!result.ok) checkIssues(result.issues, JSON.stringify(value)?.slice(0, 200) ?? String(value));
      const message = cliValidate(JSON.stringify(value) ?? 'null');
      assert.notEqual(message, null);
      assertOneSentence(message, JSON.stringify(value)?.slice(0, 200) ?? '');
    }),
    fuzzParams(),
  );
});

test('a config file that is not JSON at all is refused in one sentence', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 200, unit: 'binary' }),
        fc.constantFrom('{', '{"seed":\n\n1,', '\u0000\u0001', '[1,2,\n3', '{"a": 1}\n}\n', '\ufeff{}'),
      ),
      (text) => {
        const message = cliValidate(text);
        assert.notEqual(message, null, `accepted ${JSON.stringify(text)}`);
        assertOneSentence(message, JSON.stringify(text).slice(0, 200));
      },
    ),
    fuzzParams(),
  );
});

test('prototype keys are refused naming the key and change nothing', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    const text = `{"seed":1,"dataset":{"id":"mnist"},"partition":{"clients":2},"training":{"rounds":1,"${key}":{"polluted":true}}}`;
    const message = cliValidate(text);
    assert.match(message ?? '', new RegExp(`training\\.${key}: "${key}" is not allowed as a key`));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
});
