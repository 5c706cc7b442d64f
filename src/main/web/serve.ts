/**
 * `fedmem web` (and `npm run web`): the workbench in a browser. Serves the built renderer and the
 * API on 127.0.0.1 (reach a remote GPU server through an SSH tunnel) and prints a URL with a fresh
 * access token. FEDMEM_WEB_TOKEN fixes the token (scripts, tests); otherwise it is random per launch.
 * Resolves when the server has stopped (Ctrl+C cancels running runs first).
 */
import fs from 'node:fs';
import { CANCELLED_EXIT, CliError, onStopSignals } from '../process-exit';
import { DEFAULT_CANCEL_GRACE_MS } from '../engine-host/engine-handle';
import { resolveDataDirWithSource } from '../store';
import { defaultRendererDir, startWebApp } from './app';
import { isLoopback } from './auth';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir?: string;
  allowHosts?: string[];
  rendererDir?: string;
}

export async function serveWeb(o: ServeOptions): Promise<void> {
  const data = resolveDataDirWithSource({ flag: o.dataDir, env: process.env });
  const token = process.env.FEDMEM_WEB_TOKEN?.trim() || undefined;
  const rendererDir = o.rendererDir ?? defaultRendererDir();
  const app = await startWebApp({
    dataDir: data.dir,
    host: o.host,
    port: o.port,
    rendererDir,
    ...(token && { token }),
    ...(o.allowHosts?.length && { allowHosts: o.allowHosts }),
  });
  if (!isLoopback(o.host)) {
    const bar = '!'.repeat(78);
    console.warn(
      `${bar}\n!! WARNING: listening on ${o.host}, reachable from other machines over plain, unencrypted HTTP.\n` +
        `!! Anyone who obtains the token can run experiments and read every stored result.\n` +
        `!! Prefer the default (127.0.0.1) and an SSH tunnel: ssh -L ${app.server.port}:127.0.0.1:${app.server.port} <server>\n${bar}`,
    );
  }
  if (!fs.existsSync(rendererDir))
    console.warn(`the app is not built (${rendererDir} is missing): pages answer 503 until \`npm run build\``);
  console.log(`FedMem Workbench (browser mode), data in ${data.dir}`);
  console.log(`Open this URL (it carries the access token; keep it private):\n\n    ${app.url}\n`);
  console.log('Press Ctrl+C to stop.');

  const stoppedBy = await new Promise<NodeJS.Signals>((resolve) => {
    let stopping = false;
    onStopSignals((signal) => {
      if (stopping) return; // the first signal's stop is under way; the engines' grace period bounds it
      stopping = true;
      const active = app.services.runs.activeIds().length;
      console.log(
        `\n${signal}: ${active ? `cancelling ${active} running run(s) (they keep what they recorded), then ` : ''}stopping…`,
      );
      void app.close(DEFAULT_CANCEL_GRACE_MS + 5_000).then(() => resolve(signal));
    });
  });
  // Stopped by a signal: the shell's 130, with one line saying so.
  throw new CliError(`stopped by ${stoppedBy}; runs in progress were cancelled`, CANCELLED_EXIT);
}
