#!/usr/bin/env node
// The project's postinstall: downloads Electron's binary by running electron's own install script, but
// where the download fails (a network that blocks it, a proxy) the install still succeeds, with ONE line
// saying what that means, instead of a stack trace and a rolled-back node_modules. package.json's
// allowScripts denies electron's postinstall (npm >= 11.16 honours it) so that this runs it instead.
// ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips the download silently, as it does for electron itself.
//
//   node scripts/electron-binary.mjs           download if missing (what `npm ci` runs)
//   node scripts/electron-binary.mjs --check   exit 1 with one line when the binary is missing (npm run dist)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: node scripts/electron-binary.mjs [--check]
  Downloads Electron's binary (npm ci runs this); on failure says so in one line and exits 0.
  --check  only tell whether the binary is installed (exit 1 with one line when it is not)`);
  process.exit(0);
}

/** The binary's path when electron's install script has put it in place, else null. */
function installedBinary() {
  try {
    const p = require('electron'); // electron's index.js: the binary's path; throws when it was never downloaded
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

let installScript;
try {
  installScript = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  // electron is a devDependency: not installed at all (npm ci --omit=dev), so there is nothing to do.
  if (args.includes('--check')) {
    console.error('fedmem: the electron package is not installed (npm ci --omit=dev?); run `npm ci` first');
    process.exit(1);
  }
  process.exit(0);
}

if (args.includes('--check')) {
  if (installedBinary()) process.exit(0);
  console.error(
    "fedmem: Electron's binary is not installed, and packaging the desktop app needs it: run `node scripts/electron-binary.mjs` on a network that reaches Electron's downloads (or set ELECTRON_MIRROR)",
  );
  process.exit(1);
}

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || installedBinary()) process.exit(0);

const r = spawnSync(process.execPath, [installScript], {
  cwd: path.dirname(installScript),
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (r.status === 0 && installedBinary()) process.exit(0);

// The reason in a few words: the first error line of @electron/get's output (e.g. "getaddrinfo ENOTFOUND github.com").
const output = `${r.stderr ?? ''}\n${r.stdout ?? ''}`;
const reason =
  output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^(\w*Error|Error)\b|ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN|\b[45]\d\d\b/.test(l))
    ?.replace(/^\w*Error:\s*/, '')
    .slice(0, 120) ?? (r.error ? r.error.message : `exit code ${r.status}`);
console.error(
  `fedmem: Electron's binary could not be downloaded (${reason}); the install is otherwise complete: \`npm start\` opens the workbench in your browser instead, and \`npm run dist\` needs the binary (retry: node scripts/electron-binary.mjs)`,
);
process.exit(0);
