/**
 * Browser mode's transport on Fastify: the built renderer, `POST /api/<channel>` (JSON body = the
 * call's input, response = the same ApiResult the IPC handler returns) and a WebSocket at /ws that
 * pushes `{ channel, payload }` for every push event. Every request, upgrades included, passes the
 * gate (auth.ts) first. The framework does the parsing that hostile input reaches first (request
 * line, URL, cookies, bodies with their 413 limit, WebSocket frames), and any error a request causes
 * is answered as JSON with a 4xx/5xx: no request can take the server, and the runs it hosts, down.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { WebSocket } from 'ws';
import type { Dispatch } from '../services/dispatch';
import type { Push } from '../services/run-manager';
import { allowedHostnames, cookieName, createGate, isLoopback, newToken, TOKEN_HEADER, type Verdict } from './auth';
import { contentSecurityPolicy } from '../renderer-host/csp';
import { DEFAULT_PORT } from './defaults';
import { cacheControlFor, resolveStatic } from '../renderer-host/static-files';

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

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>FedMem Workbench</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>FedMem Workbench</h1><p>This server needs its access token. Open the full URL it printed when it started
(<code>http://127.0.0.1:PORT/?token=…</code>); the page then remembers the token for this browser session.</p>`;

function failure(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').send({ ok: false, error: { code, message } });
}

/** The raw path and query of a request, split without decoding (so /../ is seen, not collapsed). */
function splitUrl(raw: string): { path: string; query: URLSearchParams } {
  const q = raw.indexOf('?');
  // URLSearchParams never throws: malformed escapes stay as written.
  return q < 0 ? { path: raw, query: new URLSearchParams() } : { path: raw.slice(0, q), query: new URLSearchParams(raw.slice(q + 1)) };
}

/** Framework errors as the API's error codes. */
function errorCode(status: number, fastifyCode: string | undefined): string {
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (fastifyCode === 'INVALID_JSON') return 'INVALID_JSON';
  if (status === 404) return 'NOT_FOUND';
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  let port = options.port ?? DEFAULT_PORT;
  const gate = createGate(token, allowedHostnames(host, options.allowHosts));
  const app = Fastify({ bodyLimit: MAX_BODY_BYTES, forceCloseConnections: true, return503OnClosing: true, logger: false });

  await app.register(fastifyCookie);
  // serve: false -- files are resolved by static-files.ts (traversal rules, deep-link fallback), sent by the plugin.
  await app.register(fastifyStatic, { root: path.resolve(options.rendererDir), serve: false, cacheControl: false });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  // JSON only: a cross-site <form> cannot send application/json, one more layer under the Origin check.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(Object.assign(new Error(`the request body is not valid JSON: ${(e as Error).message}`), { statusCode: 400, code: 'INVALID_JSON' }), undefined);
    }
  });

  const securityHeaders = (req: FastifyRequest, reply: FastifyReply) => {
    // The page's own ws:// origin; a Host with anything but host-name characters never reaches a header.
    const own = /^[A-Za-z0-9.\-[\]:]+$/.test(req.headers.host ?? '') ? req.headers.host : `${host}:${port}`;
    reply.header('Content-Security-Policy', contentSecurityPolicy([`ws://${own}`]));
    reply.header('X-Content-Type-Options', 'nosniff');
    // Never leak the ?token= URL to another site through Referer.
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
  };

  const verdictOf = (req: FastifyRequest): Verdict => {
    const header = req.headers[TOKEN_HEADER];
    return gate.check({
      host: req.headers.host,
      origin: req.headers.origin,
      authorization: req.headers.authorization,
      tokenHeader: typeof header === 'string' ? header : undefined,
      cookie: req.cookies[cookieName(port)],
      query: splitUrl(req.url).query.get('token') ?? undefined,
    });
  };

  app.addHook('onRequest', async (req, reply) => {
    securityHeaders(req, reply);
    const verdict = verdictOf(req);
    if (!verdict.ok) {
      if (verdict.status === 401 && (req.headers.accept ?? '').includes('text/html')) {
        return reply.code(401).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(UNAUTHORIZED_PAGE);
      }
      return failure(reply, verdict.status, verdict.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', verdict.reason);
    }
    const { path: rawPath, query } = splitUrl(req.url);
    if (verdict.viaQuery && req.method === 'GET' && rawPath !== '/ws' && !rawPath.startsWith('/api/')) {
      // First visit with ?token=: keep it in an HttpOnly, same-site session cookie and drop it from the address bar.
      query.delete('token');
      const rest = query.toString();
      reply.header('Set-Cookie', `${cookieName(port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
      return reply.code(302).header('Cache-Control', 'no-store').redirect(rawPath + (rest ? `?${rest}` : ''));
    }
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    return failure(reply, status, errorCode(status, err.code), err.message);
  });

  app.route({
    method: ['POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/api/*',
    handler: async (req, reply) => {
      if (req.method !== 'POST') return failure(reply, 405, 'METHOD_NOT_ALLOWED', 'API calls are POST requests');
      const channel = (req.params as { '*': string })['*'];
      const result = await options.dispatch(channel, req.body);
      return reply.code(!result.ok && result.error.code === 'UNKNOWN_CHANNEL' ? 404 : 200).header('Cache-Control', 'no-store').send(result);
    },
  });

  const alive = new WeakSet<WebSocket>();
  app.get('/ws', { websocket: true }, (ws) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    // The page only listens; anything it sends is ignored.
    ws.on('message', () => undefined);
    ws.on('error', () => ws.terminate());
  });

  app.get('/*', async (req, reply) => {
    const rawPath = splitUrl(req.url).path;
    if (!fs.existsSync(options.rendererDir)) return failure(reply, 503, 'STATIC', 'the renderer is not built: run `npm run build`');
    // The raw path (not URL-normalised) so that /../ is seen and refused rather than silently collapsed.
    const found = resolveStatic(options.rendererDir, rawPath);
    if (found.status !== 200) {
      const missingBuild = found.status === 404 && rawPath === '/';
      return failure(reply, missingBuild ? 503 : found.status, 'STATIC', missingBuild ? 'the renderer is not built: run `npm run build`' : found.reason);
    }
    reply.header('Cache-Control', cacheControlFor(found.file));
    return reply.sendFile(path.basename(found.file), path.dirname(found.file));
  });

  app.setNotFoundHandler((req, reply) => failure(reply, req.method === 'GET' || req.method === 'HEAD' ? 404 : 405, 'NOT_FOUND', `${req.method} ${splitUrl(req.url).path} is not served here`));

  try {
    await app.listen({ port, host });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is in use; choose another with --port (0 = any free port)`);
    throw e;
  }
  port = (app.server.address() as { port: number }).port;

  const heartbeat = setInterval(() => {
    for (const ws of app.websocketServer.clients) {
      // A tunnel that died without a FIN leaves a socket that never answers: drop it.
      if (!alive.has(ws)) ws.terminate();
      else (alive.delete(ws), ws.ping());
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${urlHost}:${port}`;
  const push: Push = (channel, payload) => {
    const text = JSON.stringify({ channel, payload });
    for (const ws of app.websocketServer.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  };

  return {
    url: `${origin}/?token=${token}`,
    origin,
    host,
    port,
    token,
    loopback: isLoopback(host),
    push,
    close: async () => {
      clearInterval(heartbeat);
      for (const ws of app.websocketServer.clients) ws.terminate();
      await app.close();
    },
  };
}
