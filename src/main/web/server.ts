/**
 * Browser mode's transport: the built renderer, `POST /api/<channel>` (JSON body = the call's input,
 * response = the same ApiResult the IPC handler returns) and a WebSocket at /ws that pushes
 * `{ channel, payload }` for every push event. Every request passes the gate (auth.ts) first.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Push } from '../ipc/run-manager';
import type { Dispatch } from '../ipc/dispatch';
import { allowedHostnames, cookieName, createGate, isLoopback, newToken } from './auth';
import { contentSecurityPolicy } from './csp';
import { resolveStatic, sendFile } from './static-files';

export const DEFAULT_PORT = 5317;
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

export interface WebServerOptions {
  dispatch: Dispatch;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Default: a fresh random token. */
  token?: string;
  /** Extra host names to accept in Host/Origin (e.g. a reverse proxy's name). */
  allowHosts?: string[];
}

export interface WebServer {
  /** Open this (it carries the token); the page then keeps it in a cookie. */
  url: string;
  origin: string;
  host: string;
  port: number;
  token: string;
  loopback: boolean;
  push: Push;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function failure(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { ok: false, error: { code, message } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>FedMem Workbench</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>FedMem Workbench</h1><p>This server needs its access token. Open the full URL it printed when it started
(<code>http://127.0.0.1:PORT/?token=…</code>); the page then remembers the token for this browser session.</p>`;

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  let port = options.port ?? DEFAULT_PORT;
  const gate = createGate(token, () => port, allowedHostnames(host, options.allowHosts));

  const securityHeaders = (res: ServerResponse, req: IncomingMessage) => {
    // The page's own ws:// origin; a Host with anything but host-name characters never reaches a header.
    const own = /^[A-Za-z0-9.\-[\]:]+$/.test(req.headers.host ?? '') ? req.headers.host : `${host}:${port}`;
    res.setHeader('Content-Security-Policy', contentSecurityPolicy([`ws://${own}`]));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Never leak the ?token= URL to another site through Referer.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') return failure(res, 405, 'METHOD_NOT_ALLOWED', 'API calls are POST requests');
    const type = req.headers['content-type'] ?? '';
    let text: string;
    try {
      text = await readBody(req);
    } catch (e) {
      return failure(res, (e as { status?: number }).status ?? 400, 'BAD_REQUEST', (e as Error).message);
    }
    // JSON only: a cross-site <form> cannot send application/json, one more layer under the Origin check.
    if (text.trim() !== '' && !/^application\/json\b/i.test(type)) return failure(res, 415, 'BAD_REQUEST', 'send the input as application/json');
    let input: unknown;
    try {
      input = text.trim() === '' ? undefined : JSON.parse(text);
    } catch (e) {
      return failure(res, 400, 'INVALID_JSON', `the request body is not valid JSON: ${(e as Error).message}`);
    }
    const result = await options.dispatch(channel, input);
    json(res, !result.ok && result.error.code === 'UNKNOWN_CHANNEL' ? 404 : 200, result);
  }

  const server = http.createServer((req, res) => {
    securityHeaders(res, req);
    const url = new URL(req.url ?? '/', 'http://server.invalid');
    const verdict = gate.check(req, url);
    if (!verdict.ok) {
      if (verdict.status === 401 && (req.headers.accept ?? '').includes('text/html')) {
        res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return void res.end(UNAUTHORIZED_PAGE);
      }
      return failure(res, verdict.status, verdict.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', verdict.reason);
    }
    const rawPath = (req.url ?? '/').split('?')[0];
    if (rawPath.startsWith('/api/')) {
      let channel: string;
      try {
        channel = decodeURIComponent(rawPath.slice(5));
      } catch {
        return failure(res, 400, 'BAD_REQUEST', 'malformed channel name');
      }
      return void handleApi(req, res, channel).catch((e: unknown) => {
        if (!res.headersSent) failure(res, 500, 'INTERNAL', (e as Error).message);
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return failure(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not supported here`);
    if (verdict.viaQuery) {
      // First visit with ?token=: keep it in an HttpOnly, same-site session cookie and drop it from the address bar.
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${cookieName(port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
      res.writeHead(302, { Location: url.pathname + url.search, 'Cache-Control': 'no-store' });
      return void res.end();
    }
    // The raw path (not URL-normalised) so that /../ is seen and refused rather than silently collapsed.
    const found = resolveStatic(options.rendererDir, rawPath);
    if (found.status !== 200) {
      const missingBuild = found.status === 404 && rawPath === '/';
      return failure(res, missingBuild ? 503 : found.status, 'STATIC', missingBuild ? 'the renderer is not built: run `npm run build`' : found.reason);
    }
    sendFile(req, res, found.file);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const alive = new WeakSet<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://server.invalid');
    const verdict = gate.check(req, url);
    if (url.pathname !== '/ws' || !verdict.ok) {
      const status = url.pathname !== '/ws' ? '404 Not Found' : verdict.ok ? '' : verdict.status === 401 ? '401 Unauthorized' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      // The page only listens; anything it sends is ignored.
      ws.on('message', () => undefined);
      ws.on('error', () => ws.terminate());
    });
  });
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      // A tunnel that died without a FIN leaves a socket that never answers: drop it.
      if (!alive.has(ws)) ws.terminate();
      else (alive.delete(ws), ws.ping());
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is in use; choose another with --port (0 = any free port)`) : e),
    );
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${urlHost}:${port}`;

  const push: Push = (channel, payload) => {
    const text = JSON.stringify({ channel, payload });
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  };

  return {
    url: `${origin}/?token=${token}`,
    origin,
    host,
    port,
    token,
    loopback: isLoopback(host),
    push,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
