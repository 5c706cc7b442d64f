/**
 * Issue 24: no key or path from input reaches a prototype. Every walker that steps into or builds
 * objects from user-given keys is fed paths and JSON documents holding `__proto__`, `prototype` and
 * `constructor` at every depth (fast-check), and afterwards the built-in prototypes must be exactly
 * as they were: `({}).x` is still undefined. Walkers that take a path refuse it with a sentence
 * naming the path; walkers that take a document keep such keys as plain data or refuse them.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import fc from 'fast-check';
import { getPreset, presetNeedsPath } from '../../../src/shared/presets';
import { getStudyPreset } from '../../../src/shared/study-presets';
import { configDiff } from '../../../src/shared/config-diff';
import { findReservedKey, RESERVED_KEYS, reservedKeyProblem } from '../../../src/shared/reserved-keys';
import { axisMethodRow, expandStudy, methodParamOf, setPath, StudyError } from '../../../src/shared/study';
import { configToForm, formToConfig, getPath } from '../../../src/renderer/src/wizard/form';
import { parentExists, suggestAxisPaths, valueAt } from '../../../src/renderer/src/studies/axis-paths';
import { parseBase } from '../../../src/renderer/src/studies/builder-form';
import { issuesByField } from '../../../src/renderer/src/wizard/fields';
import { seriesColors } from '../../../src/shared/figures/common';
import { fuzzParams } from './arbitraries';

const base = getPreset('quick') as Record<string, unknown>;

/** Every built-in prototype a hostile key could reach, with its own property names now. */
const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype];
const snapshot = () => PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort().join(','));
const clean = snapshot();
/** The leaf names the generated paths and documents write; none may appear on a fresh object. */
const LEAVES = ['polluted', 'NODE_OPTIONS', 'x', 'shell', 'env'];

function assertPrototypesClean(context: string): void {
  assert.deepEqual(snapshot(), clean, `a built-in prototype changed after ${context}`);
  for (const leaf of LEAVES)
    assert.equal(({} as Record<string, unknown>)[leaf], undefined, `({}).${leaf} is set after ${context}`);
}

afterEach(() => {
  // A failed property must not leave the rest of the file running on a polluted process.
  for (const p of PROTOTYPES) for (const leaf of LEAVES) delete (p as Record<string, unknown>)[leaf];
});

const reserved = fc.constantFrom(...RESERVED_KEYS);
const plainKey = fc.constantFrom(
  'training',
  'unlearning',
  'methods',
  'evaluation',
  'dataset',
  'lr',
  'rho',
  '0',
  '1',
  'toString',
  'hasOwnProperty',
);
const leaf = fc.constantFrom(...LEAVES);

/** Dot paths with a reserved key at any depth (the first, a middle one, or just before the leaf). */
const hostilePath = fc
  .tuple(fc.array(plainKey, { maxLength: 4 }), reserved, fc.array(fc.oneof(plainKey, reserved), { maxLength: 3 }), leaf)
  .map(([before, r, after, last]) => [...before, r, ...after, last].join('.'));

/** JSON text (so `"__proto__"` becomes an own key, as in a file or a request body) with a reserved key at any depth. */
const hostileDocument = fc
  .tuple(
    fc.array(plainKey, { maxLength: 4 }),
    reserved,
    fc.array(fc.oneof(plainKey, reserved), { maxLength: 3 }),
    leaf,
    fc.oneof(fc.string(), fc.integer(), fc.constant('--import=data:text/javascript,process.exit(9)')),
  )
  .map(([before, r, after, last, value]) => {
    let text = JSON.stringify({ [last]: value });
    for (const key of [...before, r, ...after].reverse()) text = `{${JSON.stringify(key)}:${text},"seed":1}`;
    return text;
  });

test('a study axis path with a reserved key at any depth is refused, naming the path', () => {
  fc.assert(
    fc.property(hostilePath, fc.oneof(fc.integer(), fc.string(), fc.boolean()), (path, value) => {
      assert.throws(
        () => setPath(base, path, value),
        (e: unknown) =>
          e instanceof StudyError && e.message.includes(`path "${path}"`) && /is not allowed as a key/.test(e.message),
      );
      assert.equal(methodParamOf(base, path), null);
      assert.equal(axisMethodRow(base, path), null);
      const expanded = expandStudy({ base, axes: [{ path, values: [value] }] });
      assert.equal(expanded.ok, false);
      if (!expanded.ok) assert.match(expanded.problems[0].message, /is not allowed as a key/);
      assertPrototypesClean(`setPath/expandStudy of ${path}`);
    }),
    fuzzParams(),
  );
});

test('the reported probes: __proto__.x, training.__proto__.x, constructor.prototype.x', () => {
  for (const path of [
    '__proto__.x',
    'training.__proto__.x',
    'training.constructor.prototype.x',
    'unlearning.methods.0.__proto__.NODE_OPTIONS',
  ]) {
    assert.throws(
      () => setPath(base, path, '--import=data:text/javascript,1'),
      new RegExp(`path "${path.replace(/\./g, '\\.')}": "(__proto__|constructor)" is not allowed as a key`),
    );
  }
  // An inherited name is not a field of the config either: only own properties are walked.
  assert.throws(() => setPath(base, 'toString.x', 1), /the base config has no "toString"/);
  assert.throws(() => setPath(base, 'training.hasOwnProperty.x', 1), /the base config has no "hasOwnProperty"/);
  assertPrototypesClean('the reported probes');
});

