import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { resolveDataDir, resolveDataDirWithSource } from '../../../src/main/store/data-dir';

const home = '/home/ada';

test('precedence: flag > FEDMEM_DATA_DIR > Electron userData > platform default', () => {
  const env = { FEDMEM_DATA_DIR: '/from/env', XDG_DATA_HOME: '/xdg' };
  const userDataDir = '/electron/userData';
  const opts = { env, userDataDir, platform: 'linux' as const, homeDir: home };
  assert.deepEqual(resolveDataDirWithSource({ ...opts, flag: '/from/flag' }), {
    dir: path.resolve('/from/flag'),
    source: 'flag',
  });
  assert.deepEqual(resolveDataDirWithSource(opts), { dir: path.resolve('/from/env'), source: 'env' });
  assert.deepEqual(resolveDataDirWithSource({ ...opts, env: { XDG_DATA_HOME: '/xdg' } }), {
    dir: userDataDir,
    source: 'electron',
  });
  assert.deepEqual(resolveDataDirWithSource({ ...opts, env: { XDG_DATA_HOME: '/xdg' }, userDataDir: undefined }), {
    dir: '/xdg/fedmem-workbench',
    source: 'platform-default',
  });
  // Empty values count as unset.
  assert.equal(resolveDataDir({ ...opts, flag: '', env: { FEDMEM_DATA_DIR: ' ' } }), userDataDir);
});

test('flag and env paths are absolute: relative ones resolve against cwd, ~ against home', () => {
  assert.equal(resolveDataDir({ flag: 'rel/dir', env: {} }), path.resolve('rel/dir'));
  assert.equal(resolveDataDir({ env: { FEDMEM_DATA_DIR: '~/fm' }, homeDir: home }), path.resolve(home, 'fm'));
});

test('platform defaults', () => {
  assert.equal(
    resolveDataDir({ env: {}, platform: 'linux', homeDir: home }),
    '/home/ada/.local/share/fedmem-workbench',
  );
  assert.equal(
    resolveDataDir({ env: { XDG_DATA_HOME: 'relative/ignored' }, platform: 'linux', homeDir: home }),
    '/home/ada/.local/share/fedmem-workbench',
  );
  assert.equal(
    resolveDataDir({ env: {}, platform: 'darwin', homeDir: '/Users/ada' }),
    '/Users/ada/Library/Application Support/FedMem Workbench',
  );
  assert.equal(
    resolveDataDir({
      env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
      platform: 'win32',
      homeDir: 'C:\\Users\\ada',
    }),
    'C:\\Users\\ada\\AppData\\Roaming\\FedMem Workbench',
  );
  assert.equal(
    resolveDataDir({ env: {}, platform: 'win32', homeDir: 'C:\\Users\\ada' }),
    'C:\\Users\\ada\\AppData\\Roaming\\FedMem Workbench',
  );
});
