/**
 * The browser-mode server's routes: `POST /api/<channel>` (JSON body = the call's input, response =
 * the ApiResult the IPC handler returns), the WebSocket at /ws that pushes `{ channel, payload }`,
 * and the built renderer's files.
 */
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { WebSocket } from 'ws';
import type { Dispatch } from '../services/dispatch';
import type { Push } from '../services/run-manager';
import { failure, splitUrl } from './http-replies';
import { cacheControlFor, resolveStatic } from '../renderer-host/static-files';

const HEARTBEAT_MS = 30_000;

export function addApiRoute(app: FastifyInstance, dispatch: Dispatch): void {
  app.route({
    method: ['POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/api/*',
    handler: async (req, reply) => {
      if (req.method !== 'POST') return failure(reply, 405, 'METHOD_NOT_ALLOWED', 'API calls are POST requests');
      const channel = (req.params as { '*': string })['*'];
      const result = await dispatch(channel, req.body);
      return reply
        .code(!result.ok && result.error.code === 'UNKNOWN_CHANNEL' ? 404 : 200)
        .header('Cache-Control', 'no-store')
        .send(result);
    },
  });
}

export interface PushSockets {
  push: Push;
  /** Pings every socket each HEARTBEAT_MS and drops those that did not answer the last ping; returns the stop. */
  startHeartbeat(): () => void;
  terminateAll(): void;
}

/** /ws: the page listens for pushes (anything it sends is ignored). */
export function addPushSockets(app: FastifyInstance): PushSockets {
  const alive = new WeakSet<WebSocket>();
  app.get('/ws', { websocket: true }, (ws) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('message', () => undefined);
    ws.on('error', () => ws.terminate());
  });
  const clients = () => app.websocketServer.clients;
  return {
    push: (channel, payload) => {
      const text = JSON.stringify({ channel, payload });
      for (const ws of clients()) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    startHeartbeat: () => {
      const heartbeat = setInterval(() => {
        for (const ws of clients()) {
          // A tunnel that died without a FIN leaves a socket that never answers: drop it.
          if (!alive.has(ws)) ws.terminate();
          else {
            alive.delete(ws);
            ws.ping();
          }
        }
      }, HEARTBEAT_MS);
      heartbeat.unref();
      return () => clearInterval(heartbeat);
    },
    terminateAll: () => {
      for (const ws of clients()) ws.terminate();
    },
  };
}

/**
 * The renderer's files, resolved by renderer-host/static-files.ts (traversal rules, deep-link fallback) and sent by
 * @fastify/static.
 */
export function addRendererFiles(app: FastifyInstance, rendererDir: string): void {
  app.get('/*', async (req, reply) => {
    const rawPath = splitUrl(req.url).path;
    if (!fs.existsSync(rendererDir))
      return failure(reply, 503, 'STATIC', 'the renderer is not built: run `npm run build`');
    // The raw path (not URL-normalised) so that /../ is seen and refused rather than silently collapsed.
    const found = resolveStatic(rendererDir, rawPath);
    if (found.status !== 200) {
      const missingBuild = found.status === 404 && rawPath === '/';
      return failure(
        reply,
        missingBuild ? 503 : found.status,
        'STATIC',
        missingBuild ? 'the renderer is not built: run `npm run build`' : found.reason,
      );
    }
    reply.header('Cache-Control', cacheControlFor(found.file));
    return reply.sendFile(path.basename(found.file), path.dirname(found.file));
  });
}
