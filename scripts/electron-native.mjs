// better-sqlite3 is compiled for Node's ABI (the CLI and browser mode use it), but Electron's main
// process has its own ABI. Rather than rebuilding node_modules in place (which would break the CLI),
// this builds a second copy of the addon for the installed Electron into out/native/ and Electron's
// main passes it to better-sqlite3 through its `nativeBinding` option. It uses better-sqlite3's own
// tools: a prebuilt binary for that Electron (prebuild-install), else a compile against Electron's
// headers (node-gyp). Both need the network once; the result is reused until Electron changes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

export function electronNativeBindingPath(electronVersion) {
  return path.join(
    root,
    'out',
    'native',
    `better_sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}.node`,
  );
}

/** Returns the path of a better_sqlite3.node built for `electronVersion`, building it if needed. */
export function ensureElectronNativeBinding(electronVersion) {
  const target = electronNativeBindingPath(electronVersion);
  if (fs.existsSync(target)) return target;
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-electron-sqlite-'));
  try {
    fs.cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
    const run = (cmd, args) =>
      spawnSync(cmd, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;
    const prebuild = path.join(path.dirname(require.resolve('prebuild-install/package.json')), 'bin.js');
    const ok =
      run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]) ||
      run('npx', [
        '--yes',
        'node-gyp',
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        '--dist-url=https://electronjs.org/headers',
        `--arch=${process.arch}`,
      ]);
    const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
    if (!ok || !fs.existsSync(built)) {
      throw new Error(
        `could not build better-sqlite3 for Electron ${electronVersion} (no prebuilt binary could be fetched and compiling failed)`,
      );
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(built, `${target}.tmp`);
    fs.renameSync(`${target}.tmp`, target);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
