/**
 * The second wall behind issue 24's fix: even if some future walker let a key reach Object.prototype,
 * the engine's environment is built without a prototype, so Node's spawn (which walks `env` with
 * for...in) cannot pass an inherited variable such as NODE_OPTIONS to the child. A real child process
 * prints what it received; the control case shows the leak a plain copy of process.env would allow.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { childEnvironment } from '../../../src/main/engine-host/child-env';

const PROBE = 'FEDMEM_INHERITED_PROBE';
const printProbe = (env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['-e', `process.stdout.write(process.env.${PROBE} ?? 'absent')`], {
    env,
    encoding: 'utf8',
  }).stdout;

test('a variable on a polluted Object.prototype reaches a child through a plain env copy, not through childEnvironment', () => {
  const proto = Object.prototype as Record<string, unknown>;
  proto[PROBE] = 'leaked';
  try {
    assert.equal(printProbe({ ...process.env }), 'leaked', 'control: spawn walks inherited keys of a plain object');
    assert.equal(printProbe(childEnvironment()), 'absent');
  } finally {
    delete proto[PROBE];
  }
  // Own variables still travel.
  assert.equal(printProbe(childEnvironment({ ...process.env, [PROBE]: 'own' })), 'own');
  assert.equal(Object.getPrototypeOf(childEnvironment()), null);
});
