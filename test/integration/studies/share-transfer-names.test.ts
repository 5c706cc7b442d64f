/**
 * A shared training fetched from Redis is written only inside the worker's share folder (issue 24:
 * a name from input never reaches a file outside the data folder). Redis is written by other machines;
 * an entry named `../escape` or a file named `../../x` in a real Redis must be skipped, while a
 * well-formed entry is copied.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { keys } from '../../../src/main/queue/protocol';
import { fetchEntries } from '../../../src/main/queue/share-transfer';
import { entryName } from '../../../src/main/files/shared-trainings';
import { startRedis, type TestRedis } from '../support/redis-server';

let redis: TestRedis;
let client: Redis;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-share-names-'));

before(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
});

after(async () => {
  client.disconnect();
  await redis.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('entries and files named to climb out of the share folder are skipped; a real entry is copied', async () => {
  const study = 'study-1';
  const dir = path.join(tmp, 'worker', 'shared');
  const good = entryName('original|seed=1');
  await client.hset(keys.share(study, good), 'meta.json', '{"key":"original|seed=1"}', 'w.fmw', Buffer.from([1, 2, 3]));
  await client.hset(keys.share(study, '../../escaped-entry'), 'meta.json', '{}');
  await client.hset(keys.share(study, '..'), 'meta.json', '{}');
  await client.hset(keys.share(study, entryName('other')), 'meta.json', '{}', '../../../escaped-file', 'x');
  const copied = await fetchEntries(client, study, dir);
  assert.equal(copied, 2, 'the good entry and the entry whose stray file was dropped');
  assert.deepEqual(fs.readdirSync(path.join(dir, good)).sort(), ['meta.json', 'w.fmw']);
  assert.deepEqual(fs.readFileSync(path.join(dir, good, 'w.fmw')), Buffer.from([1, 2, 3]));
  assert.deepEqual(fs.readdirSync(path.join(dir, entryName('other'))), ['meta.json']);
  // Nothing landed beside or above the share folder.
  assert.deepEqual(fs.readdirSync(tmp), ['worker']);
  assert.deepEqual(fs.readdirSync(path.join(tmp, 'worker')), ['shared']);
  assert.deepEqual(fs.readdirSync(dir).sort(), [good, entryName('other')].sort());
});
