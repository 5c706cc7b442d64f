import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  chromiumCandidates,
  installCommand,
  linuxFamily,
  locateChromium,
  missingBrowserSentence,
  type LocatorEnv,
} from '../../../scripts/chromium-locator';

/** A simulated machine: only the listed files exist (and are executable). */
function machine(files: string[], over: Partial<LocatorEnv> = {}): LocatorEnv {
  const present = new Set(files);
  return {
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    isExecutable: (p) => present.has(p),
    ...over,
  };
}

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
const MINT = 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';
const ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\n';

describe('locateChromium', () => {
  it('prefers FEDMEM_CHROMIUM over everything else', () => {
    const m = machine(['/opt/my/chrome', '/usr/bin/chromium', '/pw/chrome'], {
      env: { PATH: '/usr/bin', FEDMEM_CHROMIUM: '/opt/my/chrome' },
      playwrightExecutable: '/pw/chrome',
    });
    assert.deepEqual(locateChromium(m), { found: true, path: '/opt/my/chrome', source: 'env' });
  });

  it('stops on a FEDMEM_CHROMIUM that does not exist instead of using another browser', () => {
    const m = machine(['/usr/bin/chromium'], { env: { PATH: '/usr/bin', FEDMEM_CHROMIUM: '/typo/chrome' } });
    assert.deepEqual(locateChromium(m), { found: false, badEnv: { name: 'FEDMEM_CHROMIUM', path: '/typo/chrome' } });
  });

  it('still honours the old CHROMIUM_PATH variable', () => {
    const m = machine(['/x/chromium', '/usr/bin/chromium'], {
      env: { PATH: '/usr/bin', CHROMIUM_PATH: '/x/chromium' },
    });
    assert.deepEqual(locateChromium(m), { found: true, path: '/x/chromium', source: 'env' });
  });

  it("uses Playwright's own download before the system's browser", () => {
    const m = machine(['/root/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome', '/usr/bin/chromium'], {
      playwrightExecutable: '/root/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome',
    });
    assert.deepEqual(locateChromium(m), {
      found: true,
      path: '/root/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome',
      source: 'playwright',
    });
  });

  it('finds the system browser on PATH under each usual name, Chromium before Chrome, in PATH order', () => {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
      assert.deepEqual(locateChromium(machine([`/usr/bin/${name}`])), {
        found: true,
        path: `/usr/bin/${name}`,
        source: 'system',
      });
    }
    assert.equal(
      (locateChromium(machine(['/usr/bin/google-chrome', '/usr/bin/chromium'])) as { path: string }).path,
      '/usr/bin/chromium',
    );
    assert.equal(
      (locateChromium(machine(['/usr/bin/chromium', '/usr/local/bin/chromium'])) as { path: string }).path,
      '/usr/local/bin/chromium',
    );
  });

  it('finds nothing on Linux when PATH is empty, even if a browser is installed somewhere', () => {
    assert.deepEqual(locateChromium(machine(['/usr/bin/chromium'], { env: {} })), { found: false });
    assert.deepEqual(chromiumCandidates({ platform: 'linux', env: { PATH: '' } }), []);
  });

  it('looks in the fixed install places on macOS and Windows', () => {
    const mac = machine(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'], {
      platform: 'darwin',
      env: { HOME: '/Users/a' },
    });
    assert.deepEqual(locateChromium(mac), {
      found: true,
      path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      source: 'system',
    });
    const winChrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    const win = machine([winChrome], {
      platform: 'win32',
      env: { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' },
    });
    assert.deepEqual(locateChromium(win), { found: true, path: winChrome, source: 'system' });
  });
});

describe('the sentence a fresh machine stops with', () => {
  it('names the package manager of the distribution', () => {
    assert.equal(linuxFamily(DEBIAN), 'debian');
    assert.equal(linuxFamily(UBUNTU), 'ubuntu');
    assert.equal(linuxFamily(MINT), 'debian'); // Mint packages Chromium for apt; Ubuntu has only the snap
    assert.equal(linuxFamily(FEDORA), 'fedora');
    assert.equal(linuxFamily(ROCKY), 'fedora');
    assert.equal(linuxFamily(undefined), 'other');
    assert.equal(installCommand('linux', DEBIAN), 'sudo apt-get install chromium');
    assert.equal(installCommand('linux', FEDORA), 'sudo dnf install chromium');
    assert.equal(installCommand('darwin'), 'brew install --cask chromium');
    assert.equal(installCommand('win32'), 'winget install Google.Chrome');
  });

  it('is one sentence naming the command and the variable', () => {
    const s = missingBrowserSentence({ found: false }, 'linux', DEBIAN);
    assert.match(s, /`sudo apt-get install chromium`/);
    assert.match(s, /FEDMEM_CHROMIUM/);
    assert.equal(s.match(/[.!?](\s|$)/g)?.length, 1, s);
    assert.match(
      missingBrowserSentence({ found: false, badEnv: { name: 'FEDMEM_CHROMIUM', path: '/typo' } }, 'linux', DEBIAN),
      /FEDMEM_CHROMIUM is set to \/typo/,
    );
  });
});

describe('scripts/chromium.ts on a machine without a browser (child process)', () => {
  it('tries Playwright, then stops at once with the one sentence and exit code 1', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-no-browser-'));
    try {
      const env: Record<string, string> = {
        PATH: '',
        HOME: empty,
        // Playwright's cache is an empty folder and its download host refuses at once: the real
        // install runs and fails as it does offline, without touching the network.
        PLAYWRIGHT_BROWSERS_PATH: empty,
        PLAYWRIGHT_DOWNLOAD_HOST: 'http://127.0.0.1:1',
      };
      const root = path.resolve(import.meta.dirname, '../../..');
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/chromium.ts')], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(r.status, 1, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.match(lines[0], /trying Playwright's download/);
      const last = lines[lines.length - 1];
      assert.equal(lines.length, 2, r.stderr);
      assert.match(last, /^The browser tests need Chromium and none was found/);
      const expected =
        process.platform === 'linux' && fs.existsSync('/etc/os-release')
          ? installCommand('linux', fs.readFileSync('/etc/os-release', 'utf8'))
          : installCommand(process.platform);
      assert.ok(last.includes(expected), last);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
