/**
 * The study's stage cache on disk: a stored training reads back exactly; a wrong key, a half entry or a corrupt file
 * is never taken for one.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { StageCache } from '../../../src/main/engine/stage-cache';
import { cacheEntryExists, entryName } from '../../../src/main/files/shared-trainings';

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-cache-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const rounds = [
  {
    stage: 'original',
    round: 1,
    testAccuracy: 0.5,
    testLoss: 1.2,
    trainLoss: 1.5,
    elapsedMs: 12.5,
    clients: [{ client: 0, trainLoss: 1.5, numExamples: 10 }],
  },
];
const weights = [Float32Array.of(1, -2.5, 3e-8), Float32Array.of(0.1)];

test('a stored training reads back exactly, with its side products and its producer', (t) => {
  const dir = tempDir(t);
  const cache = new StageCache({ dir, runId: 'run-a' });
  const entry = cache.begin('key-1');
  assert.equal(cacheEntryExists(dir, 'key-1'), false, 'not there until committed');
  const csl = Float64Array.of(0.25, 1e-300, 7);
  const lastRound = {
    shares: new Map([
      [0, 0.25],
      [2, 0.75],
    ]),
    localModels: new Map([[0, [Float32Array.of(9, 8)]]]),
  };
  entry.commit({ weights, rounds, aux: [Float32Array.of(4, 5)], csl, lastRound });
  assert.equal(cacheEntryExists(dir, 'key-1'), true);
  assert.deepEqual(fs.readdirSync(dir), [entryName('key-1')], 'no temporary folder is left');

  const other = new StageCache({ dir, runId: 'run-b' });
  const hit = other.load('key-1', () => assert.fail('no problem expected'));
  assert.ok(hit);
  assert.equal(hit.producedBy, 'run-a');
  assert.deepEqual(hit.weights, weights);
  assert.deepEqual(hit.rounds, rounds);
  assert.deepEqual(hit.aux, [Float32Array.of(4, 5)]);
  assert.deepEqual(hit.csl, csl);
  assert.deepEqual(hit.lastRound, lastRound);
  assert.equal(
    other.load('key-2', () => assert.fail()),
    null,
  );
});

test('an abandoned training leaves nothing; a corrupt entry is reported, removed and replaced by the next training', (t) => {
  const dir = tempDir(t);
  const cache = new StageCache({ dir, runId: 'run-a' });
  cache.begin('k').abandon();
  assert.deepEqual(fs.readdirSync(dir), []);
  cache.begin('k').commit({ weights, rounds });
  fs.truncateSync(path.join(dir, entryName('k'), 'model.fmw'), 10);
  const problems: string[] = [];
  assert.equal(
    cache.load('k', (m) => problems.push(m)),
    null,
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0], /cannot be read .*training it again/);
  assert.equal(cacheEntryExists(dir, 'k'), false);
  cache.begin('k').commit({ weights, rounds });
  assert.deepEqual(cache.load('k', () => assert.fail())?.weights, weights);
});

test('an entry whose recorded key differs (a hash collision, a foreign folder) is not a match', (t) => {
  const dir = tempDir(t);
  new StageCache({ dir, runId: 'r' }).begin('k').commit({ weights, rounds });
  const meta = path.join(dir, entryName('k'), 'meta.json');
  fs.writeFileSync(meta, JSON.stringify({ ...JSON.parse(fs.readFileSync(meta, 'utf8')), key: 'another key' }));
  assert.equal(
    new StageCache({ dir, runId: 'r' }).load('k', () => assert.fail()),
    null,
  );
});
