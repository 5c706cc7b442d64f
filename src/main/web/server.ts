/**
 * Browser mode's transport on Fastify: the built renderer, `POST /api/<channel>` (JSON body = the
 * call's input, response = the same ApiResult the IPC handler returns) and a WebSocket at /ws that
 * pushes `{ channel, payload }` for every push event. Every request, upgrades included, passes the
 * gate (auth.ts) first. The framework does the parsing that hostile input reaches first (request
 * line, URL, cookies, bodies with their 413 limit, WebSocket frames), and any error a request causes
 * is answered as JSON with a 4xx/5xx: no request can take the server, and the runs it hosts, down.
 * This file puts the parts together: the gate, body parser and error handling (server-hooks.ts), the
 * routes and the push sockets (server-routes.ts).
 */
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import path from 'node:path';
import type { Dispatch } from '../services/dispatch';
import type { Push } from '../services/run-manager';
import { allowedHostnames, createGate, isLoopback, newToken } from './auth';
import { DEFAULT_PORT } from './defaults';
import { acceptJsonOnly, addGate, answerErrorsAsJson, answerUnknownRoutes } from './server-hooks';
import { addApiRoute, addPushSockets, addRendererFiles } from './server-routes';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

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

async function createApp(rendererDir: string): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    forceCloseConnections: true,
    return503OnClosing: true,
    logger: false,
  });
  await app.register(fastifyCookie);
  // serve: false -- files are resolved by static-files.ts (traversal rules, deep-link fallback), sent by the plugin.
  await app.register(fastifyStatic, { root: path.resolve(rendererDir), serve: false, cacheControl: false });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  return app;
}

/** Listens; a port in use is one sentence that says how to choose another. Returns the port it got. */
async function listen(app: FastifyInstance, port: number, host: string): Promise<number> {
  try {
    await app.listen({ port, host });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`port ${port} on ${host} is in use; choose another with --port (0 = any free port)`);
    throw e;
  }
  return (app.server.address() as { port: number }).port;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  let port = options.port ?? DEFAULT_PORT;
  const app = await createApp(options.rendererDir);
  acceptJsonOnly(app);
  addGate(app, { gate: createGate(token, allowedHostnames(host, options.allowHosts)), token, host, port: () => port });
  answerErrorsAsJson(app);
  addApiRoute(app, options.dispatch);
  const sockets = addPushSockets(app);
  addRendererFiles(app, options.rendererDir);
  answerUnknownRoutes(app);

  port = await listen(app, port, host);
  const stopHeartbeat = sockets.startHeartbeat();
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${urlHost}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    host,
    port,
    token,
    loopback: isLoopback(host),
    push: sockets.push,
    close: async () => {
      stopHeartbeat();
      sockets.terminateAll();
      await app.close();
    },
  };
}
