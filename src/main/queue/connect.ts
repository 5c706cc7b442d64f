/**
 * Connections to the queue's Redis, made from a parsed queue URL (shared/queue-url.ts) so the
 * password goes to ioredis and nowhere else, and a first check that fails fast with one sentence
 * ("cannot reach the Redis queue at redis://host:port: connection refused") instead of retrying.
 */
import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { parseQueueUrl, queueWhere, type QueueAddress } from '../../shared/queue-url';

export class QueueUnreachableError extends Error {
  readonly code = 'QUEUE_UNREACHABLE';
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnreachableError';
  }
}

/** Connection options for the address, for ioredis and BullMQ alike; BullMQ needs `maxRetriesPerRequest: null`. */
export function redisOptions(a: QueueAddress): RedisOptions {
  return {
    host: a.host,
    port: a.port,
    db: a.db,
    ...(a.username && { username: a.username }),
    ...(a.password && { password: a.password }),
    ...(a.tls && { tls: { servername: a.host } }),
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
  };
}

function why(e: Error & { code?: string }): string {
  const text = `${e.code ?? ''} ${e.message}`;
  if (/ECONNREFUSED/.test(text)) return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'host not found';
  if (/ETIMEDOUT|timed? ?out/i.test(text)) return 'no answer within 5 s';
  if (/WRONGPASS|invalid password|invalid username-password/i.test(text)) return 'the password was refused';
  if (/NOAUTH/.test(text)) return 'it needs a password (redis://:PASSWORD@host:port)';
  if (/EPROTO|SSL|TLS|certificate/i.test(text)) return `TLS failed (${e.message})`;
  return e.message;
}

/** Connects once without retrying and pings; throws QueueUnreachableError in one sentence. */
export async function checkQueue(url: string): Promise<QueueAddress> {
  const address = parseQueueUrl(url);
  const probe = new Redis({ ...redisOptions(address), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The cause (ECONNREFUSED, WRONGPASS) comes as an 'error' event; the rejected connect only says it closed.
  let cause: Error | undefined;
  probe.on('error', (e: Error) => (cause ??= e));
  try {
    await probe.connect();
    await probe.ping();
    return address;
  } catch (e) {
    throw new QueueUnreachableError(`cannot reach the Redis queue at ${queueWhere(address)}: ${why(cause ?? (e as Error))}`);
  } finally {
    probe.disconnect();
  }
}

/** A connection for the long run: reconnects after a blip; errors are logged by the caller once per change. */
export function connectQueue(address: QueueAddress, onError: (message: string) => void): Redis {
  const redis = new Redis(redisOptions(address));
  let last = '';
  redis.on('error', (e: Error) => {
    const message = `the Redis queue at ${queueWhere(address)}: ${why(e)}`;
    if (message !== last) onError(message);
    last = message;
  });
  redis.on('ready', () => (last = ''));
  return redis;
}
