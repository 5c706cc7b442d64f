/**
 * A run's checkpoint on disk (issue 13): the round-state file reads back bit for bit (float64 CSL,
 * NaN and infinite losses included); a truncated, altered or foreign file is refused in one sentence,
 * and the run checkpoint then trains that stage again from its start rather than use it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  CheckpointFileError,
  decodeStateFile,
  encodeStateFile,
  readStateFile,
  writeStateFile,
} from '../../../src/main/engine/checkpoint/round-state-file';
import { RunCheckpoint } from '../../../src/main/engine/checkpoint/run-checkpoint';
import { fromExactJson, toExactJson } from '../../../src/main/engine/checkpoint/exact-json';
import { parseConfig } from '../../../src/shared/config';
import type { FedAvgState } from '../../../src/main/engine/fl/fedavg';

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-ckpt-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const record = (round: number, trainLoss = 1.5) => ({
  stage: 'original',
  round,
  testAccuracy: 0.5,
  testLoss: Infinity,
  trainLoss,
  elapsedMs: 12.5,
  clients: [{ client: 0, trainLoss: 1.5, numExamples: 10 }],
});

test('exact JSON keeps NaN and infinities and reads plain JSON as JSON does', () => {
  const value = { a: NaN, b: [Infinity, -Infinity, 1.5, null], c: { $num: 'other' } };
  assert.deepEqual(fromExactJson(toExactJson(value)), value);
  assert.equal(JSON.stringify({ a: NaN }), '{"a":null}', 'what plain JSON would have lost');
  assert.deepEqual(fromExactJson('{"x":[1,2],"y":"s"}'), { x: [1, 2], y: 's' });
});

test('a round-state file reads back bit for bit: float32 weights, float64 accumulators, records with NaN', (t) => {
  const file = path.join(tempDir(t), 'r.fmc');
  const csl = Float64Array.of(0.1 + 0.2, 1e-300, -0, 7);
  const g = Float32Array.of(1, -2.5, 3e-8, Math.fround(1 / 3));
  writeStateFile(file, { meta: { round: 3, records: [record(1, NaN)] }, arrays: { g0: g, csl } });
  const back = readStateFile(file)!;
  assert.deepEqual(back.meta, { round: 3, records: [record(1, NaN)] });
  assert.ok(back.arrays.g0 instanceof Float32Array && back.arrays.csl instanceof Float64Array);
  assert.deepEqual(Buffer.from(back.arrays.csl.buffer), Buffer.from(csl.buffer), 'the float64 bytes, -0 included');
  assert.deepEqual(back.arrays.g0, g);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['r.fmc'], 'no temporary file left');
  assert.equal(readStateFile(path.join(path.dirname(file), 'none.fmc')), null, 'no file: no state');
});

test('a truncated, altered or foreign file is refused in one sentence naming it', () => {
  const buf = encodeStateFile({ meta: { round: 1 }, arrays: { g0: Float32Array.of(1, 2, 3) } });
  const refused = (b: Buffer, why: RegExp) => {
    assert.throws(
      () => decodeStateFile(b, '/x/r.fmc'),
      (e: Error) => {
        assert.ok(e instanceof CheckpointFileError);
        assert.match(e.message, /^the checkpoint \/x\/r\.fmc cannot be used: /);
        assert.match(e.message, why);
        assert.doesNotMatch(e.message, /\n/);
        return true;
      },
    );
  };
  refused(buf.subarray(0, buf.length - 1), /truncated/);
  refused(buf.subarray(0, 6), /not a checkpoint file or is truncated/);
  refused(Buffer.concat([buf, Buffer.from([0])]), /bytes past its end/);
  const flipped = Buffer.from(buf);
  flipped[flipped.length - 2] ^= 0x01;
  refused(flipped, /checksum/);
  // The header's JSON changed but still parses: the checksum covers it too.
  const edited = Buffer.from(buf.toString('latin1').replace('"round":1', '"round":2'), 'latin1');
  refused(edited, /checksum/);
  refused(Buffer.from('FMW1\0\0\0\0'), /not a checkpoint file/);
});

const config = parseConfig({
  seed: 1,
  dataset: { id: 'mnist', trainSize: 20, testSize: 10 },
  partition: { clients: 2 },
  training: { rounds: 4 },
});
const state = (round: number): FedAvgState => ({
  round,
  global: [Float32Array.of(round, 2), Float32Array.of(3)],
  records: Array.from({ length: round }, (_, i) => record(i + 1)),
});

test('a run checkpoint continues a training from its last saved round, with its accumulator', (t) => {
  const dir = tempDir(t);
  const logs: string[] = [];
  const ckpt = new RunCheckpoint(dir, 'run-1', config, 'wasm', (level, m) => logs.push(`${level}: ${m}`));
  const csl = Float64Array.of(0.5, 0.25);
  const first = ckpt.rounds('original', [2, 1], csl);
  assert.equal(first.from, null, 'nothing saved yet');
  first.save(state(1));
  csl[0] = 0.75;
  first.save(state(2));

  const restored = new Float64Array(2);
  const again = new RunCheckpoint(dir, 'run-1', config, 'wasm', (level, m) => logs.push(`${level}: ${m}`)).rounds(
    'original',
    [2, 1],
    restored,
  );
  assert.deepEqual(again.from, state(2));
  assert.deepEqual(restored, Float64Array.of(0.75, 0.25));
  assert.deepEqual(logs, ['info: original continues after round 2, from the checkpoint']);
  // Another stage, or the same stage of another config or backend, sees nothing.
  assert.equal(ckpt.rounds('retrain:0', [2, 1]).from, null);
  assert.equal(
    new RunCheckpoint(dir, 'run-1', { ...config, seed: 2 }, 'wasm', () => {}).rounds(
      'original',
      [2, 1],
      new Float64Array(2),
    ).from,
    null,
  );
  assert.equal(
    new RunCheckpoint(dir, 'run-1', config, 'tensorflow', () => {}).rounds('original', [2, 1], new Float64Array(2))
      .from,
    null,
    'another backend: computed again',
  );
});

test('a damaged or mismatched round checkpoint is reported and the stage starts again; a completed stage drops it', (t) => {
  const dir = tempDir(t);
  const warnings: string[] = [];
  const ckpt = new RunCheckpoint(dir, 'run-1', config, 'wasm', (level, m) => level === 'warn' && warnings.push(m));
  ckpt.rounds('original', [2, 1]).save(state(2));
  const [file] = fs.readdirSync(path.join(dir, 'rounds')).map((f) => path.join(dir, 'rounds', f));
  fs.truncateSync(file, fs.statSync(file).size - 3);
  assert.equal(ckpt.rounds('original', [2, 1]).from, null, 'never a half state');
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /^the checkpoint .* cannot be used: it is truncated; training original again from its start$/,
  );
  assert.equal(fs.existsSync(file), false, 'the damaged file is removed');

  ckpt.rounds('original', [2, 1]).save(state(1));
  assert.equal(ckpt.rounds('original', [5]).from, null, 'other weight shapes: not this model');
  assert.match(warnings[1], /it does not match this run/);

  ckpt.rounds('original', [2, 1]).save(state(1));
  ckpt.complete('original', { weights: state(4).global, rounds: state(4).records });
  assert.equal(fs.readdirSync(path.join(dir, 'rounds')).length, 0, 'the round state goes once the stage is complete');
  const done = ckpt.completed('original');
  assert.deepEqual(done?.weights, state(4).global);
  assert.deepEqual(done?.rounds, state(4).records, 'Infinity losses come back as numbers');
});

test('a damaged completed stage is reported in one sentence and treated as not done', (t) => {
  const dir = tempDir(t);
  const warnings: string[] = [];
  const ckpt = new RunCheckpoint(dir, 'run-1', config, 'wasm', (level, m) => level === 'warn' && warnings.push(m));
  ckpt.complete('unlearn:finetune', { weights: state(1).global, rounds: [record(1)], json: { trace: { a: 1 } } });
  assert.deepEqual(ckpt.completed('unlearn:finetune')?.json, { trace: { a: 1 } });
  const [entry] = fs.readdirSync(path.join(dir, 'stages'));
  fs.truncateSync(path.join(dir, 'stages', entry, 'model.fmw'), 10);
  assert.equal(ckpt.completed('unlearn:finetune'), null);
  assert.match(warnings[0], /^the saved stage in .* cannot be read \(.*truncated.*\); training it again$/);
});
