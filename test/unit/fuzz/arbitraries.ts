/**
 * fast-check generators for the fuzz tests: configs that are valid by the schema's ranges
 * (src/shared/config.ts), near-valid ones (one field mutated) and hostile JSON, plus the properties
 * every user-facing message must have. Shared by the unit (validation) and integration (IPC, CLI) fuzzers.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BACKEND_PREFS, PARTITION_SCHEMES } from '../../../src/shared/config';
import { MODEL_IDS } from '../../../src/shared/catalog';

/** numRuns for one property: small enough that the whole fuzz suite stays within about a minute on two cores. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** A seed from FUZZ_SEED replays a failure (fast-check prints the seed and path when a property fails). */
export const fuzzParams = (numRuns = RUNS): fc.Parameters<unknown> => ({
  numRuns,
  includeErrorInReport: true,
  ...(process.env.FUZZ_SEED && { seed: Number(process.env.FUZZ_SEED) }),
});

const unit = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const positive = (max: number) => fc.double({ min: 1e-9, max, noNaN: true, noDefaultInfinity: true });

/** Methods with their own options inside the schema's ranges; labels kept distinct by the caller. */
function methodArb(clientsRequest: boolean): fc.Arbitrary<Record<string, unknown>> {
  const methods: fc.Arbitrary<Record<string, unknown>>[] = [
    fc.constant({ id: 'retrain' }),
    fc.record({ id: fc.constant('finetune'), rounds: fc.integer({ min: 1, max: 5 }) }, { requiredKeys: ['id'] }),
    fc.record(
      {
        id: fc.constant('fedmemeraser'),
        rounds: fc.integer({ min: 1, max: 5 }),
        locate: fc.constantFrom('gradient', 'first-round-update'),
        rho: fc.oneof(unit(0, 1), fc.constant('auto')),
        gamma: positive(10),
        selection: fc.constantFrom('redundant', 'important', 'localized', 'deep-layers', 'shallow-layers'),
      },
      { requiredKeys: ['id'] },
    ),
    fc.record(
      {
        id: fc.constant('halimi'),
        lr: positive(1),
        momentum: unit(0, 0.99),
        clipNorm: unit(0, 10),
        epochs: fc.integer({ min: 1, max: 5 }),
        randomModels: fc.integer({ min: 1, max: 100 }),
      },
      { requiredKeys: ['id'] },
    ),
    fc.record(
      {
        id: fc.constant('liu'),
        rounds: fc.integer({ min: 1, max: 5 }),
        lr: positive(1),
        beta1: unit(0, 0.99),
        beta2: unit(0, 0.999),
        damping: positive(1),
        rule: fc.constantFrom('inverse', 'sqrt'),
      },
      { requiredKeys: ['id'] },
    ),
    fc.record(
      { id: fc.constant('not'), rounds: fc.integer({ min: 0, max: 5 }), negateBias: fc.boolean() },
      { requiredKeys: ['id'] },
    ),
    fc.record({ id: fc.constant('fedau'), alpha: unit(0, 1) }, { requiredKeys: ['id'] }),
    fc.record(
      {
        id: fc.constant('fedosd'),
        unlearningRounds: fc.integer({ min: 0, max: 100 }),
        signal: fc.constantFrom('pseudo-gradient', 'gradient'),
        postProjection: fc.boolean(),
      },
      { requiredKeys: ['id'] },
    ),
  ];
  if (clientsRequest) {
    methods.push(
      fc.record(
        {
          id: fc.constant('fedrecovery'),
          sigma: unit(0, 1),
          scale: positive(10),
          weighting: fc.constantFrom('normalized', 'cumulative'),
        },
        { requiredKeys: ['id'] },
      ),
      fc.record(
        {
          id: fc.constant('federaser'),
          interval: fc.integer({ min: 1, max: 5 }),
          calibrationRatio: positive(1),
          calibrate: fc.constantFrom('client', 'aggregate'),
        },
        { requiredKeys: ['id'] },
      ),
    );
  }
  return fc.oneof(...methods);
}

function unlearningArb(clients: number): fc.Arbitrary<Record<string, unknown>> {
  const request = fc.oneof(
    // Leaves at least one client, as the schema requires.
    fc
      .uniqueArray(fc.integer({ min: 0, max: clients - 1 }), { minLength: 1, maxLength: Math.max(1, clients - 1) })
      .map((c) => ({ kind: 'clients', clients: c })),
    fc.integer({ min: 0, max: 9 }).map((c) => ({ kind: 'class', class: c })),
    fc.integer({ min: 1, max: 50 }).map((n) => ({ kind: 'examples', randomExamples: n })),
  );
  return request.chain((req) =>
    fc.array(methodArb(req.kind === 'clients'), { minLength: 1, maxLength: 4 }).map((methods) => {
      // FedAU entries must agree on auxClients (left at its default here); labels must be distinct.
      const labelled = methods.map((m, i) => ({ ...m, label: `m${i}` }));
      return { request: req, methods: labelled };
    }),
  );
}

