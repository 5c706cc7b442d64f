/**
 * Browser mode's gatekeeping, like Jupyter's: a random token per launch, shown in the URL the server
 * prints, required on every request (cookie, header or ?token=). Host and Origin must name this
 * server, which defeats DNS rebinding (a hostile page whose name resolves to 127.0.0.1 sends its own
 * Host) and cross-site requests (a foreign Origin), even before the token is checked.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';

export const TOKEN_HEADER = 'x-fedmem-token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Host names this server answers to. Loopback names at any port (an SSH tunnel may map another local
 * port); for a non-loopback bind also the bound address, every interface address when bound to all,
 * the machine's host name, and whatever the user allowed explicitly.
 */
export function allowedHostnames(bindHost: string, extra: string[] = []): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  const add = (h: string) =>
    names.add(h.includes(':') && !h.startsWith('[') ? `[${h.toLowerCase()}]` : h.toLowerCase());
  if (!isLoopback(bindHost)) {
    if (bindHost === '0.0.0.0' || bindHost === '::') {
      for (const list of Object.values(os.networkInterfaces()))
        for (const i of list ?? []) add(i.address.split('%')[0]);
      add(os.hostname());
    } else {
      add(bindHost);
    }
  }
  extra.forEach(add);
  return names;
}

/** The host name part of a Host header value ("127.0.0.1:5317", "[::1]:5317", "example"). */
function hostnameOf(hostHeader: string): string {
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim().toLowerCase());
  return m ? m[1] : '';
}

export function cookieName(port: number): string {
  // Cookies ignore ports: a per-port name keeps two servers on one host from overwriting each other.
  return `fedmem-token-${port}`;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type Verdict = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

/** What the gate reads of a request; the server extracts it (cookie parsing is the framework's). */
export interface Credentials {
  host: string | undefined;
  origin: string | undefined;
  authorization: string | undefined;
  /** The x-fedmem-token header. */
  tokenHeader: string | undefined;
  /** This server's token cookie, already parsed. */
  cookie: string | undefined;
  /** The ?token= query parameter. */
  query: string | undefined;
}

export interface Gate {
  check(c: Credentials): Verdict;
}

export function createGate(token: string, hostnames: Set<string>): Gate {
  return {
    check(c) {
      const host = c.host ?? '';
      if (!hostnames.has(hostnameOf(host)))
        return { ok: false, status: 403, reason: `host "${host}" is not this server` };
      const origin = c.origin;
      if (origin !== undefined) {
        // Same origin only: Origin must be http://<the Host this request was sent to>.
        let o: URL | null = null;
        try {
          o = new URL(origin);
        } catch {
          /* "null" and garbage fall through */
        }
        if (!o || o.protocol !== 'http:' || o.host.toLowerCase() !== host.toLowerCase()) {
          return { ok: false, status: 403, reason: `origin "${origin}" is not this server` };
        }
      }
      const bearer = c.authorization?.startsWith('Bearer ') ? c.authorization.slice(7) : undefined;
      const fromHeader = c.tokenHeader ?? bearer;
      if (sameToken(fromHeader, token) || sameToken(c.cookie, token)) return { ok: true, viaQuery: false };
      if (sameToken(c.query, token)) return { ok: true, viaQuery: true };
      return { ok: false, status: 401, reason: 'missing or wrong token' };
    },
  };
}
