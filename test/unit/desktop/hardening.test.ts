/** The desktop app's origin checks (pure functions; Electron itself is not needed). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTrustedSender, isTrustedUrl, trustedOrigins } from '../../../src/main/desktop/hardening';

test('only the app:// page (and the dev server when set) is trusted', () => {
  const prod = trustedOrigins(undefined);
  assert.ok(isTrustedUrl('app://renderer/index.html#/runs/1', prod));
  for (const url of [
    'app://other/index.html',
    'https://example.com/',
    'file:///etc/passwd',
    'http://localhost:5173/',
    'not a url',
  ]) {
    assert.ok(!isTrustedUrl(url, prod), url);
  }
  const dev = trustedOrigins('http://localhost:5173/');
  assert.ok(isTrustedUrl('http://localhost:5173/#/settings', dev));
  assert.ok(!isTrustedUrl('http://localhost:5174/', dev));
});

test('IPC from a frame that is not our page is refused', () => {
  const origins = trustedOrigins(undefined);
  assert.ok(isTrustedSender({ senderFrame: { url: 'app://renderer/index.html' } }, origins));
  assert.ok(!isTrustedSender({ senderFrame: { url: 'https://evil.example/' } }, origins));
  assert.ok(!isTrustedSender({ senderFrame: null }, origins));
  assert.ok(!isTrustedSender(undefined, origins));
});
