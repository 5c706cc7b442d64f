import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { installedPackage, installedVersion } from '../../src/main/package-version';

test('installed package: folder and version of a dependency, absent for a missing one', () => {
  const zod = installedPackage('zod');
  assert.ok(zod);
  const manifest = JSON.parse(fs.readFileSync(path.join(zod.dir, 'package.json'), 'utf8')) as { version: string };
  assert.equal(zod.version, manifest.version);
  assert.equal(installedVersion('zod'), manifest.version);
  assert.equal(installedPackage('no-such-package-here'), undefined);
  assert.equal(installedVersion('no-such-package-here'), 'absent');
});
