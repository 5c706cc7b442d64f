/**
 * The CLI's read commands (list, show, export) go through the same handlers and validation as IPC
 * and HTTP: one implementation of each channel. The store is opened without recovering interrupted
 * runs, so reading never marks a run that another process is training as interrupted; a command that only
 * reads also works on a database this user cannot write (opened read-only). `writes` for those that change it.
 */
import type { Channel, InputOf, OutputOf } from '../../shared/contract';
import { createAppServices } from '../services/handlers';
import { resolveDataDir } from '../store';
import { CliError } from '../process-exit';
import type { GlobalOptions } from './global-options';

export type Call = <C extends Channel>(channel: C, input: InputOf<C>) => Promise<OutputOf<C>>;

export async function withApi<T>(
  opts: GlobalOptions,
  fn: (call: Call) => Promise<T> | T,
  { writes = false } = {},
): Promise<T> {
  const services = createAppServices({
    dataDir: resolveDataDir({ flag: opts.dataDir, env: process.env }),
    mode: 'cli',
    push: () => undefined,
    recoverInterrupted: false,
    onlyReads: !writes,
    runStudies: false,
  });
  const call: Call = async (channel, input) => {
    const result = await services.dispatch(channel, input);
    if (!result.ok) throw new CliError(result.error.message);
    return result.data as OutputOf<typeof channel>;
  };
  try {
    return await fn(call);
  } finally {
    await services.shutdown(0);
  }
}
