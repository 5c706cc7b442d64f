import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseQueueUrl, QueueUrlError, queueWhere, redactQueueUrl } from '../../../src/shared/queue-url';
import { assertOneSentence, fuzzParams } from '../fuzz/arbitraries';

test('queue URLs: redis and rediss, password, user, port and db', () => {
  assert.deepEqual(parseQueueUrl('redis://127.0.0.1:6380'), { tls: false, host: '127.0.0.1', port: 6380, db: 0 });
  assert.deepEqual(parseQueueUrl('rediss://:p%40ss@queue.lab:6390/3'), {
    tls: true,
    host: 'queue.lab',
    port: 6390,
    db: 3,
    password: 'p@ss',
  });
  assert.deepEqual(parseQueueUrl('redis://ana:pw@h'), {
    tls: false,
    host: 'h',
    port: 6379,
    db: 0,
    username: 'ana',
    password: 'pw',
  });
  assert.equal(queueWhere(parseQueueUrl('rediss://:pw@[::1]:7000')), 'rediss://[::1]:7000');
  // A password may hold an @, a %25 (a literal %), a : and non-ASCII text; the last @ ends it.
  assert.equal(parseQueueUrl('redis://:a@b%25c:d\u00e9@h:1/0').password, 'a@b%c:d\u00e9');
  assert.equal(parseQueueUrl(' REDIS://H ').host, 'H');
});

test('a bad queue URL is one sentence naming the part that is wrong, never repeating the password', () => {
  const cases: [string, RegExp][] = [
    ['http://:secret@h:1', /must start with redis:\/\/ or rediss:\/\//],
    ['redis:secret@h', /must start with redis:\/\//],
    ['redis://:secret@h:1/16', /database \(after the last \/\) must be a number from 0 to 15/],
    ['redis://:secret@h:1/x', /database \(after the last \/\) must be a number/],
    ['redis://:secret@h:1?tls=1', /must not have a \?query/],
    ['not a url secret', /is not a URL/],
    // The reported one: a stray % in the password gave "URI malformed".
    ['redis://:secr%et@h:1', /password has a "%" not followed by two hex digits: write a % in it as %25/],
    ['redis://us%er:secret@h:1', /user name has a "%"/],
    ['redis://:secret%FF@h:1', /password has %-escapes that are not UTF-8/],
    ['redis://:sec/ret@h:1', /password holds a "\/", which a URL cannot hold there: write it as %2F/],
    ['redis://:sec#ret@h:1', /password holds a "#".*%23/],
    ['redis://:sec?ret@h:1', /password holds a "\?".*%3F/],
    ['redis://:secret@h:port', /port \(after the host's :\) must be a number from 1 to 65535/],
    ['redis://:secret@h:70000', /port .* from 1 to 65535/],
    ['redis://:secret@h:0', /port .* from 1 to 65535/],
    ['redis://:secret@:1', /names no host/],
    ['redis://:secret', /names no host/],
    ['redis://:secret@h h:1', /host is not a host name or IP address/],
  ];
  for (const [url, why] of cases) {
    assert.throws(
      () => parseQueueUrl(url),
      (e: Error) =>
        e instanceof QueueUrlError &&
        why.test(e.message) &&
        !/secr|sec\/|us%er/.test(e.message) &&
        !e.message.includes('\n'),
      url,
    );
  }
});

test('redaction hides the password (and a bare userinfo, which may be one), nothing else', () => {
  assert.equal(redactQueueUrl('redis://:s3cr3t@host:6379/2'), 'redis://:***@host:6379/2');
  assert.equal(redactQueueUrl('rediss://ana:s3cr3t@host'), 'rediss://ana:***@host');
  assert.equal(redactQueueUrl('redis://s3cr3t@host'), 'redis://***@host');
  assert.equal(redactQueueUrl('redis://host:6379'), 'redis://host:6379');
  assert.equal(redactQueueUrl('redis://:a:b@c@host/1'), 'redis://:***@host/1');
  assert.equal(redactQueueUrl('redis://:s3/cr#3t@host'), 'redis://:***@host');
});

/** Any text a password could be: printable ASCII with the URL's own delimiters, escapes, unicode. */
const passwordText = fc
  .array(
    fc.oneof(
      fc.constantFrom('%', '/', '#', '?', '@', ':', '[', ']', ' ', '\\', '%2', '%zz', '%41', '%FF'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => `Pw${parts.join('')}`);

test('fuzz: whatever the password holds, the URL parses to it or is refused in one sentence without it', () => {
  fc.assert(
    fc.property(
      passwordText,
      fc.constantFrom('', 'ana'),
      fc.constantFrom('h', '127.0.0.1:6390', 'h:x', '', 'q.lab/2', 'h/99'),
      (password, user, rest) => {
        const url = `redis://${user}:${password}@${rest}`;
        let address;
        try {
          address = parseQueueUrl(url);
        } catch (e) {
          assert.ok(e instanceof QueueUrlError, `${url}: threw ${(e as Error).name}: ${(e as Error).message}`);
          assertOneSentence(e.message, url);
          assert.ok(!e.message.includes(password), `${url}: the message holds the password: ${e.message}`);
          return;
        }
        // Accepted: the password is exactly what the URL's escapes say it is, and never shown redacted.
        assert.equal(address.password, decodeURIComponent(password));
        assert.ok(!redactQueueUrl(url).includes(password));
      },
    ),
    fuzzParams(),
  );
});

test('fuzz: any text at all is a queue address or a QueueUrlError, never another exception', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string().map((s) => `redis://${s}`),
        fc.webUrl(),
      ),
      (text) => {
        try {
          parseQueueUrl(text);
        } catch (e) {
          assert.ok(
            e instanceof QueueUrlError,
            `${JSON.stringify(text)}: threw ${(e as Error).name}: ${(e as Error).message}`,
          );
          assertOneSentence(e.message, text);
        }
      },
    ),
    fuzzParams(),
  );
});
