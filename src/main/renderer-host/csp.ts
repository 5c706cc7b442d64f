/**
 * The renderer's Content Security Policy, one definition for the desktop window and browser mode.
 * Scripts only from the app itself (no inline, no eval); styles allow inline because Vue's transition
 * and ECharts' tooltips set style attributes; images may be data:/blob: (chart export).
 * `connect` adds the origins the page may call (browser mode's ws:// endpoint; vite's dev server).
 */
export function contentSecurityPolicy(connect: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
