#!/usr/bin/env node
// `npm run web [-- --port N --host ADDR --data-dir DIR]`: browser mode from the BUILT app. Builds first
// when out/ is missing or older than the sources (skip with --no-build), then runs out/main/web.js,
// whose engine is the bundled out/main/engine.js: the same code the desktop app ships.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: npm run web [-- OPTIONS]
  Serves the built workbench to a browser on this machine (builds first when out/ is missing or stale)
  and prints a URL with an access token. Options (those of \`fedmem web\`):
    --port N             port; 0 picks a free one (default 5317)
    --host ADDR          address to bind (default 127.0.0.1); anything but loopback is reachable from the network
    --allow-host NAME    also accept this Host name (e.g. behind a reverse proxy); repeatable
    --data-dir DIR       where runs are stored
    --no-build           never build; fail when out/ is missing`);
  process.exit(0);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['out/main/web.js', 'out/main/engine.js', 'out/main/client-worker.js', 'out/renderer/index.html'].map(
  (f) => path.join(root, f),
);
const inputs = ['src', 'electron.vite.config.ts', 'package.json'].map((f) => path.join(root, f));

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), st.mtimeMs);
}

const noBuild = process.argv.includes('--no-build');
process.argv = process.argv.filter((a) => a !== '--no-build');
const missing = outputs.filter((f) => !fs.existsSync(f));
const stale =
  missing.length === 0 && Math.max(...inputs.map(newest)) > Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
if (!noBuild && (missing.length > 0 || stale)) {
  console.log(
    missing.length
      ? 'fedmem: building the app (no build yet)…'
      : 'fedmem: rebuilding the app (sources changed since the last build)…',
  );
  const cli = path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'); // not in the package's "exports"
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error('fedmem: the build failed (see above); fix it or run `npx electron-vite build` for details');
    process.exit(r.status ?? 1);
  }
} else if (missing.length > 0) {
  console.error(`fedmem: --no-build, but ${path.relative(root, missing[0])} is missing; run \`npm run build\` first`);
  process.exit(1);
}
await import(pathToFileURL(path.join(root, 'out/main/web.js')).href);
