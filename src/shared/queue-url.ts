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

/** Validates a queue URL; throws one sentence naming the rule it breaks (never echoing a password). */
export function parseQueueUrl(text: string): QueueAddress {
  const shown = redactQueueUrl(text);
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    // Not echoed: without a scheme there is no telling which part is a password.
    throw new QueueUrlError('the queue URL is not a URL; write redis://[:password@]host:port[/db], or rediss:// for TLS');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new QueueUrlError(`queue URL "${shown}" must start with redis:// or rediss:// (TLS)`);
  }
  if (!url.hostname) throw new QueueUrlError(`queue URL "${shown}" names no host`);
  const port = url.port === '' ? DEFAULT_PORT : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d*$/.test(dbText) || !Number.isInteger(db) || db > 15) {
    throw new QueueUrlError(`queue URL "${shown}": the database after the last / must be a number from 0 to 15`);
  }
  if (url.search || url.hash) throw new QueueUrlError(`queue URL "${shown}" must not have a ?query or #fragment`);
  return {
    tls: url.protocol === 'rediss:',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(url.username && { username: decodeURIComponent(url.username) }),
    ...(url.password && { password: decodeURIComponent(url.password) }),
  };
}

/**
 * The URL with its password replaced by `***` (the user name stays: it is not a secret). Works on
 * text that does not parse too, so an error about a malformed URL cannot leak what was typed after `:`.
 */
export function redactQueueUrl(text: string): string {
  // Greedy up to the last @ before the path, as URL parsing takes it: a password may itself hold an @.
  return text.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/]*)@/i, (_m, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return colon < 0 ? `${scheme}***@` : `${scheme}${auth.slice(0, colon)}:***@`;
  });
}

/** host:port, for messages that need only where the queue is. */
export const queueWhere = (a: QueueAddress) => `${a.tls ? 'rediss' : 'redis'}://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
