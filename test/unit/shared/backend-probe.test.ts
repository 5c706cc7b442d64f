import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  choose,
  emptyProbeCache,
  findProbe,
  machineKey,
  MAX_PROBE_ENTRIES,
  parseProbeCache,
  probeReport,
  withProbe,
  type ProbeEntry,
  type ProbeLookup,
} from '../../../src/shared/backend-probe';
import { describeChoice, probeLines } from '../../../src/shared/backend-probe-text';

const machine = {
  cpuModel: '  AMD  EPYC 7B13 ',
  cores: 2,
  platform: 'linux',
  arch: 'x64',
  totalMemoryBytes: 8.2 * 2 ** 30,
};
const KEY = machineKey(machine);

const entry = (over: Partial<ProbeEntry> = {}): ProbeEntry => ({
  machineKey: KEY,
  modelId: 'cnn',
  inputShape: [28, 28, 1],
  numClasses: 10,
  batchSize: 32,
  workers: 0,
  figures: [
    { backend: 'tensorflow', samplesPerSecond: 500, workers: 1 },
    { backend: 'wasm', samplesPerSecond: 800, workers: 2 },
  ],
  chosen: 'wasm',
  measuredAt: '2026-12-08T01:30:00.000Z',
  versions: { tfjsNode: '4.22.0', tfjsCore: '4.22.0' },
  ...over,
});

const lookup = (over: Partial<ProbeLookup> = {}): ProbeLookup => ({
  machineKey: KEY,
  subject: { modelId: 'cnn', inputShape: [28, 28, 1], numClasses: 10, batchSize: 32, workers: 0 },
  candidates: ['tensorflow', 'wasm'],
  tfjsNode: '4.22.0',
  ...over,
});

test('the machine key: platform, CPU, cores and memory rounded to whole GiB', () => {
  assert.equal(KEY, 'linux-x64, AMD EPYC 7B13, 2 cores, 8 GiB');
  assert.equal(machineKey({ ...machine, totalMemoryBytes: 7.9 * 2 ** 30 }), KEY, 'a jittery reading keeps the key');
  assert.notEqual(machineKey({ ...machine, cores: 4 }), KEY);
  assert.notEqual(machineKey({ ...machine, arch: 'arm64' }), KEY);
  assert.equal(machineKey({ ...machine, cpuModel: '', cores: 1 }), 'linux-x64, unknown CPU, 1 core, 8 GiB');
});

test('choose: the fastest; within 5% of it the one earlier in AUTO_ORDER', () => {
  const f = (tensorflow: number, wasm: number) => [
    { backend: 'wasm' as const, samplesPerSecond: wasm, workers: 2 },
    { backend: 'tensorflow' as const, samplesPerSecond: tensorflow, workers: 1 },
  ];
  assert.equal(choose(f(500, 800)), 'wasm');
  assert.equal(choose(f(800, 500)), 'tensorflow');
  assert.equal(choose(f(100, 100)), 'tensorflow', 'a tie goes to the earlier backend');
  assert.equal(choose(f(100, 105)), 'tensorflow', 'wasm 5% faster is still a tie');
  assert.equal(choose(f(100, 106)), 'wasm', 'more than 5% faster wins');
  assert.equal(choose(f(104, 100)), 'tensorflow');
  assert.equal(choose([]), null);
  assert.equal(choose(f(0, Number.NaN)), null, 'failed measurements never win');
  assert.equal(choose(f(Number.NaN, 3)), 'wasm');
  assert.equal(
    choose([
      { backend: 'cpu', samplesPerSecond: 10, workers: 2 },
      { backend: 'wasm', samplesPerSecond: 400, workers: 2 },
    ]),
    'wasm',
  );
});

test('the cache answers only for the same machine, tfjs-node version, model, shape, batch, workers and candidates', () => {
  const cache = withProbe(emptyProbeCache(), entry());
  assert.equal(findProbe(cache, lookup())?.chosen, 'wasm');
  assert.equal(findProbe(cache, lookup({ machineKey: machineKey({ ...machine, cores: 8 }) })), null);
  assert.equal(findProbe(cache, lookup({ tfjsNode: '4.23.0' })), null);
  assert.equal(findProbe(cache, lookup({ tfjsNode: null })), null);
  assert.equal(findProbe(cache, lookup({ candidates: ['wasm', 'cpu'] })), null);
  assert.equal(findProbe(cache, lookup({ candidates: ['wasm', 'tensorflow'] }))?.chosen, 'wasm', 'order is no matter');
  for (const subject of [
    { modelId: 'mlp' },
    { inputShape: [32, 32, 3] as [number, number, number] },
    { numClasses: 47 },
    { batchSize: 64 },
    { workers: 1 },
  ]) {
    assert.equal(findProbe(cache, lookup({ subject: { ...lookup().subject, ...subject } })), null);
  }
});

