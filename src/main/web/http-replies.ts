/** What the browser-mode server's parts share: the JSON failure reply and the raw URL split. */
import type { FastifyReply } from 'fastify';

export function failure(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').send({ ok: false, error: { code, message } });
}

/** The raw path and query of a request, split without decoding (so /../ is seen, not collapsed). */
export function splitUrl(raw: string): { path: string; query: URLSearchParams } {
  const q = raw.indexOf('?');
  // URLSearchParams never throws: malformed escapes stay as written.
  return q < 0
    ? { path: raw, query: new URLSearchParams() }
    : { path: raw.slice(0, q), query: new URLSearchParams(raw.slice(q + 1)) };
}
