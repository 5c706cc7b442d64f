import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQueueUrl, queueWhere, redactQueueUrl } from '../../../src/shared/queue-url';

test('queue URLs: redis and rediss, password, user, port and db', () => {
  assert.deepEqual(parseQueueUrl('redis://127.0.0.1:6380'), { tls: false, host: '127.0.0.1', port: 6380, db: 0 });
  assert.deepEqual(parseQueueUrl('rediss://:p%40ss@queue.lab:6390/3'), { tls: true, host: 'queue.lab', port: 6390, db: 3, password: 'p@ss' });
  assert.deepEqual(parseQueueUrl('redis://ana:pw@h'), { tls: false, host: 'h', port: 6379, db: 0, username: 'ana', password: 'pw' });
  assert.equal(queueWhere(parseQueueUrl('rediss://:pw@[::1]:7000')), 'rediss://[::1]:7000');
});

test('a bad queue URL is one sentence that never repeats the password', () => {
  const cases: [string, RegExp][] = [
    ['http://:secret@h:1', /must start with redis:\/\/ or rediss:\/\//],
    ['redis://:secret@h:1/16', /database after the last \/ must be a number from 0 to 15/],
    ['redis://:secret@h:1/x', /database after the last \/ must be a number/],
    ['redis://:secret@h:1?tls=1', /must not have a \?query/],
    ['not a url secret', /is not a URL/],
  ];
  for (const [url, why] of cases) {
    assert.throws(() => parseQueueUrl(url), (e: Error) => why.test(e.message) && !e.message.includes('secret') && !e.message.includes('\n'), url);
  }
});

test('redaction hides the password (and a bare userinfo, which may be one), nothing else', () => {
  assert.equal(redactQueueUrl('redis://:s3cr3t@host:6379/2'), 'redis://:***@host:6379/2');
  assert.equal(redactQueueUrl('rediss://ana:s3cr3t@host'), 'rediss://ana:***@host');
  assert.equal(redactQueueUrl('redis://s3cr3t@host'), 'redis://***@host');
  assert.equal(redactQueueUrl('redis://host:6379'), 'redis://host:6379');
  assert.equal(redactQueueUrl('redis://:a:b@c@host/1'), 'redis://:***@host/1');
});
