/**
 * Where the browser tests find a Chromium, written as pure functions of the environment so every
 * machine we care about can be simulated in unit tests (test/unit/scripts/chromium-locator.test.ts).
 *
 * Order: FEDMEM_CHROMIUM (a path you choose; if it is set and wrong we stop instead of quietly
 * using another browser), then Playwright's own download (its cache, PLAYWRIGHT_BROWSERS_PATH
 * honoured), then the system's Chromium or Chrome. On Linux the system browser is looked up on PATH
 * under its usual names, as a shell would; on macOS and Windows browsers live at fixed install paths.
 * CHROMIUM_PATH, the variable this project used before, is still read after FEDMEM_CHROMIUM.
 *
 * When nothing is found the caller may try `playwright install chromium`; if that fails too,
 * `missingBrowserSentence` is the one sentence a user sees, naming the command for their OS.
 */

export const CHROMIUM_ENV = 'FEDMEM_CHROMIUM';
const LEGACY_ENV = 'CHROMIUM_PATH';

/** The binary names Linux distributions and Google's packages install on PATH. */
export const LINUX_BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

export interface LocatorEnv {
  platform: string;
  env: Record<string, string | undefined>;
  /** What Playwright's own Chromium would be (playwright-core's chromium.executablePath()); undefined if unknown. */
  playwrightExecutable?: string;
  /** Whether a file exists and can be executed. */
  isExecutable(path: string): boolean;
}

export type CandidateSource = 'env' | 'playwright' | 'system';

export interface Candidate {
  source: CandidateSource;
  path: string;
}

export type LocateResult =
  | { found: true; path: string; source: CandidateSource }
  /** `badEnv`: FEDMEM_CHROMIUM (or CHROMIUM_PATH) names a file that is not an executable. */
  | { found: false; badEnv?: { name: string; path: string } };

function pathSeparator(platform: string): string {
  return platform === 'win32' ? ';' : ':';
}

function joinPath(platform: string, dir: string, file: string): string {
  const sep = platform === 'win32' ? '\\' : '/';
  return dir.endsWith(sep) ? dir + file : `${dir}${sep}${file}`;
}

/** System browsers in the order we prefer them (Chromium before Chrome). */
export function systemCandidates(platform: string, env: Record<string, string | undefined>): string[] {
  if (platform === 'darwin') {
    const home = env.HOME ?? '';
    return [
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      ...(home
        ? [
            `${home}/Applications/Chromium.app/Contents/MacOS/Chromium`,
            `${home}/Applications/Google Chrome.app/Contents/MacOS/Google Chrome`,
          ]
        : []),
    ];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter((r): r is string => !!r);
    return [
      ...roots.map((r) => joinPath(platform, r, 'Chromium\\Application\\chrome.exe')),
      ...roots.map((r) => joinPath(platform, r, 'Google\\Chrome\\Application\\chrome.exe')),
    ];
  }
  const dirs = (env.PATH ?? '').split(pathSeparator(platform)).filter((d) => d !== '');
  return LINUX_BROWSER_NAMES.flatMap((name) => dirs.map((dir) => joinPath(platform, dir, name)));
}

/** Every place we look, in order; the env entries come first and are never skipped silently. */
export function chromiumCandidates(loc: Omit<LocatorEnv, 'isExecutable'>): Candidate[] {
  const out: Candidate[] = [];
  for (const name of [CHROMIUM_ENV, LEGACY_ENV]) {
    const value = loc.env[name]?.trim();
    if (value) out.push({ source: 'env', path: value });
  }
  if (loc.playwrightExecutable) out.push({ source: 'playwright', path: loc.playwrightExecutable });
  for (const path of systemCandidates(loc.platform, loc.env)) out.push({ source: 'system', path });
  return out;
}

export function locateChromium(loc: LocatorEnv): LocateResult {
  for (const name of [CHROMIUM_ENV, LEGACY_ENV]) {
    const value = loc.env[name]?.trim();
    if (!value) continue;
    // A path the user gave is what they want tested with: a typo must not fall back to another browser.
    return loc.isExecutable(value)
      ? { found: true, path: value, source: 'env' }
      : { found: false, badEnv: { name, path: value } };
  }
  for (const c of chromiumCandidates(loc)) {
    if (loc.isExecutable(c.path)) return { found: true, path: c.path, source: c.source };
  }
  return { found: false };
}

/** Only /etc/os-release's ID and ID_LIKE matter: they say which package manager the machine has. */
export function linuxFamily(osRelease: string | undefined): 'debian' | 'ubuntu' | 'fedora' | 'arch' | 'suse' | 'other' {
  const field = (key: string): string[] => {
    const m = new RegExp(`^${key}=["']?([^"'\\n]*)`, 'm').exec(osRelease ?? '');
    return m ? m[1].toLowerCase().split(/\s+/) : [];
  };
  const ids = [...field('ID'), ...field('ID_LIKE')];
  // Ubuntu ships Chromium only as a snap; its derivatives (Mint, Pop!_OS) package it for apt.
  if (ids[0] === 'ubuntu') return 'ubuntu';
  if (ids.includes('debian')) return 'debian';
  if (ids.some((id) => ['fedora', 'rhel', 'centos'].includes(id))) return 'fedora';
  if (ids.includes('arch')) return 'arch';
  if (ids.some((id) => id.startsWith('opensuse') || id === 'suse')) return 'suse';
  return 'other';
}

/** The command that installs a Chromium the tests can drive, for this OS. */
export function installCommand(platform: string, osRelease?: string): string {
  if (platform === 'darwin') return 'brew install --cask chromium';
  if (platform === 'win32') return 'winget install Google.Chrome';
  switch (linuxFamily(osRelease)) {
    case 'debian':
      return 'sudo apt-get install chromium';
    case 'ubuntu':
      return 'sudo snap install chromium';
    case 'fedora':
      return 'sudo dnf install chromium';
    case 'arch':
      return 'sudo pacman -S chromium';
    case 'suse':
      return 'sudo zypper install chromium';
    default:
      return "your distribution's chromium package";
  }
}

/** The one sentence the browser tests stop with. */
export function missingBrowserSentence(
  result: Extract<LocateResult, { found: false }>,
  platform: string,
  osRelease?: string,
): string {
  if (result.badEnv) {
    return `${result.badEnv.name} is set to ${result.badEnv.path}, which is not an executable file: point it at a Chromium or Chrome binary, or unset it to let the tests find one.`;
  }
  const cmd = installCommand(platform, osRelease);
  const run = cmd.startsWith('your ') ? `install ${cmd}` : `run \`${cmd}\``;
  return `The browser tests need Chromium and none was found (Playwright's own download failed too): ${run}, or set ${CHROMIUM_ENV} to a Chromium or Chrome binary, then run the tests again.`;
}
