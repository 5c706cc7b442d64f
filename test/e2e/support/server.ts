/**
 * Browser mode for e2e tests: the real server, started the way `npm run web` starts it
 * (scripts/web.mjs, here with --no-build: `npm run e2e` builds once before the suite), as a child
 * process on a free port (--port 0) with its own temporary data dir; the URL it prints carries the
 * access token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const WEB_SCRIPT = path.join(ROOT, 'scripts/web.mjs');
const BUILT = path.join(ROOT, 'out/main/web.js');

export interface WebServer {
  /** The printed URL, token included. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(opts: { startupMs?: number } = {}): Promise<WebServer> {
  if (!fs.existsSync(BUILT) || !fs.existsSync(path.join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('out/ is not built: run `npx electron-vite build` (npm run e2e does it first)');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedmem-e2e-'));
  const env = { ...process.env };
  delete env.FEDMEM_DATA_DIR;
  delete env.FEDMEM_WEB_TOKEN;
  const child = spawn(process.execPath, [WEB_SCRIPT, '--no-build', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`the server printed no URL within ${opts.startupMs ?? 30000} ms:\n${out}`)),
      opts.startupMs ?? 30000,
    );
    const onData = () => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out);
      if (m) done(null, m[0]);
    };
    const onExit = (code: number | null) =>
      done(new Error(`the server exited (${code}) before printing its URL:\n${out}`));
    function done(err: Error | null, value?: string) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value!);
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });

  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    dataDir,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the contract over HTTP the way the page does, with the token header. */
export async function apiCall<T>(server: WebServer, channel: string, input?: unknown): Promise<T> {
  const res = await fetch(`${server.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-FedMem-Token': server.token },
    body: input === undefined ? '' : JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; data?: T; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`${channel}: ${body.error?.code} ${body.error?.message}`);
  return body.data as T;
}
