#!/usr/bin/env node
// `npm start`: the desktop app, via `electron-vite preview` (builds, then launches Electron). Where
// Electron's binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, or a network that blocks
// it) this says so in one line and points to browser mode, instead of a stack trace from electron-vite.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ensureElectronNativeBinding } from './electron-native.mjs';

const require = createRequire(import.meta.url);
let binary = null;
try {
  // electron's index.js exports the binary's path, and throws when its install script did not run.
  binary = require('electron');
} catch {
  binary = null;
}
if (typeof binary !== 'string' || !fs.existsSync(binary)) {
  console.error("fedmem: the Electron binary is not installed on this machine, so the desktop app cannot start; run the workbench in a browser instead: npm run web");
  process.exit(1);
}
// The desktop app's database driver must match Electron's ABI (see electron-native.mjs).
const electronVersion = require('electron/package.json').version;
try {
  process.env.FEDMEM_SQLITE_BINDING = ensureElectronNativeBinding(electronVersion);
} catch (e) {
  console.error(`fedmem: ${e.message}; the desktop app cannot open its database. Browser mode works without it: npm run web`);
  process.exit(1);
}
const cli = fileURLToPath(new URL('../node_modules/electron-vite/bin/electron-vite.js', import.meta.url)); // not in the package's "exports"
const r = spawnSync(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
