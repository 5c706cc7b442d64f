/**
 * Where the workbench keeps its database and weight files.
 * Precedence: --data-dir flag > FEDMEM_DATA_DIR > Electron's userData folder (when given) > platform default.
 */
import os from 'node:os';
import path from 'node:path';

export interface ResolveDataDirOptions {
  flag?: string;
  env?: NodeJS.ProcessEnv;
  /** Electron's app.getPath('userData'), when running inside the app. */
  userDataDir?: string;
  /** For tests; default process.platform. */
  platform?: NodeJS.Platform;
  /** For tests; default os.homedir(). */
  homeDir?: string;
}

export type DataDirSource = 'flag' | 'env' | 'electron' | 'platform-default';

export interface ResolvedDataDir {
  dir: string;
  source: DataDirSource;
}

const APP_DIR_NAME = 'FedMem Workbench';
const LINUX_DIR_NAME = 'fedmem-workbench';

const given = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** Shells expand `~` in flags, but not inside FEDMEM_DATA_DIR=~/x in a .env file; do it for both. */
function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2));
  return p;
}

export function platformDefaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') {
    const appData = given(env.APPDATA) ? env.APPDATA : path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DIR_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = given(xdg) && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(base, LINUX_DIR_NAME);
}

/** Like resolveDataDir, and says which rule chose the directory (for `fedmem` to print). */
export function resolveDataDirWithSource(opts: ResolveDataDirOptions = {}): ResolvedDataDir {
  const env = opts.env ?? process.env;
  const home = opts.homeDir ?? os.homedir();
  if (given(opts.flag)) return { dir: path.resolve(expandHome(opts.flag, home)), source: 'flag' };
  const fromEnv = env.FEDMEM_DATA_DIR;
  if (given(fromEnv)) return { dir: path.resolve(expandHome(fromEnv, home)), source: 'env' };
  if (given(opts.userDataDir)) return { dir: opts.userDataDir, source: 'electron' };
  return { dir: platformDefaultDataDir(opts.platform ?? process.platform, env, home), source: 'platform-default' };
}

export function resolveDataDir(opts: ResolveDataDirOptions = {}): string {
  return resolveDataDirWithSource(opts).dir;
}
