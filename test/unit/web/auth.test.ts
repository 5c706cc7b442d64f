/** Which Host names browser mode accepts, per bind address. */
import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { allowedHostnames, isLoopback } from '../../../src/main/web/auth';

test('loopback addresses and names', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.ok(isLoopback(h), h);
  for (const h of ['0.0.0.0', '192.168.1.5', '::', 'example.com']) assert.ok(!isLoopback(h), h);
});

test('a loopback bind accepts only loopback names', () => {
  assert.deepEqual([...allowedHostnames('127.0.0.1')].sort(), ['127.0.0.1', '[::1]', 'localhost']);
});

test('a specific or wildcard bind adds its address, interfaces, host name and explicit names', () => {
  assert.ok(allowedHostnames('192.168.1.5').has('192.168.1.5'));
  assert.ok(!allowedHostnames('192.168.1.5').has('evil.example'));
  const all = allowedHostnames('0.0.0.0', ['GPU-Box.lab']);
  assert.ok(all.has(os.hostname().toLowerCase()));
  assert.ok(all.has('gpu-box.lab'));
  assert.ok(allowedHostnames('fe80::1').has('[fe80::1]'));
});
