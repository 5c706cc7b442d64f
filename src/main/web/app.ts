/**
 * Browser mode assembled: the store and run manager (engine via child_process.fork), the dispatch
 * table, and the HTTP/WebSocket server pushing run events to every open page. main.ts is its command
 * line; e2e tests call startWebApp directly with a temp data dir and port 0.
 */
import { fileURLToPath } from 'node:url';
import { createAppServices, type AppServices } from '../services/handlers';
import type { Push } from '../services/run-manager';
import { startWebServer, type WebServer, type WebServerOptions } from './server';

export interface WebAppOptions extends Omit<WebServerOptions, 'dispatch' | 'rendererDir'> {
  dataDir: string;
  /** Default: the built renderer, out/renderer. */
  rendererDir?: string;
}

export interface WebApp {
  server: WebServer;
  services: AppServices;
  url: string;
  /** Cancels running runs (waiting up to `timeoutMs` so they end 'cancelled'), stops serving, closes the store. */
  close(timeoutMs?: number): Promise<void>;
}

/** out/renderer, from the bundle (out/main/*.js) or from the sources (src/main/web/*.ts). */
export function defaultRendererDir(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSources ? '../../../out/renderer' : '../renderer', import.meta.url));
}

export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  let server: WebServer | undefined;
  // The server is created after the services (it needs their dispatch); events before that have no listeners.
  const push: Push = (channel, payload) => server?.push(channel, payload);
  const services = createAppServices({
    dataDir: options.dataDir,
    mode: 'browser',
    push,
    onInternalError: (channel, e) => console.error(`[fedmem] ${channel} failed:`, e),
  });
  try {
    const { dataDir: _dataDir, rendererDir, ...serverOptions } = options;
    server = await startWebServer({
      ...serverOptions,
      dispatch: services.dispatch,
      rendererDir: rendererDir ?? defaultRendererDir(),
    });
  } catch (e) {
    await services.shutdown(0);
    throw e;
  }
  const s = server;
  let closing: Promise<void> | undefined;
  return {
    server: s,
    services,
    url: s.url,
    close(timeoutMs = 5000) {
      closing ??= services.shutdown(timeoutMs).then(() => s.close());
      return closing;
    },
  };
}
