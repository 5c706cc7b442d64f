import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { WeightsFileError } from '../../../src/main/files/errors';
import {
  loadWeightsArtifact,
  readWeights,
  saveWeightsArtifact,
  toWeightTensors,
  writeWeights,
  type WeightTensor,
} from '../../../src/main/store/weights-file';
import { listFiles, tempDataDir, tempStore } from './helpers';

/** Awkward values on purpose: NaN payloads, -0, infinities, subnormals, the extremes. */
function sampleTensors(): WeightTensor[] {
  const special = new Float32Array([NaN, -0, 0, Infinity, -Infinity, 1.4e-45, -3.4028235e38, 3.4028235e38, 1 / 3]);
  new Uint32Array(special.buffer)[0] = 0x7fc00123; // a NaN with a payload must survive too
  const big = Float32Array.from({ length: 4 * 3 * 5 * 7 }, (_, i) => Math.sin(i) * 1e3);
  return [
    { name: 'conv1.kernel', shape: [4, 3, 5, 7], data: big },
    { name: 'special', shape: [9], data: special },
    { name: 'scalar', shape: [], data: new Float32Array([42.5]) },
    { name: 'empty', shape: [0, 3], data: new Float32Array(0) },
    // a view into a larger buffer (byteOffset != 0), as engine code may hand over
    { name: 'view', shape: [2], data: new Float32Array(new Float32Array([9, 1, 2, 9]).buffer, 4, 2) },
  ];
}

const bytesOf = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

test('weights round-trip bit-exactly, header and hash as documented', (t) => {
  const dir = tempDataDir(t);
  const tensors = sampleTensors();
  const w = writeWeights(dir, 'run-1', 'original', tensors);
  assert.equal(w.relPath, 'weights/run-1/original.fmw');
  const file = path.join(dir, 'weights', 'run-1', 'original.fmw');
  assert.equal(w.absPath, file);
  const raw = fs.readFileSync(file);
  assert.equal(raw.toString('ascii', 0, 4), 'FMW1');
  assert.equal((8 + raw.readUInt32LE(4)) % 4, 0, 'data is 4-byte aligned');
  assert.equal(w.bytes, raw.length);
  assert.equal(w.sha256, createHash('sha256').update(raw).digest('hex'));

  const back = readWeights(file, w.sha256);
  assert.equal(back.length, tensors.length);
  back.forEach((b, i) => {
    assert.equal(b.name, tensors[i].name);
    assert.deepEqual(b.shape, tensors[i].shape);
    assert.ok(b.data instanceof Float32Array);
    assert.ok(bytesOf(b.data).equals(bytesOf(tensors[i].data)), `tensor ${b.name} bytes`);
  });
  assert.deepEqual(
    readWeights(file).map((x) => x.name),
    tensors.map((x) => x.name),
    'hash is optional',
  );
});

test('the file name encodes characters that are unsafe on some OSes, reversibly', (t) => {
  const dir = tempDataDir(t);
  const w = writeWeights(dir, 'r', 'unlearn:fedmemeraser', [{ name: 'a', shape: [1], data: new Float32Array([1]) }]);
  assert.equal(w.relPath, 'weights/r/unlearn%3Afedmemeraser.fmw');
  assert.equal(writeWeights(dir, 'r', '../escape', []).relPath, 'weights/r/%2E.%2Fescape.fmw');
  assert.deepEqual(listFiles(dir), ['weights/r/%2E.%2Fescape.fmw', 'weights/r/unlearn%3Afedmemeraser.fmw']);
});

test('a flipped byte is a hash mismatch that names the file', (t) => {
  const dir = tempDataDir(t);
  const w = writeWeights(dir, 'r', 'final', sampleTensors());
  const raw = fs.readFileSync(w.absPath);
  raw[raw.length - 10] ^= 0x01;
  fs.writeFileSync(w.absPath, raw);
  assert.throws(
    () => readWeights(w.absPath, w.sha256),
    (err: unknown) => {
      assert.ok(err instanceof WeightsFileError);
      assert.equal(err.code, 'WEIGHTS_FILE_HASH_MISMATCH');
      assert.equal(err.file, w.absPath);
      assert.ok(err.message.includes(w.absPath), err.message);
      assert.match(err.message, /sha256 mismatch/);
      return true;
    },
  );
});

