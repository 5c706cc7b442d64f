/**
 * `fedmem worker`: runs study runs from a Redis queue on this machine until stopped (queue/worker.ts),
 * the queue given by FEDMEM_QUEUE_URL, --queue-file or --queue (queue-source.ts). Ctrl-C stops the
 * engines; their runs go back to the queue for another worker.
 */
import { QueueUrlError } from '../../shared/queue-url';
import { startQueueWorker } from '../queue/worker';
import { CliError, onStopSignals } from '../process-exit';
import { numberFlag } from './numbers';
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
    if (at <= 0 || at === f.length - 1)
      throw new CliError(
        `--data-path "${f}" must be NAME=DIR (the dataset folder's name on the coordinator, and where it is here)`,
      );
    out.set(f.slice(0, at), f.slice(at + 1));
  }
  return out;
}

export async function workerCommand(o: WorkerFlags): Promise<void> {
  const options = {
    url: requireQueueUrl(o),
    dataPaths: parseDataPaths(o.dataPath),
    concurrency: numberFlag('--concurrency', o.concurrency, { min: 1, max: 64 }, 1),
    lockMs: numberFlag('--lock-seconds', o.lockSeconds, { min: 2, max: 3600 }, 30) * 1000,
    ...(o.cacheDir && { cacheDir: o.cacheDir }),
  };
  let worker;
  try {
    worker = await startQueueWorker(options);
  } catch (e) {
    if (e instanceof QueueUrlError || (e as { code?: string }).code === 'QUEUE_UNREACHABLE')
      throw new CliError((e as Error).message);
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
