/**
 * `npm run web`: the workbench in a browser. Serves the built renderer and the API on 127.0.0.1
 * (reach a remote GPU server through an SSH tunnel) and prints a URL with a fresh access token.
 *
 *   --port N         default 5317; 0 picks a free port
 *   --host ADDR      default 127.0.0.1; anything else is reachable from the network (warned about)
 *   --data-dir DIR   where runs are stored (default: $FEDMEM_DATA_DIR or the app data folder)
 *   --allow-host H   also accept this Host name (e.g. behind a reverse proxy); repeatable
 * FEDMEM_WEB_TOKEN fixes the token (scripts, tests); otherwise it is random per launch.
 */
import { parseArgs } from 'node:util';
import { resolveDataDirWithSource } from '../store';
import { startWebApp } from './app';
import { isLoopback } from './auth';
import { DEFAULT_PORT } from './server';

const USAGE = 'usage: npm run web -- [--port N] [--host ADDR] [--data-dir DIR] [--allow-host NAME]... [--renderer-dir DIR]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        'renderer-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`fedmem web: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) return console.log(USAGE), 0;
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`fedmem web: --port must be a whole number from 0 to 65535, not "${values.port}"`);
    return 2;
  }
  const host = values.host ?? '127.0.0.1';
  const data = resolveDataDirWithSource({ flag: values['data-dir'], env: process.env });
  const token = process.env.FEDMEM_WEB_TOKEN?.trim() || undefined;

  const app = await startWebApp({
    dataDir: data.dir,
    host,
    port,
    ...(token && { token }),
    ...(values['allow-host'] && { allowHosts: values['allow-host'] }),
    ...(values['renderer-dir'] && { rendererDir: values['renderer-dir'] }),
  });
  if (!isLoopback(host)) {
    const bar = '!'.repeat(78);
    console.warn(
      `${bar}\n!! WARNING: listening on ${host}, reachable from other machines over plain, unencrypted HTTP.\n` +
        `!! Anyone who obtains the token can run experiments and read every stored result.\n` +
        `!! Prefer the default (127.0.0.1) and an SSH tunnel: ssh -L ${app.server.port}:127.0.0.1:${app.server.port} <server>\n${bar}`,
    );
  }
  console.log(`FedMem Workbench (browser mode), data in ${data.dir}`);
  console.log(`Open this URL (it carries the access token; keep it private):\n\n    ${app.url}\n`);
  console.log('Press Ctrl+C to stop.');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130); // a second Ctrl+C: leave now (the next start marks runs interrupted)
    stopping = true;
    const active = app.services.runs.activeIds().length;
    console.log(`\n${signal}: ${active ? `cancelling ${active} running run(s), then ` : ''}stopping…`);
    void app.close(5000).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    console.error(`fedmem web: ${(e as Error).message}`);
    process.exit(1);
  },
);
