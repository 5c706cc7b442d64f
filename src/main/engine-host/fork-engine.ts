/**
 * Starts the engine in its own Node process (child_process.fork) and exposes its events: the CLI,
 * browser mode and tests use this; Electron's desktop build swaps in utilityProcess (utility-engine.ts)
 * behind the same EngineHandle. The 'advanced' serialization carries Float32Arrays (weights) without JSON.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childEnvironment } from './child-env';
import { wrapEngineProcess, type EngineHandle, type EngineHostOptions } from './engine-handle';
import type { SpawnQueryProcess } from './query-engine';
import type { EngineEvent, EngineStartOptions } from '../../shared/events';

export type { EngineHandle } from './engine-handle';

/**
 * The engine's entry file. From sources (tsx) it is process-entry.ts; in a build, electron.vite.config.ts
 * emits it as engine.js in the same flat folder (out/main) as every chunk, so it sits next to this code.
 */
export function engineEntry(): string {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  return fileURLToPath(new URL(ts ? '../engine/process-entry.ts' : './engine.js', here));
}

function forkEntry() {
  const ts = import.meta.url.endsWith('.ts');
  return fork(engineEntry(), [], {
    serialization: 'advanced',
    execArgv: ts ? ['--import', import.meta.resolve('tsx')] : [],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: childEnvironment(),
  });
}

/** An engine process that answers queries (query-engine.ts), under child_process.fork. */
/**
 * An engine process that answers queries (query-engine.ts), under child_process.fork; its stderr goes to the host's.
 */
export const forkQueryProcess: SpawnQueryProcess = () => {
  const child = forkEntry();
  child.stderr?.pipe(process.stderr);
  return {
    send: (cmd) => {
      if (child.connected) child.send(cmd);
    },
    onMessage: (cb) => child.on('message', cb),
    onExit: (cb) =>
      child.on('exit', (code, signal) => cb(signal ? `was killed by ${signal}` : `exited with code ${code}`)),
    // SIGTERM only aborts a run in the engine (process-entry.ts); a query process leaves when its
    // IPC channel closes. Without the disconnect the open channel would keep the host (the CLI) alive.
    kill: () => {
      if (child.connected) child.disconnect();
      child.kill();
    },
  };
};

export function forkEngine(
  config: unknown,
  start: EngineStartOptions = {},
  host: EngineHostOptions = {},
): EngineHandle {
  const child = forkEntry();
  const handle = wrapEngineProcess(
    {
      onMessage: (cb) => child.on('message', (m) => cb(m as EngineEvent)),
      onExit: (cb) => child.on('exit', (code, signal) => cb(code, signal)),
      onStderr: (cb) => child.stderr?.on('data', (d: Buffer) => cb(d.toString())),
      sendCancel: () => {
        if (child.connected) child.send({ type: 'cancel' });
      },
      kill: () => child.kill('SIGKILL'),
    },
    host,
  );
  child.send({ type: 'start', config, ...start });
  return handle;
}
