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

/**
 * The longest wait between two attempts to reconnect to a Redis that went away. BullMQ's own default
 * grows to 20 s, which would leave a worker idle that long after Redis is back; an attempt every 2 s
 * costs a refused connection, and the outage is told once whatever the number of attempts.
 */
const RECONNECT_MAX_MS = 2000;

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
    retryStrategy: (times: number) => Math.min(times * 200, RECONNECT_MAX_MS),
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
  const probe = new Redis({
    ...redisOptions(address),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The cause (ECONNREFUSED, WRONGPASS) comes as an 'error' event; the rejected connect only says it closed.
  let cause: Error | undefined;
  probe.on('error', (e: Error) => (cause ??= e));
  try {
    await probe.connect();
    await probe.ping();
    return address;
  } catch (e) {
    throw new QueueUnreachableError(
      `cannot reach the Redis queue at ${queueWhere(address)}: ${why(cause ?? (e as Error))}`,
    );
  } finally {
    probe.disconnect();
  }
}

/**
 * Says a Redis outage once: the first failure "waiting for Redis at redis://host:port (connection
 * refused)", nothing while the reconnection attempts fail (ioredis and BullMQ report each one), and
 * "Redis at redis://host:port answers again" when a connection is ready after it.
 */
export interface OutageReporter {
  failed(e: Error): void;
  ready(): void;
}

export function outageReporter(address: QueueAddress, log: (line: string) => void): OutageReporter {
  let down = false;
  return {
    failed(e) {
      if (down) return;
      down = true;
      log(`waiting for Redis at ${queueWhere(address)} (${why(e)})`);
    },
    ready() {
      if (!down) return;
      down = false;
      log(`Redis at ${queueWhere(address)} answers again`);
    },
  };
}

const CONNECTION_TROUBLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ENOTFOUND|EAI_AGAIN|Connection is closed/i;

/**
 * Whether an error says Redis cannot be reached now (it passes when Redis answers again), not that a command failed.
 */
export function isConnectionError(e: Error & { code?: string }): boolean {
  return CONNECTION_TROUBLE.test(`${e.code ?? ''} ${e.message}`);
}

/**
 * A connection for the long run: reconnects after a blip (ioredis backs off up to 2 s between attempts);
 * `outage` hears of its failures and its return, which it tells once.
 */
export function connectQueue(address: QueueAddress, outage?: OutageReporter): Redis {
  const redis = new Redis(redisOptions(address));
  redis.on('error', (e: Error) => outage?.failed(e));
  redis.on('ready', () => outage?.ready());
  return redis;
}
