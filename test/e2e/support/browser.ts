/**
 * A Chromium driven by playwright-core (found by scripts/chromium.ts: FEDMEM_CHROMIUM, Playwright's
 * own download, or the system's); one browser per test file, one context per test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { after, before } from 'node:test';
import { ROOT, startServer, type WebServer } from './server';
import { findChromium, missingBrowserMessage } from '../../../scripts/chromium';

export const SHOTS_DIR = path.join(ROOT, 'test-results/e2e');

export function launchBrowser(): Promise<Browser> {
  const found = findChromium();
  // `npm run e2e` has already tried Playwright's download; a file run alone stops with the same sentence.
  if (!found.found) throw new Error(missingBrowserMessage(found));
  return chromium.launch({
    executablePath: found.path,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors seen so far (a test asserts there are none). */
  errors: string[];
}

export async function openApp(
  browser: Browser,
  server: WebServer,
  opts: { theme?: 'light' | 'dark' } = {},
): Promise<Session> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1360, height: 900 },
    colorScheme: opts.theme ?? 'light',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(server.url);
  await page.getByTestId('runs-table').and(page.locator('[data-state="ready"]')).waitFor();
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Both themes of the current view: toggles, waits for the charts to re-render, toggles back. */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  const toggle = page.getByTestId('theme-toggle');
  const start = await toggle.getAttribute('data-theme-state');
  await screenshot(page, `${name}-${start}`);
  await toggle.click();
  const other = start === 'dark' ? 'light' : 'dark';
  await page.locator(`[data-testid="theme-toggle"][data-theme-state="${other}"]`).waitFor();
  await waitChartsReady(page);
  await screenshot(page, `${name}-${other}`);
  await toggle.click();
  await page.locator(`[data-testid="theme-toggle"][data-theme-state="${start}"]`).waitFor();
  await waitChartsReady(page);
}

/** Every chart on the page has drawn (data-state="ready"). */
export async function waitChartsReady(page: Page, timeout = 30000): Promise<void> {
  await page.waitForFunction(
    () => {
      const charts = [...document.querySelectorAll('figure.chart-panel')];
      return charts.every((c) => c.getAttribute('data-state') === 'ready' || c.getAttribute('data-state') === 'empty');
    },
    undefined,
    { timeout },
  );
}

/**
 * The fixture every UI scenario file shares: its own server (own data dir), a browser and a logged-in
 * page, set up before the file's tests and torn down after. Read the fields inside tests/hooks only.
 */
export function useAppSession(): { server: WebServer; browser: Browser; s: Session } {
  const app = {} as { server: WebServer; browser: Browser; s: Session };
  before(async () => {
    app.server = await startServer();
    app.browser = await launchBrowser();
    app.s = await openApp(app.browser, app.server);
  });
  after(async () => {
    await app.s?.context.close();
    await app.browser?.close();
    await app.server?.stop();
  });
  return app;
}
