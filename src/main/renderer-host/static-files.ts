/**
 * Resolves request paths to the built renderer's files (out/renderer), read-only; the server sends them. A request path
 * is decoded once and refused if
 * any segment is `..` (or it holds a NUL or a backslash), then resolved under the root and checked
 * to stay there: nothing outside the renderer folder is reachable, symlinks included.
 * Paths without an extension fall back to index.html, so the router's deep links reload.
 */
import fs from 'node:fs';
import path from 'node:path';

export type StaticResult = { status: 200; file: string } | { status: 400 | 403 | 404 | 503; reason: string };

/** Maps a URL pathname to a file under `root`, or says why not. Pure apart from fs lookups. */
export function resolveStatic(root: string, pathname: string): StaticResult {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400, reason: 'malformed path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400, reason: 'malformed path' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { status: 403, reason: 'path traversal refused' };
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // Deleted under us (a rebuild in progress).
    return { status: 503, reason: 'the renderer is not built: run `npm run build`' };
  }
  const rel = segments.filter((s) => s !== '' && s !== '.').join(path.sep);
  let file = path.join(realRoot, rel || 'index.html');
  if (!fs.existsSync(file) && path.extname(rel) === '') file = path.join(realRoot, 'index.html');
  if (!fs.existsSync(file)) return { status: 404, reason: 'not found' };
  const real = fs.realpathSync(file);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep))
    return { status: 403, reason: 'outside the app folder' };
  if (fs.statSync(real).isDirectory()) {
    const index = path.join(real, 'index.html');
    return fs.existsSync(index) ? { status: 200, file: index } : { status: 404, reason: 'not found' };
  }
  return { status: 200, file: real };
}

/** Vite fingerprints assets; index.html is not, and must be re-read to pick up a new build. */
export function cacheControlFor(file: string): string {
  const immutable = /[-.][A-Za-z0-9_-]{8,}\.(js|css|woff2?|png|svg)$/.test(file) && !file.endsWith('index.html');
  return immutable ? 'private, max-age=31536000, immutable' : 'no-cache';
}
