/**
 * Electron main: one window, one instance, the application menu. Main owns the database and the
 * runs; the engine trains in a utilityProcess, so the UI thread never waits on it. The renderer is
 * sandboxed with context isolation and reaches main only through window.api (the preload), whose
 * every call is validated by the same dispatch table browser mode uses.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, utilityProcess } from 'electron';
import { fileURLToPath } from 'node:url';
import { utilityEngineLauncher, utilityQueryProcess } from './engine-host/utility-engine';
import { createAppServices, type AppServices } from './services/handlers';
import type { Push } from './services/run-manager';
import { hardenApp, isTrustedSender, trustedOrigins } from './desktop/hardening';
import { buildMenu } from './desktop/menu';
import { APP_ORIGIN, handleAppScheme, registerAppScheme } from './desktop/protocol';
import { resolveDataDir } from './store';
import { contentSecurityPolicy } from './renderer-host/csp';

/** Set by `electron-vite dev`: the renderer comes from vite's dev server with hot reload. */
const devUrl = process.env.ELECTRON_RENDERER_URL;
const origins = trustedOrigins(devUrl);
const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
/** Runs still going when the user quits get this long to stop and be stored as 'cancelled'. */
const QUIT_GRACE_MS = 5000;

let mainWindow: BrowserWindow | null = null;
let services: AppServices | null = null;

/** `--data-dir DIR` or `--data-dir=DIR` on the app's command line, as the CLI takes it. */
function dataDirFlag(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}

const push: Push = (channel, payload) => {
  for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(channel, payload);
};

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'FedMem Workbench',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: here('../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

async function start(): Promise<void> {
  // No Electron userData here on purpose: the app and the `fedmem` CLI share one data folder by default.
  const dataDir = resolveDataDir({ flag: dataDirFlag(process.argv), env: process.env });
  try {
    services = createAppServices({
      dataDir,
      mode: 'electron',
      push,
      startEngine: utilityEngineLauncher(utilityProcess),
      spawnQueryProcess: utilityQueryProcess(utilityProcess),
      // Set by `npm start` (scripts/electron-native.mjs): better-sqlite3 built for Electron's ABI.
      sqliteBinding: process.env.FEDMEM_SQLITE_BINDING,
      pickFolder: async () => {
        const options = { title: 'Choose a dataset folder', properties: ['openDirectory' as const] };
        const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
      },
      onInternalError: (channel, e) => console.error(`[fedmem] ${channel} failed:`, e),
    });
  } catch (e) {
    dialog.showErrorBox('FedMem Workbench cannot open its database', `${dataDir}\n\n${(e as Error).message}`);
    app.exit(1);
    return;
  }
  services.register(ipcMain, (event) => isTrustedSender(event, origins));

  hardenApp(app, session.defaultSession, shell, origins);
  if (devUrl) {
    // The dev server's pages get the same policy, plus vite's hot-reload socket.
    const devOrigin = new URL(devUrl).origin;
    const csp = contentSecurityPolicy([devOrigin.replace(/^http/, 'ws')]);
    session.defaultSession.webRequest.onHeadersReceived({ urls: [`${devOrigin}/*`] }, (details, callback) =>
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } }),
    );
  } else {
    handleAppScheme(protocol, here('../renderer'));
  }
  Menu.setApplicationMenu(buildMenu(app, dataDir));
  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the window and the database; it gets focused by its 'second-instance' handler.
  app.quit();
} else {
  registerAppScheme(protocol);
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('activate', () => {
    if (services && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let shutDown = false;
  app.on('before-quit', (event) => {
    if (shutDown || !services) return;
    // Hold the quit until running runs have been cancelled and stored as such (or the grace ran out).
    event.preventDefault();
    shutDown = true;
    void services.shutdown(QUIT_GRACE_MS).finally(() => app.quit());
  });

  void app.whenReady().then(start);
}
