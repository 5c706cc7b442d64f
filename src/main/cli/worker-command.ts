/**
 * `fedmem worker`: runs study runs from a Redis queue on this machine until stopped (queue/worker.ts),
 * the queue given by FEDMEM_QUEUE_URL, --queue-file or --queue (queue-source.ts). Ctrl-C stops the
 * engines; their runs go back to the queue for another worker.
 */
import { QueueUrlError } from '../../shared/queue-url';
import { startQueueWorker } from '../queue/worker';
import { CliError, onStopSignals } from '../process-exit';
import { requireQueueUrl, type QueueFlags } from './queue-source';

export interface WorkerFlags extends QueueFlags {
  dataPath: string[];
  concurrency?: string;
  lockSeconds?: string;
  cacheDir?: string;
}

/** `NAME=DIR` flags as a map; one sentence for a malformed one. */
export function parseDataPaths(flags: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of flags) {
    const at = f.indexOf('=');
    if (at <= 0 || at === f.length - 1) throw new CliError(`--data-path "${f}" must be NAME=DIR (the dataset folder's name on the coordinator, and where it is here)`);
    out.set(f.slice(0, at), f.slice(at + 1));
  }
  return out;
}

function wholeNumber(flag: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

export async function workerCommand(o: WorkerFlags): Promise<void> {
  const options = {
    url: requireQueueUrl(o),
    dataPaths: parseDataPaths(o.dataPath),
    concurrency: wholeNumber('--concurrency', o.concurrency, 1, 64, 1),
    lockMs: wholeNumber('--lock-seconds', o.lockSeconds, 2, 3600, 30) * 1000,
    ...(o.cacheDir && { cacheDir: o.cacheDir }),
  };
  let worker;
  try {
    worker = await startQueueWorker(options);
  } catch (e) {
    if (e instanceof QueueUrlError || (e as { code?: string }).code === 'QUEUE_UNREACHABLE') throw new CliError((e as Error).message);
    throw e;
  }
  await new Promise<void>((resolve) => {
    const release = onStopSignals(() => {
      release();
      process.stderr.write(`worker ${worker.name} stopping: its running runs go back to the queue\n`);
      void worker.close().finally(resolve);
    });
  });
}