test('a new probe replaces the one for the same question, keeps the others and the newest entries', () => {
  let cache = withProbe(emptyProbeCache(), entry());
  cache = withProbe(cache, entry({ modelId: 'mlp' }));
  cache = withProbe(cache, entry({ machineKey: 'elsewhere' }));
  const newer = entry({ chosen: 'tensorflow', measuredAt: '2026-12-09T00:00:00.000Z' });
  cache = withProbe(cache, newer);
  assert.equal(cache.entries.length, 3);
  assert.deepEqual(findProbe(cache, lookup()), newer);
  for (let i = 0; i < MAX_PROBE_ENTRIES + 5; i++) cache = withProbe(cache, entry({ batchSize: i + 1 }));
  assert.equal(cache.entries.length, MAX_PROBE_ENTRIES);
  assert.equal(cache.entries.at(-1)?.batchSize, MAX_PROBE_ENTRIES + 5);
});

test('a cache file round-trips, and a malformed one is ignored with a reason, never thrown', () => {
  const good = withProbe(emptyProbeCache(), entry());
  assert.deepEqual(parseProbeCache(JSON.stringify(good)), { cache: good, problems: [] });
  const empty = (raw: string) => {
    const r = parseProbeCache(raw);
    assert.deepEqual(r.cache, emptyProbeCache(), raw);
    assert.equal(r.problems.length, 1, raw);
    return r.problems[0];
  };
  assert.match(empty('{"version": 1, "entries": ['), /^not JSON/);
  assert.match(empty(''), /^not JSON/);
  assert.match(empty('null'), /^not a probe cache/);
  assert.match(empty('[]'), /^not a probe cache/);
  assert.match(empty('{"version": 2, "entries": []}'), /^not a probe cache \(version:/);
  assert.match(empty('{"version": 1, "entries": {}}'), /entries/);
  // One bad entry is dropped by itself; the good ones stay.
  const bad = [
    { ...entry(), chosen: 'gpu' },
    { ...entry(), inputShape: [28, 28] },
    { ...entry(), figures: [] },
    { ...entry(), figures: [{ backend: 'wasm', samplesPerSecond: -1, workers: 2 }] },
    { ...entry(), measuredAt: 'yesterday' },
    { ...entry(), extra: 1 },
    { ...entry(), versions: { tfjsCore: '4.22.0' } },
    'text',
  ];
  const r = parseProbeCache(JSON.stringify({ version: 1, entries: [entry(), ...bad] }));
  assert.deepEqual(r.cache.entries, [entry()]);
  assert.equal(r.problems.length, bad.length);
  assert.match(r.problems[0], /^entry 1 ignored \(chosen: /);
  assert.match(r.problems[4], /^entry 5 ignored \(measuredAt: must be an ISO date and time\)/);
});

test('a reserved key anywhere in the file ignores it whole and never reaches a prototype', () => {
  for (const raw of [
    '{"__proto__": {"polluted": 1}, "version": 1, "entries": []}',
    `{"version": 1, "entries": [${JSON.stringify(entry()).replace(/^\{/, '{"constructor": {"prototype": {"polluted": 1}},')}]}`,
    `{"version": 1, "entries": [${JSON.stringify(entry()).replace('"versions":{', '"versions":{"__proto__":{"polluted":1},')}]}`,
  ]) {
    const r = parseProbeCache(raw);
    assert.deepEqual(r.cache, emptyProbeCache());
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0], /is not allowed as a key/);
  }
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
});

test('the words: the provenance line and the doctor section', () => {
  assert.equal(
    describeChoice(entry()),
    'auto: chose wasm (800 samples/s, 2 workers) over tensorflow (500 samples/s, 1 worker), measured 2026-12-08 01:30 UTC',
  );
  const parsed = parseProbeCache(
    JSON.stringify(withProbe(withProbe(emptyProbeCache(), entry()), entry({ machineKey: 'elsewhere' }))),
  );
  const report = probeReport('/data/backend-probes.json', parsed, KEY, '4.22.0');
  assert.equal(report.entries.length, 1);
  assert.equal(report.otherEntries, 1);
  const text = probeLines(report, 'tensorflow').join('\n');
  assert.match(text, /cached in \/data\/backend-probes\.json/);
  assert.match(text, /cnn 28×28×1, 10 classes, batch 32, one worker per core: chose wasm \(800 samples\/s/);
  assert.match(text, /1 more of another machine or tfjs-node version/);
  const absent = probeLines(
    probeReport('/f', { cache: emptyProbeCache(), problems: ['not JSON (x)'] }, KEY, null),
    'wasm',
  );
  assert.match(absent.join('\n'), /@tensorflow\/tfjs-node is not installed on this machine/);
  assert.match(absent.join('\n'), /no probe recorded on this machine yet/);
  assert.match(absent.join('\n'), /ignored in the file: not JSON \(x\)/);
  assert.match(probeLines(report, 'webgpu').join('\n'), /GPU backend wins outright/);
  assert.deepEqual(probeLines(undefined, 'wasm'), []);
});
