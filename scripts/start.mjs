#!/usr/bin/env node
// `npm start`: the desktop app, via `electron-vite preview` (builds, then launches Electron). Where
// Electron's binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, or a network that blocks
// it) this says so in one line and opens browser mode (scripts/web.mjs) instead, rather than a stack
// trace from electron-vite.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ensureElectronNativeBinding } from './electron-native.mjs';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: npm start [-- ARGS]
  Builds the app and opens the desktop app (electron-vite preview; ARGS go to it). Without Electron's
  binary it opens browser mode instead (npm run web; ARGS go to it: --port N --host ADDR --data-dir DIR).`);
  process.exit(0);
}

/** Browser mode in this process's place: scripts/web.mjs with the same arguments. */
function browserMode() {
  const web = fileURLToPath(new URL('./web.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [web, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const require = createRequire(import.meta.url);
let binary = null;
try {
  // electron's index.js exports the binary's path, and throws when its install script did not run.
  binary = require('electron');
} catch {
  binary = null;
}
if (typeof binary !== 'string' || !fs.existsSync(binary)) {
  console.error(
    'fedmem: the Electron binary is not installed on this machine, so this opens the workbench in your browser instead (npm run web)',
  );
  browserMode();
}
// The desktop app's database driver must match Electron's ABI (see electron-native.mjs).
const electronVersion = require('electron/package.json').version;
try {
  process.env.FEDMEM_SQLITE_BINDING = ensureElectronNativeBinding(electronVersion);
} catch (e) {
  console.error(
    `fedmem: ${e.message}; the desktop app cannot open its database, so this opens the workbench in your browser instead (npm run web)`,
  );
  browserMode();
}
const cli = fileURLToPath(new URL('../node_modules/electron-vite/bin/electron-vite.js', import.meta.url)); // not in the package's "exports"
const r = spawnSync(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
