/** A Redis outage is told once, however often ioredis and BullMQ report a failed reconnection (issue 24). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isConnectionError, outageReporter } from '../../../src/main/queue/connect';
import { parseQueueUrl } from '../../../src/shared/queue-url';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6390'), { code: 'ECONNREFUSED' });

test('an outage is one line when it starts and one when Redis answers again, never the password', () => {
  const said: string[] = [];
  const outage = outageReporter(parseQueueUrl('redis://:s3cret@10.0.0.5:6390'), (l) => said.push(l));
  outage.ready(); // the first connection is no return from an outage
  for (let i = 0; i < 18; i++) outage.failed(refused());
  outage.ready();
  outage.ready();
  outage.failed(new Error('getaddrinfo EAI_AGAIN queue.lab'));
  outage.failed(refused());
  outage.ready();
  assert.deepEqual(said, [
    'waiting for Redis at redis://10.0.0.5:6390 (connection refused)',
    'Redis at redis://10.0.0.5:6390 answers again',
    'waiting for Redis at redis://10.0.0.5:6390 (host not found)',
    'Redis at redis://10.0.0.5:6390 answers again',
  ]);
});

test('connection failures are told apart from failed commands', () => {
  for (const message of [
    'connect ECONNREFUSED 127.0.0.1:6379',
    'read ECONNRESET',
    'Connection is closed.',
    'connect ETIMEDOUT',
  ]) {
    assert.ok(isConnectionError(new Error(message)), message);
  }
  for (const message of [
    'Missing key for job run-1. moveToFinished',
    'could not renew lock for job run-1',
    'WRONGPASS invalid username-password pair',
  ]) {
    assert.ok(!isConnectionError(new Error(message)), message);
  }
});
