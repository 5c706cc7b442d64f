/**
 * The address of a distributed study queue (issue 16): `redis://[:password@]host:port[/db]`, or
 * `rediss://` for TLS. Parsed once here for the CLI, the worker, the app and Settings; the password
 * is needed only to connect, so everything that shows, stores or logs a URL shows `redactQueueUrl()`.
 */

export interface QueueAddress {
  tls: boolean;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
}

export class QueueUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUrlError';
  }
}

const DEFAULT_PORT = 6379;
const FORM = 'write redis://[:password@]host:port[/db], or rediss:// for TLS';

/**
 * The URL cut where URL parsing cuts it, without parsing: so a URL that does not parse can still be
 * told which part is wrong. The user information runs to the last @ (a password may hold an @).
 */
interface QueueUrlParts {
  scheme: string;
  userinfo: string | null;
  hostPort: string;
  /** What follows host:port: `/db`, and a `?query` or `#fragment` that does not belong. */
  rest: string;
}

function cut(text: string): QueueUrlParts | null {
  const m = /^([a-z][a-z0-9+.-]*):(\/\/)?(.*)$/is.exec(text);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  if (!m[2]) return { scheme, userinfo: null, hostPort: '', rest: m[3] };
  const at = m[3].lastIndexOf('@');
  const userinfo = at < 0 ? null : m[3].slice(0, at);
  const after = m[3].slice(at + 1);
  const end = after.search(/[/?#]/);
  return { scheme, userinfo, hostPort: end < 0 ? after : after.slice(0, end), rest: end < 0 ? '' : after.slice(end) };
}

/** A user name or password as it is meant, or one sentence naming it and what is wrong (never its text). */
function decodeSecret(text: string, part: 'user name' | 'password'): string {
  const bad = /[/?#]/.exec(text);
  if (bad) {
    const code = `%${bad[0].charCodeAt(0).toString(16).toUpperCase()}`;
    throw new QueueUrlError(
      `the queue URL's ${part} holds a "${bad[0]}", which a URL cannot hold there: write it as ${code}`,
    );
  }
  if (/%(?![0-9a-f]{2})/i.test(text)) {
    throw new QueueUrlError(`the queue URL's ${part} has a "%" not followed by two hex digits: write a % in it as %25`);
  }
  try {
    return decodeURIComponent(text);
  } catch {
    // Well-formed escapes that are not UTF-8 (%FF): still said without echoing them.
    throw new QueueUrlError(`the queue URL's ${part} has %-escapes that are not UTF-8 text`);
  }
}

function checkHostPort(hostPort: string): { host: string; port: number } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)!;
  const host = m[1];
  const portText = m[2];
  if (host === '' || host === '[]') throw new QueueUrlError(`the queue URL names no host; ${FORM}`);
  if (portText !== undefined && portText !== '') {
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      throw new QueueUrlError("the queue URL's port (after the host's :) must be a number from 1 to 65535");
    }
  }
  return { host, port: portText ? Number(portText) : DEFAULT_PORT };
}

/** Validates a queue URL; throws one sentence naming the part that breaks a rule, never echoing a password. */
export function parseQueueUrl(text: string): QueueAddress {
  const trimmed = text.trim();
  const parts = cut(trimmed);
  // Not echoed: without a scheme there is no telling which part is a password.
  if (!parts) throw new QueueUrlError(`the queue URL is not a URL; ${FORM}`);
  if (
    (parts.scheme !== 'redis' && parts.scheme !== 'rediss') ||
    !trimmed.slice(parts.scheme.length).startsWith('://')
  ) {
    throw new QueueUrlError(`the queue URL must start with redis:// or rediss:// (TLS); ${FORM}`);
  }
  let username: string | undefined;
  let password: string | undefined;
  if (parts.userinfo !== null) {
    const colon = parts.userinfo.indexOf(':');
    username = decodeSecret(colon < 0 ? parts.userinfo : parts.userinfo.slice(0, colon), 'user name') || undefined;
    password = colon < 0 ? undefined : decodeSecret(parts.userinfo.slice(colon + 1), 'password') || undefined;
  }
  const { port } = checkHostPort(parts.hostPort);
  if (/[?#]/.test(parts.rest)) throw new QueueUrlError('the queue URL must not have a ?query or #fragment');
  const dbText = parts.rest.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || db > 15) {
    throw new QueueUrlError("the queue URL's database (after the last /) must be a number from 0 to 15");
  }
  let hostname: string;
  try {
    // The host's own rules (characters, IPv6 brackets, IDNA) are URL parsing's.
    hostname = new URL(`${parts.scheme}://${parts.hostPort}`).hostname;
  } catch {
    hostname = '';
  }
  if (!hostname) throw new QueueUrlError(`the queue URL's host is not a host name or IP address; ${FORM}`);
  return {
    tls: parts.scheme === 'rediss',
    host: hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
  };
}

/**
 * The URL with its password replaced by `***` (the user name stays: it is not a secret). Works on
 * text that does not parse too, so an error about a malformed URL cannot leak what was typed after `:`.
 */
export function redactQueueUrl(text: string): string {
  // Greedy up to the last @, as parseQueueUrl cuts it: a password may itself hold an @ (or a stray / or #).
  return text.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)(.*)@/is, (_m, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return colon < 0 ? `${scheme}***@` : `${scheme}${auth.slice(0, colon)}:***@`;
  });
}

/** host:port, for messages that need only where the queue is. */
export const queueWhere = (a: QueueAddress) =>
  `${a.tls ? 'rediss' : 'redis'}://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
