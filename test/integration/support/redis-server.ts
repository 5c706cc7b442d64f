/**
 * A throwaway Redis (Debian's redis-server) on a free loopback port, with a password, for the
 * distributed-queue tests; and `fedmem worker` processes on it. Each resolves once the process
 * says it is ready, never after a sleep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FEDMEM_BIN = path.join(root, 'bin/fedmem.js');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves when `pattern` appears in the stream's text; rejects if the process exits first. */
export function waitForOutput(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  pattern: RegExp | string,
  log: { text: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const found = () => (typeof pattern === 'string' ? log.text.includes(pattern) : pattern.test(log.text));
    if (found()) return resolve();
    const onData = () => {
      if (!found()) return;
      child[stream]!.off('data', onData);
      resolve();
    };
    child[stream]!.on('data', onData);
    child.once('exit', (code) =>
      found() ? resolve() : reject(new Error(`process exited (${code}) before printing ${pattern}:\n${log.text}`)),
    );
  });
}

function captured(child: ChildProcess): { text: string } {
  const log = { text: '' };
  child.stdout?.on('data', (d: Buffer) => (log.text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log.text += d.toString()));
  return log;
}

export interface TestRedis {
  port: number;
  password: string;
  url: string;
  stop(): Promise<void>;
}

/** A Redis that keeps nothing on disk (started again on the same `port`, it is empty). */
export async function startRedis(password = 'fm-secret-7Qx2', port?: number): Promise<TestRedis> {
  port ??= await freePort();
  const args = [
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    os.tmpdir(),
    '--dbfilename',
    `never-saved-${port}.rdb`,
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--requirepass',
    password,
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = captured(child);
  await waitForOutput(child, 'stdout', 'Ready to accept connections', log);
  return {
    port,
    password,
    url: `redis://:${password}@127.0.0.1:${port}`,
    stop: () => stop(child),
  };
}

export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** The pids of a process's children, grandchildren and so on (read from /proc: Linux). */
export function descendants(pid: number): number[] {
  const parentOf = (child: string): number => {
    try {
      const stat = fs.readFileSync(`/proc/${child}/stat`, 'utf8');
      // Fields after the command (which may hold spaces): state, then the parent's pid.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return -1; // gone meanwhile
    }
  };
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && parentOf(d) === pid)
    .map(Number);
  return children.flatMap((c) => [c, ...descendants(c)]);
}

export interface TestWorker {
  child: ChildProcess;
  pid: number;
  log: { text: string };
}

/**
 * A `fedmem worker` on the queue (a short lock, so a killed worker's run moves on quickly), given the URL as
 * the README recommends: in FEDMEM_QUEUE_URL, not in its arguments.
 */
export async function startWorker(url: string, extra: string[] = []): Promise<TestWorker> {
  const env = { ...process.env, FEDMEM_QUEUE_URL: url };
  const child = spawn(process.execPath, [FEDMEM_BIN, 'worker', '--lock-seconds', '3', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const log = captured(child);
  await waitForOutput(child, 'stderr', 'takes runs from', log);
  return { child, pid: child.pid!, log };
}
