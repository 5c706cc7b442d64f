/**
 * Fuzzing the IPC dispatcher as the renderer and browser mode reach it: every contract channel called
 * with random payloads (hostile JSON, and payloads shaped like the channel's with random fields) on a
 * real store holding one finished run and one study. Every call must resolve, in bounded time, to an
 * envelope; a refusal is one sentence and never INTERNAL. Calls that would start training or open a
 * dialog get only payloads that cannot (an invalid config, `start: false`, an unknown study).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { CHANNELS } from '../../../src/shared/api';
import { contract, type Channel } from '../../../src/shared/contract';
import { validateConfig } from '../../../src/shared/config';
import { PLAIN_PARSE } from '../../../src/shared/zod-rules';
import { createAppServices, type AppServices } from '../../../src/main/services/handlers';
import { startRun } from '../../../src/main/runs/record-run';
import { parseConfig } from '../../../src/shared/config';
import { PushRecorder, tempDir } from '../../unit/services/helpers';
import {
  assertOneSentence,
  fuzzParams,
  hostileJson,
  nearValidConfigArb,
  RUNS,
  validConfigArb,
} from '../../unit/fuzz/arbitraries';

/** Object.prototype's own names before any call: a hostile key must never add one (issue 24). */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

/** Longer than any refusal should take (a cold query engine included); a call past it has hung. */
const CALL_TIMEOUT_MS = 20_000;

let dataDir: string;
let services: AppServices;
let runId = '';
let studyId = '';

before(async () => {
  dataDir = tempDir('fedmem-fuzz-ipc-');
  services = createAppServices({ dataDir, mode: 'browser', push: new PushRecorder().push, runStudies: false });
  // A finished run with an unlearning stage, so runs:get / tables / export work on real rows.
  const config = parseConfig({
    seed: 5,
    dataset: { id: 'mnist', trainSize: 200, testSize: 100 },
    partition: { clients: 2 },
    model: { id: 'mlp' },
    training: { rounds: 1, batchSize: 32, lr: 1e-3 },
    compute: { backend: 'wasm', workers: 1 },
    unlearning: { request: { kind: 'clients', clients: [0] }, methods: [{ id: 'finetune', rounds: 1 }] },
    evaluation: { retrainModels: 1, csl: false, lossSurface: false },
  });
  const run = await startRun(services.store, config).finished;
  assert.equal(run.status, 'done', run.error ?? '');
  runId = run.id;
  const study = await services.dispatch('studies:create', {
    study: { name: 'fuzz', base: config, axes: [{ path: 'training.lr', values: [1e-3, 2e-3] }] },
    start: false,
  });
  assert.ok(study.ok, JSON.stringify(study));
  studyId = (study.data as { id: string }).id;
});