/** The schema's own sizes, so valid configs cover every field; `tiny` keeps them small enough to run. */
export function validConfigArb(opts: { tiny?: boolean } = {}): fc.Arbitrary<Record<string, unknown>> {
  const tiny = opts.tiny ?? false;
  return fc.integer({ min: 2, max: tiny ? 3 : 50 }).chain((clients) =>
    fc.record(
      {
        name: fc.string({ maxLength: 200 }),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        dataset: fc
          .record(
            {
              id: tiny ? fc.constant('mnist') : fc.constantFrom('mnist', 'synthetic', 'idx', 'cifar10', 'cifar100'),
              trainSize: fc.integer({ min: tiny ? 120 : 1, max: tiny ? 300 : 10_000_000 }),
              testSize: fc.integer({ min: tiny ? 50 : 1, max: tiny ? 100 : 10_000_000 }),
              transpose: fc.boolean(),
              augment: tiny ? fc.constant(false) : fc.boolean(),
            },
            { requiredKeys: ['id', 'trainSize', 'testSize'] },
          )
          .map((d) => (d.id === 'idx' || d.id.startsWith('cifar') ? { ...d, path: '/data/somewhere' } : d)),
        partition: fc.record(
          {
            clients: fc.constant(clients),
            scheme: tiny ? fc.constant('iid') : fc.constantFrom(...PARTITION_SCHEMES),
            alpha: positive(100),
            minSize: fc.integer({ min: 1, max: tiny ? 5 : 10_000_000 }),
          },
          { requiredKeys: ['clients'] },
        ),
        model: fc.record({ id: tiny ? fc.constant('mlp') : fc.constantFrom(...MODEL_IDS) }),
        training: fc.record(
          {
            rounds: fc.integer({ min: 1, max: tiny ? 2 : 10_000 }),
            localEpochs: fc.integer({ min: 1, max: tiny ? 1 : 1000 }),
            batchSize: fc.integer({ min: tiny ? 16 : 1, max: tiny ? 64 : 65_536 }),
            optimizer: fc.constantFrom('adam', 'sgd'),
            lr: tiny ? unit(1e-4, 1e-2) : positive(10),
            momentum: unit(0, 0.99),
            aggregation: fc.constantFrom('mean', 'weighted'),
            clientFraction: tiny ? fc.constant(1) : positive(1),
          },
          { requiredKeys: ['rounds'] },
        ),
        compute: fc.record({
          backend: tiny ? fc.constant('wasm') : fc.constantFrom(...BACKEND_PREFS),
          workers: fc.integer({ min: 0, max: tiny ? 1 : 64 }),
        }),
        unlearning: tiny
          ? fc
              .uniqueArray(fc.integer({ min: 0, max: clients - 1 }), { minLength: 1, maxLength: 1 })
              .map((c) => ({ request: { kind: 'clients', clients: c }, methods: [{ id: 'finetune', rounds: 1 }] }))
          : unlearningArb(clients),
        evaluation: tiny
          ? fc.constant({ retrainModels: 1, csl: false, lossSurface: false })
          : fc.record(
              {
                retrainModels: fc.integer({ min: 1, max: 20 }),
                referenceModels: fc.integer({ min: 0, max: 20 }),
                memorization: fc.constantFrom('correct', 'probability'),
                clipNegative: fc.boolean(),
                csl: fc.boolean(),
                fairness: fc.constantFrom('sum', 'mean'),
              },
              { requiredKeys: [] },
            ),
        repeats: fc.integer({ min: 1, max: tiny ? 1 : 20 }),
      },
      {
        requiredKeys: tiny
          ? ['seed', 'dataset', 'partition', 'training', 'model', 'compute', 'evaluation']
          : ['seed', 'dataset', 'partition', 'training'],
      },
    ),
  );
}

