/**
 * The real-machine side of chromium-locator.ts: reads the file system, PATH and /etc/os-release, and
 * runs Playwright's installer. Run directly (`node --import tsx scripts/chromium.ts`, the first step
 * of `npm test` and `npm run e2e`) it makes sure a Chromium exists or stops with one sentence;
 * test/e2e/support/browser.ts imports `findChromium` to launch the one it finds.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { locateChromium, missingBrowserSentence, type LocateResult, type LocatorEnv } from './chromium-locator';
import { exitWithUsageIfAsked } from './usage';

const requireHere = createRequire(import.meta.url);

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function playwrightExecutable(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

function osRelease(): string | undefined {
  try {
    return fs.readFileSync('/etc/os-release', 'utf8');
  } catch {
    return undefined;
  }
}

export function realLocatorEnv(): LocatorEnv {
  return { platform: process.platform, env: process.env, playwrightExecutable: playwrightExecutable(), isExecutable };
}

export function findChromium(): LocateResult {
  return locateChromium(realLocatorEnv());
}

/** The sentence for a failed search on this machine. */
export function missingBrowserMessage(result: Extract<LocateResult, { found: false }>): string {
  return missingBrowserSentence(result, process.platform, osRelease());
}

/** `playwright install chromium` with our playwright-core; its output is shown only if it succeeds. */
function playwrightInstall(): boolean {
  // cli.js is not in the package's exports map; its package.json is.
  const cli = path.join(path.dirname(requireHere.resolve('playwright-core/package.json')), 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'install', 'chromium'], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status === 0) process.stderr.write(r.stdout);
  return r.status === 0;
}

/** A Chromium path, after trying Playwright's download if none was found; exits with the sentence otherwise. */
export function ensureChromium(): string {
  let result = findChromium();
  if (!result.found && !result.badEnv) {
    process.stderr.write(
      "No Chromium found for the browser tests; trying Playwright's download (npx playwright install chromium)...\n",
    );
    if (playwrightInstall()) result = findChromium();
  }
  if (result.found) return result.path;
  process.stderr.write(`${missingBrowserMessage(result)}\n`);
  process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  exitWithUsageIfAsked(`
usage: node --import tsx scripts/chromium.ts [--print]
  Makes sure a Chromium for the browser tests exists (FEDMEM_CHROMIUM, Playwright's, or one on PATH;
  else tries \`npx playwright install chromium\`), or stops with one sentence saying how to install one.
    --print   print the Chromium's path
`);
  const found = ensureChromium();
  if (process.argv.includes('--print')) process.stdout.write(`${found}\n`);
}
