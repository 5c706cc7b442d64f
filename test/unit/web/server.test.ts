/**
 * Browser mode's server on 127.0.0.1, port 0, with the real handlers and store: the token is
 * required (401), a foreign Host or Origin is refused (403), the API answers exactly what the
 * handler answers, pushes arrive over the WebSocket, and the renderer's files are served without
 * letting a path climb out of their folder.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import type { WebApp } from '../../../src/main/web/app';
import { startTestWebApp, type TestWebApp } from './fixture';

const TOKEN = 'test-token-0123456789';
let app: WebApp;
let port: number;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path is sent as written (no URL normalisation), headers exactly as given. */
function request(method: string, rawPath: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: rawPath, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const auth = { 'X-FedMem-Token': TOKEN };
const api = (channel: string, input?: unknown, headers: Record<string, string> = auth) =>
  request(
    'POST',
    `/api/${channel}`,
    { 'Content-Type': 'application/json', ...headers },
    input === undefined ? '' : JSON.stringify(input),
  );

let web: TestWebApp;
before(async () => {
  web = await startTestWebApp(
    TOKEN,
    { 'assets/index-AbCd1234.js': 'console.log(1)' },
    { 'secret.txt': 'outside the renderer' },
  );
  app = web.app;
  port = web.port;
});

after(() => web.close());

describe('authentication', () => {
  test('binds to loopback on a random port and prints a URL carrying the token', () => {
    assert.equal(app.server.host, '127.0.0.1');
    assert.ok(app.server.loopback);
    assert.ok(port > 0);
    assert.equal(app.url, `http://127.0.0.1:${port}/?token=${TOKEN}`);
  });

  test('401 without the token, for pages and API calls alike', async () => {
    const page = await request('GET', '/', { Accept: 'text/html' });
    assert.equal(page.status, 401);
    assert.match(page.body, /access token/);
    const call = await api('runs:list', undefined, {});
    assert.equal(call.status, 401);
    assert.equal(JSON.parse(call.body).error.code, 'UNAUTHORIZED');
    assert.equal((await api('runs:list', undefined, { 'X-FedMem-Token': 'wrong' })).status, 401);
  });

  test('403 for a foreign Host (DNS rebinding) or a foreign Origin, even with the token', async () => {
    assert.equal((await request('GET', '/', { ...auth, Host: `evil.example:${port}` })).status, 403);
    assert.equal((await api('runs:list', undefined, { ...auth, Origin: 'http://evil.example' })).status, 403);
    assert.equal((await api('runs:list', undefined, { ...auth, Origin: 'null' })).status, 403);
    assert.equal(
      (await api('runs:list', undefined, { ...auth, Origin: `http://localhost:${port}` })).status,
      403,
      'Origin must match Host',
    );
    assert.equal((await api('runs:list', undefined, { ...auth, Origin: `http://127.0.0.1:${port}` })).status, 200);
    // An SSH tunnel may map another local port: loopback names are accepted whatever the port.
    assert.equal(
      (await request('GET', '/', { ...auth, Host: 'localhost:8000', Origin: 'http://localhost:8000' })).status,
      200,
    );
  });

  test('?token= on the first visit sets an HttpOnly cookie and redirects to the clean URL', async () => {
    const first = await request('GET', `/runs?token=${TOKEN}&x=1`);
    assert.equal(first.status, 302);
    assert.equal(first.headers.location, '/runs?x=1');
    const cookie = first.headers['set-cookie']![0];
    assert.match(cookie, new RegExp(`^fedmem-token-${port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`));
    const next = await request('GET', '/runs?x=1', { Cookie: cookie.split(';')[0] });
    assert.equal(next.status, 200);
    assert.match(next.body, /<div id="app">/);
    assert.equal((await api('runs:list', undefined, { Cookie: cookie.split(';')[0] })).status, 200);
  });

  test('every response carries the CSP and no-referrer headers', async () => {
    const r = await request('GET', '/', auth);
    assert.match(
      String(r.headers['content-security-policy']),
      /script-src 'self'; .*connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/,
    );
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  });
});

describe('API', () => {
  test('a call over HTTP returns exactly what the handler returns', async () => {
    for (const [channel, input] of [
      ['catalog:get', undefined],
      ['runs:list', {}],
      ['config:validate', { config: { seed: -1 } }],
      ['runs:get', { id: 'missing' }],
      ['runs:export', { id: 'x', format: 'pdf' }],
    ] as const) {
      const r = await api(channel, input);
      assert.equal(r.status, 200, channel);
      assert.deepEqual(
        JSON.parse(r.body),
        JSON.parse(JSON.stringify(await app.services.dispatch(channel, input))),
        channel,
      );
    }
  });

  test('bad requests: unknown channel 404, broken JSON 400, wrong method 405, not JSON 415', async () => {
    const unknown = await api('runs:explode', {});
    assert.equal(unknown.status, 404);
    assert.equal(JSON.parse(unknown.body).error.code, 'UNKNOWN_CHANNEL');
    const broken = await request('POST', '/api/runs:list', { ...auth, 'Content-Type': 'application/json' }, '{nope');
    assert.equal(broken.status, 400);
    assert.equal(JSON.parse(broken.body).error.code, 'INVALID_JSON');
    assert.equal((await request('GET', '/api/runs:list', auth)).status, 405);
    assert.equal(
      (await request('POST', '/api/runs:list', { ...auth, 'Content-Type': 'text/plain' }, '{}')).status,
      415,
    );
  });
});

describe('WebSocket', () => {
  const connect = (query: string, headers: Record<string, string> = {}) =>
    new Promise<{ ws?: WebSocket; status?: number }>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { headers });
      ws.once('open', () => resolve({ ws }));
      ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
      ws.once('error', () => resolve({ status: -1 }));
    });

  test('a WebSocket without the token is refused; a foreign Origin too', async () => {
    assert.equal((await connect('')).status, 401);
    assert.equal((await connect(`?token=${TOKEN}`, { Origin: 'http://evil.example' })).status, 403);
  });

  test('with the token it receives push events as { channel, payload }', async () => {
    const { ws } = await connect(`?token=${TOKEN}`, { Origin: `http://127.0.0.1:${port}` });
    assert.ok(ws);
    const message = new Promise<string>((resolve) =>
      ws.once('message', (d) => resolve((d as Buffer).toString('utf8'))),
    );
    const payload = { runId: 'r1', status: 'done' as const, error: null, summary: null };
    app.server.push('run:finished', payload);
    assert.deepEqual(JSON.parse(await message), { channel: 'run:finished', payload });
    ws.close();
  });
});

describe('static files', () => {
  test('serves the renderer: index, assets with their type, deep links fall back to index.html', async () => {
    const index = await request('GET', '/', auth);
    assert.equal(index.status, 200);
    assert.match(String(index.headers['content-type']), /text\/html/);
    const js = await request('GET', '/assets/index-AbCd1234.js', auth);
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^(text|application)\/javascript/);
    assert.equal(js.body, 'console.log(1)');
    assert.match((await request('GET', '/runs/abc', auth)).body, /<div id="app">/);
    assert.equal((await request('GET', '/assets/missing.js', auth)).status, 404);
    assert.equal((await request('HEAD', '/', auth)).body, '');
  });

  test('path traversal is refused, encoded or not', async () => {
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      const r = await request('GET', p, auth);
      assert.ok(r.status === 403 || r.status === 400, `${p}: ${r.status}`);
      assert.doesNotMatch(r.body, /outside the renderer/);
    }
  });
});
