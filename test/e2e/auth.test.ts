/** Browser mode refuses anything without the launch token: API calls, the page, the WebSocket. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import WebSocket from 'ws';
import { launchBrowser, screenshot } from './support/browser';
import { startServer, type WebServer } from './support/server';

describe('browser mode needs the token', () => {
  let server: WebServer;
  let browser: Browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const post = (headers: Record<string, string> = {}) =>
    fetch(`${server.origin}/api/runs:list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: '{}',
    });

  it('refuses an API call without a token, or with a wrong one', async () => {
    const none = await post();
    assert.equal(none.status, 401);
    const body = (await none.json()) as { ok: boolean; error: { code: string } };
    assert.equal(body.ok, false);
    assert.equal(body.error.code, 'UNAUTHORIZED');
    assert.equal((await post({ 'X-FedMem-Token': 'x'.repeat(server.token.length) })).status, 401);
    const ok = await post({ 'X-FedMem-Token': server.token });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { ok: true, data: [] });
  });

  it('refuses the page without a token and opens it with one', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(server.origin + '/');
    assert.equal(res?.status(), 401);
    assert.equal(await page.getByTestId('runs-view').count(), 0);
    await screenshot(page, 'auth-refused');
    await page.goto(server.url);
    await page.locator('[data-testid="runs-table"][data-state="ready"]').waitFor();
    assert.ok(!page.url().includes('token='), 'the token leaves the address bar');
    await context.close();
  });

  it('refuses the event WebSocket without a token', async () => {
    const wsUrl = server.origin.replace(/^http/, 'ws') + '/ws';
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('the socket opened without a token')));
      ws.on('error', () => undefined);
    });
    assert.equal(status, 401);
  });
});
