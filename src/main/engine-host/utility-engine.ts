/**
 * The desktop launcher: the engine in an Electron utilityProcess (a Node child that Electron
 * manages, so it does not need the app to be a Node binary and dies with the app). Messages use the
 * structured clone algorithm, which carries Float32Arrays like fork's 'advanced' serialization.
 * `utilityProcess` is passed in rather than imported so this file loads (and is tested) outside Electron.
 */
import type { EngineCommand, EngineEvent } from '../../shared/events';
import { wrapEngineProcess, type StartEngine } from './engine-handle';
import { childEnvironment } from './child-env';
import { engineEntry } from './fork-engine';
import type { SpawnQueryProcess } from './query-engine';

/** The slice of Electron's UtilityProcess this launcher uses. */
export interface UtilityProcessLike {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'spawn', listener: () => void): unknown;
  once(event: 'spawn', listener: () => void): unknown;
  postMessage(message: unknown): void;
  kill(): boolean;
  readonly stderr: { on(event: 'data', listener: (chunk: Buffer | string) => void): unknown } | null;
}

export interface UtilityProcessModule {
  fork(
    modulePath: string,
    args?: string[],
    options?: {
      serviceName?: string;
      env?: NodeJS.ProcessEnv;
      stdio?: 'pipe' | 'ignore' | 'inherit' | ('pipe' | 'ignore' | 'inherit')[];
    },
  ): UtilityProcessLike;
}

/** An engine process that answers queries (query-engine.ts), as an Electron utilityProcess. */
export function utilityQueryProcess(
  utilityProcess: UtilityProcessModule,
  entry: string = engineEntry(),
): SpawnQueryProcess {
  return () => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'FedMem engine queries',
      env: childEnvironment(),
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    // A message posted before 'spawn' is not guaranteed to arrive: hold them until then.
    let queue: EngineCommand[] | null = [];
    child.once('spawn', () => {
      queue!.forEach((cmd) => child.postMessage(cmd));
      queue = null;
    });
    let exited = false;
    return {
      send: (cmd) => (exited ? undefined : queue ? queue.push(cmd) : child.postMessage(cmd)),
      onMessage: (cb) => child.on('message', cb),
      onExit: (cb) =>
        child.on('exit', (code) => {
          exited = true;
          cb(`exited with code ${code}`);
        }),
      kill: () => child.kill(),
    };
  };
}

export function utilityEngineLauncher(
  utilityProcess: UtilityProcessModule,
  entry: string = engineEntry(),
): StartEngine {
  return (config, start = {}, host = {}) => {
    // stdout inherited (engine logs land in main's terminal); stderr piped to explain crashes.
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'FedMem engine',
      env: childEnvironment(),
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let exited = false;
    const send = (cmd: EngineCommand) => {
      if (!exited) child.postMessage(cmd);
    };
    const handle = wrapEngineProcess(
      {
        onMessage: (cb) => child.on('message', (m) => cb(m as EngineEvent)),
        onExit: (cb) =>
          child.on('exit', (code) => {
            exited = true;
            cb(code, null);
          }),
        onStderr: (cb) => child.stderr?.on('data', (d) => cb(d.toString())),
        sendCancel: () => send({ type: 'cancel' }),
        kill: () => void child.kill(),
      },
      host,
    );
    // Post once the process exists; a message posted before 'spawn' is not guaranteed to arrive.
    child.once('spawn', () => send({ type: 'start', config, ...start }));
    return handle;
  };
}
