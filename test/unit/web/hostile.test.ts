/**
 * No request takes browser mode down. Raw bytes over a socket to a real server on 127.0.0.1: the three
 * inputs that used to kill it (a `//[` request line, an undecodable token cookie, a request while the
 * renderer folder is missing) and a few hundred seeded, fuzzed requests. Each must be answered with a
 * 4xx/5xx status, and afterwards the server must still answer an authenticated API call.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRng } from '../../../src/main/engine/rng';
import { startTestWebApp, type TestWebApp } from './fixture';

const TOKEN = 'hostile-token-0123456789';
let root: string;
let port: number;

/** Sends `raw` as is and resolves with the status code of the first response line (null if none came). */
function rawRequest(raw: string | Buffer, timeoutMs = 5000): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = (status: number | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(status);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('data', (d) => {
      data += d.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      if (m) done(Number(m[1]));
    });
    socket.on('error', () => done(null));
    socket.on('end', () =>
      done(/^HTTP\/1\.[01] (\d{3})/.exec(data) ? Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)![1]) : null),
    );
    socket.write(raw);
  });
}

const host = () => `Host: 127.0.0.1:${port}\r\n`;

async function stillServes(): Promise<void> {
  const body = '{}';
  const status = await rawRequest(
    `POST /api/runs:list HTTP/1.1\r\n${host()}X-FedMem-Token: ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
  assert.equal(status, 200, 'the server still answers an authenticated call');
}

let web: TestWebApp;
before(async () => {
  web = await startTestWebApp(TOKEN);
  root = web.root;
  port = web.port;
});

after(() => web.close());

describe('the inputs that used to kill the server', () => {
  test('a raw request line GET //[ is answered, with or without the token', async () => {
    const status = await rawRequest(`GET //[ HTTP/1.1\r\n${host()}Connection: close\r\n\r\n`);
    assert.ok(status !== null && status >= 400, `status ${status}`);
    const withToken = await rawRequest(
      `GET //[ HTTP/1.1\r\n${host()}X-FedMem-Token: ${TOKEN}\r\nConnection: close\r\n\r\n`,
    );
    assert.ok(withToken !== null && withToken < 600, `status ${withToken}`);
    await stillServes();
  });

  test('an undecodable token cookie is a wrong token (401), not a crash', async () => {
    const status = await rawRequest(
      `GET / HTTP/1.1\r\n${host()}Cookie: fedmem-token-${port}=%E0%A4%A\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(status, 401);
    await stillServes();
  });

  test('a request while the renderer folder is missing gets 503; the API keeps working', async () => {
    const renderer = path.join(root, 'renderer');
    fs.renameSync(renderer, `${renderer}.away`);
    try {
      for (const p of ['/', '/runs/abc', '/assets/x.js']) {
        const status = await rawRequest(
          `GET ${p} HTTP/1.1\r\n${host()}X-FedMem-Token: ${TOKEN}\r\nConnection: close\r\n\r\n`,
        );
        assert.equal(status, 503, p);
      }
      await stillServes();
    } finally {
      fs.renameSync(`${renderer}.away`, renderer);
    }
  });

  test('a body over the limit gets 413', async () => {
    const big = JSON.stringify({ config: 'x'.repeat(3 * 1024 * 1024) });
    const status = await rawRequest(
      `POST /api/config:validate HTTP/1.1\r\n${host()}X-FedMem-Token: ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n${big}`,
    );
    assert.equal(status, 413);
    await stillServes();
  });
});

describe('fuzzed requests', () => {
  // Pieces that break naive parsers: bad percent escapes, brackets, traversal, NUL, CR in odd places,
  // non-ASCII, huge tokens, and framing headers that disagree.
  const PATH_BITS = [
    '/',
    '//',
    '[',
    ']',
    '%',
    '%E0%A4%A',
    '%zz',
    '%00',
    '..',
    '%2e%2e',
    '\\',
    '?',
    '#',
    '&',
    '=',
    'token=',
    '@',
    ':',
    'ü',
    '\u0000',
    'api/',
    'ws',
    '*',
    ' ',
    '%FF',
    'a'.repeat(300),
  ];
  const METHODS = [
    'GET',
    'POST',
    'HEAD',
    'PUT',
    'DELETE',
    'OPTIONS',
    'PATCH',
    'TRACE',
    'CONNECT',
    'BREW',
    'G\u0000T',
    '',
  ];
  const HEADERS = [
    () => `Cookie: fedmem-token-${port}=%E0%A4%A`,
    () => `Cookie: ${'%'.repeat(50)}=%%%; a=b=c; ;;`,
    () => 'Host: evil.example',
    () => 'Host: [::1',
    () => 'Origin: null',
    () => 'Origin: http://[',
    () => 'Content-Type: application/json',
    () => 'Content-Type: multipart/form-data; boundary=x',
    () => 'Transfer-Encoding: chunked',
    () => 'Content-Length: -1',
    () => 'Content-Length: 99999999999999999999',
    () => 'Authorization: Bearer',
    () => 'X-FedMem-Token: \u00ff\u00fe',
    () => 'Upgrade: websocket',
    () => 'Connection: Upgrade',
    () => 'Sec-WebSocket-Key: x',
    () => 'Accept: text/html',
  ];

  test('three hundred seeded random requests each get a 4xx/5xx, and the server stays up', async () => {
    const rng = createRng('web-fuzz');
    const pick = <T>(xs: T[]) => xs[rng.int(xs.length)];
    const statuses = new Map<number | null, number>();
    for (let i = 0; i < 300; i++) {
      const pathPart = Array.from({ length: 1 + rng.int(6) }, () => pick(PATH_BITS)).join('');
      const headers = Array.from({ length: rng.int(5) }, () => pick(HEADERS)());
      if (rng.next() < 0.8) headers.push(`Host: 127.0.0.1:${port}`);
      const body =
        rng.next() < 0.3 ? pick(['{', '{}', '[]', 'null', '{"config":', '\u0000', '%', 'a'.repeat(1000)]) : '';
      const framing = headers.some((h) => /^(Content-Length|Transfer-Encoding)/.test(h))
        ? ''
        : `Content-Length: ${Buffer.byteLength(body)}\r\n`;
      const raw = `${pick(METHODS)} ${rng.next() < 0.9 ? '/' : ''}${pathPart} HTTP/1.1\r\n${headers.join('\r\n')}${headers.length ? '\r\n' : ''}${framing}Connection: close\r\n\r\n${body}`;
      const status = await rawRequest(Buffer.from(raw, 'latin1'), 3000);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      // Without the token nothing may succeed; a garbled request may also be dropped by the HTTP parser.
      assert.ok(
        status === null || (status >= 400 && status < 600),
        `request ${i} got ${status}: ${JSON.stringify(raw.slice(0, 200))}`,
      );
    }
    const answered = [...statuses].filter(([s]) => s !== null).reduce((a, [, n]) => a + n, 0);
    assert.ok(answered >= 250, `most requests get a status line (${JSON.stringify([...statuses])})`);
    await stillServes();
  });
});
