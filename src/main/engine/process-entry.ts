/**
 * Entry point of the engine process. It runs under child_process.fork (CLI, browser mode, tests) or
 * Electron's utilityProcess (desktop), whose parent ports differ; both are adapted to one send/receive
 * pair here. Started with 'start', the process runs one experiment and exits; a process that gets
 * only 'query' commands stays and answers them (queries.ts) until its host goes.
 */
import { webGpuDeviceLost } from './compute/webgpu';
import { toApiError } from '../../shared/api-errors';
import type { EngineAnswer, EngineCommand, EngineEvent, EngineQuery, EngineStartOptions } from '../../shared/events';
import { parseConfig } from '../../shared/config';
import { runExperiment } from './experiment';
import { toEngineError } from './errors';
import { answerQuery } from './queries';

interface ParentPort {
  on(event: 'message', listener: (e: { data: EngineCommand }) => void): void;
  postMessage(message: EngineEvent | EngineAnswer): void;
}

const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
/**
 * Messages handed to the IPC channel and not yet written out (fork only; Electron's postMessage queues synchronously).
 */
let unsent = 0;
let drained: (() => void) | null = null;
const send = (e: EngineEvent | EngineAnswer): void => {
  if (electronPort) return electronPort.postMessage(e);
  if (!process.send) return;
  unsent++;
  process.send(e, undefined, {}, () => {
    if (--unsent === 0) drained?.();
  });
};
/** Resolves once every message sent so far has left the process: exiting earlier drops them (the weights, 'done'). */
const flushed = (): Promise<void> => (unsent === 0 ? Promise.resolve() : new Promise((resolve) => (drained = resolve)));
const onCommand = (cb: (c: EngineCommand) => void) =>
  electronPort ? electronPort.on('message', (e) => cb(e.data)) : process.on('message', (m) => cb(m as EngineCommand));

const controller = new AbortController();
let started = false;

// If the host dies (crash, SIGKILL), the IPC channel closes: stop rather than train for nobody.
process.on('disconnect', () => process.exit(2));
// Ctrl+C in a terminal reaches the whole process group, the engine too: stop as if the host had
// asked, so the run ends 'cancelled' with what it recorded rather than killed mid-write. A process
// that only answers queries has nothing to save and leaves at once (the host's EngineQueries.close
// sends SIGTERM; ignoring it kept the host's event loop, and so the host, alive forever).
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => (started ? controller.abort() : process.exit(0)));

onCommand((cmd) => {
  if (cmd.type === 'query') void answer(cmd.id, cmd.query);
  if (cmd.type === 'cancel') controller.abort();
  if (cmd.type === 'start' && !started) {
    started = true;
    const { historyDir, share, checkpoint, probeCache } = cmd;
    void start(cmd.config, { historyDir, share, checkpoint, probeCache });
  }
});

async function start(input: unknown, options: EngineStartOptions): Promise<void> {
  try {
    await runExperiment(parseConfig(input), send, controller.signal, options);
  } catch (e) {
    const error = toEngineError(e);
    // A GPU reset or out-of-memory shows up as some later op failing; the device's own reason says what happened.
    const lost = webGpuDeviceLost();
    if (lost != null) error.message = `The GPU device was lost (${lost}). ${error.message}`;
    // An unexpected failure's stack goes to stderr, which the host keeps in the run's log file; the
    // message that reaches people stays one sentence.
    if (error.code === 'ENGINE' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    send({ type: 'error', ...error });
  }
  // Leave only once the last messages (the weights, the final event) are written to the channel.
  await flushed();
  process.exit(0);
}

async function answer(id: number, query: EngineQuery): Promise<void> {
  try {
    send({ type: 'answer', id, ok: true, value: await answerQuery(query) });
  } catch (e) {
    // The same code and field-level issues the host would have produced had it run the query itself.
    const { code, message, issues } = toApiError(e);
    send({ type: 'answer', id, ok: false, code, message, ...(issues && { issues }) });
  }
}