after(async () => {
  await services?.shutdown(10_000);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Ids that exist, ids that do not, and hostile ones. */
const idArb = fc.oneof(
  fc
    .constantFrom(
      () => runId,
      () => studyId,
    )
    .map((f) => f()),
  fc.string({ maxLength: 60, unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    'x'.repeat(10_000),
    'a\nb',
    "'; DROP TABLE runs; --",
    '%00',
  ),
);

/** Values for any field of any payload. */
const fieldArb: fc.Arbitrary<unknown> = fc.oneof(
  idArb,
  hostileJson,
  fc.constantFrom(
    'csv',
    'json',
    'latex',
    'summary',
    'runs',
    'report',
    'rounds',
    'done',
    'failed',
    'Original',
    '>=',
    'test',
  ),
);

/** Study definitions: a valid base with random axes (known or odd paths, any values), or junk. */
const studyArb: fc.Arbitrary<unknown> = fc.oneof(
  hostileJson,
  fc.record(
    {
      base: validConfigArb(),
      axes: fc.array(
        fc.record(
          {
            path: fc.oneof(
              fc.constantFrom(
                'training.lr',
                'partition.clients',
                'unlearning.methods[fedmemeraser].rho',
                'seed',
                'dataset',
                '__proto__.polluted',
                'a..b',
                'x[',
                'training.rounds',
              ),
              fc.string({ maxLength: 40 }),
            ),
            values: fc.array(hostileJson, { maxLength: 4 }),
            range: fc.record({ from: fc.double(), to: fc.double(), step: fc.double() }),
            label: fc.string({ maxLength: 20 }),
          },
          { requiredKeys: ['path'] },
        ),
        { maxLength: 3 },
      ),
      combine: fc.constantFrom('grid', 'zip', 'other'),
      seeds: fc.oneof(fc.integer({ min: -1, max: 60 }), fc.double()),
      share: fc.boolean(),
    },
    { requiredKeys: ['base', 'axes'] },
  ),
);

/** The keys a channel's payload schema names (an object schema, possibly behind a default). */
function payloadKeys(channel: Channel): string[] {
  let schema: unknown = contract[channel].input;
  for (let i = 0; i < 3 && schema && typeof schema === 'object'; i++) {
    const def = (schema as { def?: { shape?: Record<string, unknown>; innerType?: unknown } }).def;
    if (def?.shape) return Object.keys(def.shape);
    schema = def?.innerType;
  }
  return [];
}

/** Payloads for one channel: hostile values, or objects with the channel's keys (some left out, some extra). */
function payloadArb(channel: Channel): fc.Arbitrary<unknown> {
  const keys = payloadKeys(channel);
  const shaped = keys.length
    ? fc.record(
        Object.fromEntries(
          keys.map((k) => [
            k,
            k === 'config'
              ? fc.oneof(
                  hostileJson,
                  nearValidConfigArb().map((m) => m.config),
                )
              : k === 'study'
                ? studyArb
                : k === 'id'
                  ? idArb
                  : fieldArb,
          ]),
        ),
        { requiredKeys: [] },
      )
    : fc.constant(undefined);
  const withExtra = shaped.chain((p) =>
    p && typeof p === 'object'
      ? fc
          .tuple(fc.constantFrom('__proto__', 'constructor', 'extra'), hostileJson)
          .map(([k, v]) => Object.defineProperty({ ...p }, k, { value: v, enumerable: true }))
      : fc.constant(p),
  );
  return fc.oneof(hostileJson, shaped, shaped, withExtra);
}

/** Channels that start training, queue runs or open a dialog: only payloads that cannot are sent. */
function harmless(channel: Channel, payload: unknown): boolean {
  const parsed = contract[channel].input.safeParse(payload, PLAIN_PARSE);
  if (!parsed.success) return true;
  const data = parsed.data as Record<string, unknown>;
  switch (channel) {
    case 'runs:start':
      return !validateConfig(data.config).ok;
    case 'studies:create':
      return data.start === false;
    case 'studies:extend':
    case 'studies:resume':
      return data.id !== studyId;
    case 'partition:preview':
      // The query engine would load the dataset; a valid config there is a preview, not a refusal.
      return !validateConfig(data.config).ok;
    case 'dialog:pickFolder':
      return true; // browser mode: no dialog, the answer is null
    default:
      return true;
  }
}

async function callWithin(channel: string, payload: unknown): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${channel} did not answer within ${CALL_TIMEOUT_MS} ms`)),
      CALL_TIMEOUT_MS,
    );
  });
  const t0 = Date.now();
  try {
    return await Promise.race([services.dispatch(channel, payload), hung]);
  } finally {
    if (process.env.FUZZ_SLOW && Date.now() - t0 > 500)
      console.error(`SLOW ${Date.now() - t0} ms ${channel} ${describePayload(payload)}`);
    clearTimeout(timer);
  }
}

function checkEnvelope(result: unknown, context: string): void {
  assert.ok(result && typeof result === 'object', `not an envelope: ${String(result)} (${context})`);
  const r = result as { ok: unknown; data?: unknown; error?: { code: unknown; message: unknown } };
  assert.equal(typeof r.ok, 'boolean', context);
  // What crosses the bridge is structured-cloned (Electron) or JSON (browser mode).
  structuredClone(r);
  JSON.stringify(r);
  if (r.ok) return;
  assert.equal(typeof r.error?.code, 'string', context);
  assert.notEqual(r.error!.code, 'INTERNAL', `INTERNAL for bad input: ${String(r.error!.message)} (${context})`);
  assertOneSentence(r.error!.message, context);
}

const describePayload = (p: unknown) => (JSON.stringify(p) ?? String(p)).slice(0, 300);

test(
  'every channel answers random payloads with an envelope, in one sentence, never INTERNAL',
  { timeout: 300_000 },
  async () => {
    const cases = fc
      .constantFrom(...CHANNELS)
      .chain((channel) => payloadArb(channel).map((payload) => ({ channel, payload })))
      .filter(({ channel, payload }) => harmless(channel, payload));
    await fc.assert(
      fc.asyncProperty(cases, async ({ channel, payload }) => {
        const context = `${channel} ${describePayload(payload)}`;
        checkEnvelope(await callWithin(channel, payload), context);
      }),
      fuzzParams(RUNS * 2),
    );
    // Nothing was started, and the store still answers.
    assert.deepEqual(services.runs.activeIds(), []);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(
      Object.getOwnPropertyNames(Object.prototype).sort(),
      PROTOTYPE_NAMES,
      'a call changed Object.prototype',
    );
    const list = await services.dispatch('runs:list', {});
    assert.ok(list.ok);
  },
);

test('an unknown channel or a channel name of any length is refused in one sentence', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string({ maxLength: 2000, unit: 'binary' }),
        fc.constantFrom('__proto__', 'constructor', 'toString', 'runs:', 'runs:list\n'),
      ),
      hostileJson,
      async (channel, payload) => {
        fc.pre(!(CHANNELS as string[]).includes(channel));
        const r = await callWithin(channel, payload);
        checkEnvelope(r, JSON.stringify(channel).slice(0, 100));
        assert.equal((r as { error: { code: string } }).error.code, 'UNKNOWN_CHANNEL');
      },
    ),
    fuzzParams(),
  );
});

test('the stored run and study survive the fuzzing readable', async () => {
  const run = await services.dispatch('runs:get', { id: runId });
  const study = await services.dispatch('studies:get', { id: studyId });
  // runs:delete / studies:delete may have been drawn with these ids; then they are gone, cleanly.
  for (const r of [run, study]) assert.ok(r.ok || r.error.code === 'NOT_FOUND', JSON.stringify(r).slice(0, 300));
});
