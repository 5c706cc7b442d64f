/**
 * The packaged renderer is served from `app://renderer/…` rather than file://: a custom, standard,
 * secure scheme gives the page a real origin (so the IPC sender check and navigation guard can test
 * it) and lets every response carry the CSP header. Files come from out/renderer through the same
 * traversal-safe resolver browser mode uses.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { contentSecurityPolicy } from '../renderer-host/csp';
import { resolveStatic } from '../renderer-host/static-files';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://renderer`;

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Must run before the app is ready. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function handleAppScheme(protocol: Protocol, rendererDir: string): void {
  const csp = contentSecurityPolicy();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'renderer') return new Response('not found', { status: 404 });
    const found = resolveStatic(rendererDir, url.pathname);
    if (found.status !== 200) return new Response(found.reason, { status: found.status });
    const body = await fs.readFile(found.file);
    return new Response(body, {
      headers: {
        'Content-Type': TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