test('findReservedKey finds a reserved key at any depth of a parsed document, and only there', () => {
  fc.assert(
    fc.property(hostileDocument, (text) => {
      const doc: unknown = JSON.parse(text);
      const found = findReservedKey(doc);
      assert.ok(found, text);
      assert.ok(RESERVED_KEYS.includes(found.key));
      // The path leads to the key through own properties.
      const keys = found.path.split('.');
      let node: unknown = doc;
      for (const k of keys.slice(0, -1)) node = (node as Record<string, unknown>)[k];
      assert.ok(Object.hasOwn(node as object, keys[keys.length - 1]), `${found.path} in ${text}`);
      assert.match(
        reservedKeyProblem(doc)!,
        new RegExp(`^${found.path.replace(/[.$]/g, '\\$&')}: "${found.key}" is not allowed`),
      );
    }),
    fuzzParams(),
  );
  assert.equal(findReservedKey(base), null);
  assert.equal(
    findReservedKey(JSON.parse('{"a":[{"b":"__proto__"}],"c":"constructor"}')),
    null,
    'values are data, only keys are refused',
  );
  assert.equal(findReservedKey(JSON.parse('[{"x":1},{"__proto__":{"x":1}}]'))?.path, '1.__proto__');
});

test('findReservedKey walks a 100,000-deep document without overflowing the stack', () => {
  const depth = 100_000;
  const text = `${'{"a":'.repeat(depth)}{"__proto__":1}${'}'.repeat(depth)}`;
  const found = findReservedKey(JSON.parse(text));
  assert.equal(found?.key, '__proto__');
  assert.equal(found?.path.split('.').length, depth + 1);
});

test('the renderer walkers: hostile documents and paths leave the prototypes alone', () => {
  fc.assert(
    fc.property(hostileDocument, hostilePath, (text, path) => {
      const doc = JSON.parse(text) as Record<string, unknown>;
      // The wizard's form round trip keeps unknown keys as data; what it builds has no reserved key reaching a
      // prototype.
      const form = configToForm(doc);
      formToConfig(form);
      getPath(doc, path);
      valueAt(doc, path);
      parentExists(doc, path);
      suggestAxisPaths(doc);
      assert.match(parseBase(text).error ?? '', /is not allowed as a key/);
      // Issue paths and series names are users' keys (field paths, method labels).
      const byField = issuesByField([
        { path, message: 'm' },
        { path: '__proto__', message: 'p' },
      ]);
      assert.equal(Object.hasOwn(byField, '__proto__') && byField['__proto__'], 'p');
      const colors = seriesColors({
        series: [
          { type: 'line', name: '__proto__', itemStyle: { color: '#123456' } },
          { type: 'line', name: 'constructor', itemStyle: { color: '#654321' } },
        ],
      });
      assert.equal(colors['__proto__'], '#123456');
      assert.equal(colors.constructor, '#654321');
      // Inherited names are never read as values.
      assert.equal(getPath(base, 'training.constructor'), undefined);
      assert.equal(valueAt({}, 'constructor.prototype'), undefined);
      assertPrototypesClean(`renderer walkers on ${text} / ${path}`);
    }),
    fuzzParams(),
  );
});

test('the compare view diff treats reserved keys as plain paths', () => {
  fc.assert(
    fc.property(hostileDocument, hostileDocument, (a, b) => {
      const rows = configDiff([JSON.parse(a), JSON.parse(b)]);
      for (const r of rows) assert.equal(typeof r.path, 'string');
      assertPrototypesClean(`configDiff of ${a} and ${b}`);
    }),
    fuzzParams(),
  );
  const rows = configDiff([JSON.parse('{"__proto__":{"x":1}}'), JSON.parse('{"__proto__":{"x":2}}')]);
  assert.deepEqual(rows, [{ path: '__proto__.x', values: ['1', '2'] }]);
});

test('a preset name is looked up among the presets, never on their prototype', () => {
  for (const name of RESERVED_KEYS.concat(['toString', 'hasOwnProperty'])) {
    assert.throws(() => getPreset(name), new RegExp(`unknown preset "${name}"`));
    assert.throws(() => getStudyPreset(name), new RegExp(`unknown study preset "${name}"`));
    assert.equal(presetNeedsPath(name), false);
  }
});

test('a path through a key holding a line break stays on one line, the key quoted and escaped', () => {
  const problem = reservedKeyProblem(JSON.parse('{"a":{"~\\n":[{"__proto__":null}]}}'));
  assert.equal(problem?.split('\n').length, 1, String(problem));
  assert.ok(problem?.startsWith('a."~\\n".0.__proto__: '), String(problem));
});
