/**
 * Electron's security checklist for everything that is not the window's own options: the page may
 * not navigate away or open windows (http(s) links go to the system browser instead), may not attach
 * webviews, gets no permissions, and IPC answers only our own page.
 */
import type { App, IpcMainInvokeEvent, Session, Shell } from 'electron';
import { APP_ORIGIN } from './protocol';

/** Origins our page is loaded from: app://renderer, or vite's dev server during `electron-vite dev`. */
export function trustedOrigins(devUrl: string | undefined): Set<string> {
  const origins = new Set([APP_ORIGIN]);
  if (devUrl) origins.add(new URL(devUrl).origin);
  return origins;
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // Non-special schemes (app:) give origin "null"; rebuild it from protocol and host.
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export function isTrustedUrl(url: string, origins: Set<string>): boolean {
  const o = originOf(url);
  return o !== null && origins.has(o);
}

export function isTrustedSender(event: unknown, origins: Set<string>): boolean {
  const frame = (event as IpcMainInvokeEvent | undefined)?.senderFrame;
  return !!frame && isTrustedUrl(frame.url, origins);
}

export function hardenApp(app: App, session: Session, shell: Shell, origins: Set<string>): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    const guard = (e: { preventDefault(): void }, url: string) => {
      if (!isTrustedUrl(url, origins)) e.preventDefault();
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to papers and docs open in the user's browser; nothing opens inside the app.
      if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
