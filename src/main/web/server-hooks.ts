/**
 * What every request passes through before a route: the security headers, the gate (auth.ts: Host,
 * Origin, token) with its first-visit cookie, the JSON-only body parser, and the error handler that
 * answers any failure a request causes as JSON with a 4xx/5xx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieName, TOKEN_HEADER, type Gate, type Verdict } from './auth';
import { contentSecurityPolicy } from '../renderer-host/csp';
import { failure, splitUrl } from './http-replies';

export interface GateOptions {
  gate: Gate;
  token: string;
  host: string;
  /** The port as it is now: the one asked for until the server listens, then the one it got (port 0 picks one). */
  port: () => number;
}

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>FedMem Workbench</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>FedMem Workbench</h1><p>This server needs its access token. Open the full URL it printed when it started
(<code>http://127.0.0.1:PORT/?token=…</code>); the page then remembers the token for this browser session.</p>`;

function securityHeaders(req: FastifyRequest, reply: FastifyReply, o: GateOptions): void {
  // The page's own ws:// origin; a Host with anything but host-name characters never reaches a header.
  const own = /^[A-Za-z0-9.\-[\]:]+$/.test(req.headers.host ?? '') ? req.headers.host : `${o.host}:${o.port()}`;
  reply.header('Content-Security-Policy', contentSecurityPolicy([`ws://${own}`]));
  reply.header('X-Content-Type-Options', 'nosniff');
  // Never leak the ?token= URL to another site through Referer.
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  reply.header('Cross-Origin-Resource-Policy', 'same-origin');
}

function verdictOf(req: FastifyRequest, o: GateOptions): Verdict {
  const header = req.headers[TOKEN_HEADER];
  return o.gate.check({
    host: req.headers.host,
    origin: req.headers.origin,
    authorization: req.headers.authorization,
    tokenHeader: typeof header === 'string' ? header : undefined,
    cookie: req.cookies[cookieName(o.port())],
    query: splitUrl(req.url).query.get('token') ?? undefined,
  });
}

/** Every request, upgrades included: refused without the token or from another Host/Origin. */
export function addGate(app: FastifyInstance, o: GateOptions): void {
  app.addHook('onRequest', async (req, reply) => {
    securityHeaders(req, reply, o);
    const verdict = verdictOf(req, o);
    if (!verdict.ok) {
      if (verdict.status === 401 && (req.headers.accept ?? '').includes('text/html')) {
        return reply
          .code(401)
          .type('text/html; charset=utf-8')
          .header('Cache-Control', 'no-store')
          .send(UNAUTHORIZED_PAGE);
      }
      return failure(reply, verdict.status, verdict.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', verdict.reason);
    }
    const { path: rawPath, query } = splitUrl(req.url);
    if (verdict.viaQuery && req.method === 'GET' && rawPath !== '/ws' && !rawPath.startsWith('/api/')) {
      // First visit with ?token=: keep it in an HttpOnly, same-site session cookie and drop it from the address bar.
      query.delete('token');
      const rest = query.toString();
      reply.header(
        'Set-Cookie',
        `${cookieName(o.port())}=${encodeURIComponent(o.token)}; Path=/; HttpOnly; SameSite=Strict`,
      );
      return reply
        .code(302)
        .header('Cache-Control', 'no-store')
        .redirect(rawPath + (rest ? `?${rest}` : ''));
    }
  });
}

/** JSON only: a cross-site <form> cannot send application/json, one more layer under the Origin check. */
export function acceptJsonOnly(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(
        Object.assign(new Error(`the request body is not valid JSON: ${(e as Error).message}`), {
          statusCode: 400,
          code: 'INVALID_JSON',
        }),
        undefined,
      );
    }
  });
}

/** Framework errors as the API's error codes. */
function errorCode(status: number, fastifyCode: string | undefined): string {
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (fastifyCode === 'INVALID_JSON') return 'INVALID_JSON';
  if (status === 404) return 'NOT_FOUND';
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

/** Any error a request causes is a JSON answer with a 4xx/5xx. */
export function answerErrorsAsJson(app: FastifyInstance): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    return failure(reply, status, errorCode(status, err.code), err.message);
  });
}

/** After the routes: an unknown one is 404 (GET/HEAD) or 405, as JSON. */
export function answerUnknownRoutes(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) =>
    failure(
      reply,
      req.method === 'GET' || req.method === 'HEAD' ? 404 : 405,
      'NOT_FOUND',
      `${req.method} ${splitUrl(req.url).path} is not served here`,
    ),
  );
}