test('a truncated file is a size error that names the file (checked before the hash)', (t) => {
  const dir = tempDataDir(t);
  const w = writeWeights(dir, 'r', 'final', sampleTensors());
  fs.truncateSync(w.absPath, w.bytes - 6);
  for (const hash of [w.sha256, undefined]) {
    assert.throws(
      () => readWeights(w.absPath, hash),
      (err: unknown) => {
        assert.ok(err instanceof WeightsFileError);
        assert.equal(err.code, 'WEIGHTS_FILE_INVALID');
        assert.ok(err.message.includes(w.absPath));
        assert.match(
          err.message,
          new RegExp(`truncated: header describes ${w.bytes} bytes but the file has ${w.bytes - 6}`),
        );
        return true;
      },
    );
  }
  fs.truncateSync(w.absPath, 12);
  assert.throws(() => readWeights(w.absPath), /truncated: header claims \d+ bytes but the file has 12 bytes/);
  fs.truncateSync(w.absPath, 3);
  assert.throws(() => readWeights(w.absPath), /truncated: 3 bytes/);
});

test('wrong magic, extra bytes, a broken header and a missing file are each reported by name', (t) => {
  const dir = tempDataDir(t);
  const w = writeWeights(dir, 'r', 'final', sampleTensors());
  const good = fs.readFileSync(w.absPath);
  const expectError = (bytes: Buffer | null, pattern: RegExp, code = 'WEIGHTS_FILE_INVALID') => {
    if (bytes) fs.writeFileSync(w.absPath, bytes);
    else fs.rmSync(w.absPath);
    assert.throws(
      () => readWeights(w.absPath),
      (err: unknown) => {
        assert.ok(
          err instanceof WeightsFileError && err.code === code && err.message.startsWith(`weights file ${w.absPath}: `),
        );
        assert.match(err.message, pattern);
        return true;
      },
    );
  };
  const badMagic = Buffer.from(good);
  badMagic.write('PK\u0003\u0004', 0, 'latin1');
  expectError(badMagic, /not an FMW1 weights file/);
  expectError(Buffer.concat([good, Buffer.alloc(4)]), /too long/);
  const badHeader = Buffer.from(good);
  badHeader[8] = 0x7b + 1; // '{' -> '|'
  expectError(badHeader, /header is not valid/);
  expectError(null, /file not found/, 'WEIGHTS_FILE_MISSING');
});

test('writes go to a temp name then rename: no temp files remain, and a failed write leaves nothing', (t) => {
  const dir = tempDataDir(t);
  writeWeights(dir, 'r', 'a', sampleTensors());
  writeWeights(dir, 'r', 'a', sampleTensors()); // overwrite in place
  writeWeights(dir, 'r', 'b', sampleTensors());
  assert.deepEqual(listFiles(dir), ['weights/r/a.fmw', 'weights/r/b.fmw']);
  assert.throws(
    () => writeWeights(dir, 'r', 'c', [{ name: 'bad', shape: [2, 2], data: new Float32Array(3) }]),
    /tensor bad: shape \[2,2\] does not match 3 values/,
  );
  assert.deepEqual(listFiles(dir), ['weights/r/a.fmw', 'weights/r/b.fmw']);
});

test('saveWeightsArtifact records the file; loadWeightsArtifact verifies it against the stored hash', (t) => {
  const store = tempStore(t);
  const run = store.runs.create({ name: 'r', config: {} });
  const specs = [
    { name: 'dense.w', shape: [2, 2] },
    { name: 'dense.b', shape: [2] },
  ];
  const weights = [new Float32Array([1, 2, 3, 4]), new Float32Array([0.5, -0.5])];
  const a = saveWeightsArtifact(store, run.id, 'unlearn:fedmemeraser', toWeightTensors(specs, weights));
  assert.equal(a.kind, 'weights');
  assert.equal(a.path, `weights/${run.id}/unlearn%3Afedmemeraser.fmw`);
  assert.equal(a.bytes, fs.statSync(path.join(store.dataDir, ...a.path.split('/'))).size);
  assert.match(a.sha256!, /^[0-9a-f]{64}$/);
  const back = loadWeightsArtifact(store, run.id, 'unlearn:fedmemeraser').map((x) => x.data);
  assert.deepEqual(back, weights);

  const abs = path.join(store.dataDir, ...a.path.split('/'));
  const raw = fs.readFileSync(abs);
  raw[raw.length - 1] ^= 0x80;
  fs.writeFileSync(abs, raw);
  assert.throws(() => loadWeightsArtifact(store, run.id, 'unlearn:fedmemeraser'), /sha256 mismatch/);
  assert.throws(() => loadWeightsArtifact(store, run.id, 'nope'), /has no weights named nope/);
  assert.throws(() => saveWeightsArtifact(store, 'no-such-run', 'x', []), /run no-such-run does not exist/);
  assert.equal(fs.existsSync(path.join(store.dataDir, 'weights', 'no-such-run')), false);
  assert.throws(() => toWeightTensors(specs, weights.slice(1)), /1 weight arrays for 2 parameter specs/);
});