/** Any JSON value, nested a few levels, with keys that have tripped parsers before. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      null,
      true,
      false,
      0,
      -0,
      -1,
      1e308,
      -1e308,
      2 ** 53 + 2,
      '',
      'NaN',
      '__proto__',
      '\n    at Object.<anonymous> (x.js:1:1)',
    ),
    fc.double(),
    fc.string({ maxLength: 30, unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'config'),
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

/** A value that makes any leaf of a config wrong, whatever the leaf's type (no leaf accepts these). */
const alwaysWrong: fc.Arbitrary<unknown> = fc.constantFrom(
  null,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  [[]],
  { junk: { deeper: [1, { deepest: null }] } },
);

/** A value a leaf may or may not accept: a wrong type, out of range, huge, negative, long, empty. */
const maybeWrong: fc.Arbitrary<unknown> = fc.oneof(
  alwaysWrong,
  fc.constantFrom(
    -1,
    0,
    0.5,
    1e308,
    -1e308,
    2 ** 31,
    2 ** 53 + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    '',
    'x'.repeat(100_000),
    [],
    {},
    true,
    '1',
    'auto',
  ),
  fc.string({ maxLength: 80, unit: 'binary' }),
  fc.double(),
  fc.integer(),
);

export interface Mutation {
  config: unknown;
  /** True when the mutation cannot leave the config valid. */
  surelyInvalid: boolean;
  what: string;
}

/** Every path in a JSON value down to its primitive leaves, and the objects along the way. */
function paths(value: unknown, at: (string | number)[] = []): { path: (string | number)[]; leaf: boolean }[] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [{ path: at, leaf: false }, ...entries.flatMap(([k, v]) => paths(v, [...at, k]))];
  }
  return [{ path: at, leaf: true }];
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  Object.defineProperty(node, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * A valid config with one field mutated: a leaf replaced, or an unknown (possibly prototype) key added to an object.
 */
export function nearValidConfigArb(): fc.Arbitrary<Mutation> {
  return validConfigArb().chain((config) => {
    const all = paths(config);
    const leaves = all.filter((p) => p.leaf && p.path.length > 0);
    const objects = all.filter((p) => !p.leaf && !Array.isArray(getAt(config, p.path)));
    const replaceLeaf = fc
      .tuple(fc.constantFrom(...leaves), fc.boolean(), alwaysWrong, maybeWrong)
      .map(([p, sure, wrong, maybe]) => ({
        config: setAt(config, p.path, sure ? wrong : maybe),
        surelyInvalid: sure,
        what: `${p.path.join('.')} = ${describe(sure ? wrong : maybe)}`,
      }));
    // Schema keys are plain letters, so these are never one.
    const strangeKey = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'bogus'),
      fc.string({ maxLength: 300, unit: 'binary' }).map((k) => `~${k}`),
    );
    const unknownKey = fc.tuple(fc.constantFrom(...objects), strangeKey, hostileJson).map(([p, key, junk]) => ({
      config: setAt(config, [...p.path, key], junk),
      surelyInvalid: true,
      what: `${[...p.path, JSON.stringify(key).slice(0, 40)].join('.')} added`,
    }));
    const removeRequired = fc
      .constantFrom(
        ['seed'],
        ['dataset'],
        ['partition'],
        ['training'],
        ['dataset', 'id'],
        ['partition', 'clients'],
        ['training', 'rounds'],
      )
      .map((path) => ({
        config: setAt(config, path, undefined),
        surelyInvalid: true,
        what: `${path.join('.')} removed`,
      }));
    return fc.oneof(replaceLeaf, unknownKey, removeRequired);
  });
}

function getAt(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v.length > 30 ? `a ${v.length}-character string` : JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v)?.slice(0, 40) ?? String(v);
}

/** The longest message a person should read for one failure. */
export const MAX_MESSAGE = 1200;

/**
 * One sentence for a person: a non-empty single line (no newline, no stack frame), of bounded length.
 * `context` is printed with a failure so the generated input can be seen.
 */
export function assertOneSentence(message: unknown, context: string): void {
  assert.equal(typeof message, 'string', `message is not text: ${context}`);
  const text = message as string;
  assert.ok(text.trim().length > 0, `empty message: ${context}`);
  assert.ok(
    !/[\r\n\u2028\u2029]/.test(text),
    `message spans lines: ${JSON.stringify(text.slice(0, 300))} (${context})`,
  );
  assert.ok(
    !/\bat .+:\d+:\d+\)?/.test(text),
    `message holds a stack frame: ${JSON.stringify(text.slice(0, 300))} (${context})`,
  );
  assert.ok(
    text.length <= MAX_MESSAGE,
    `message is ${text.length} characters long: ${JSON.stringify(text.slice(0, 200))}… (${context})`,
  );
}
