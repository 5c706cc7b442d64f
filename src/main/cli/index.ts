/** The `fedmem` command line: run experiments headless, list and show runs, export tables (commands: program.ts). */
import { oneLine } from '../../shared/one-line';
import { CliError } from '../process-exit';
import { createProgram } from './program';

export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    const err = e as Error & { code?: string; exitCode?: number };
    if (err.code?.startsWith('commander.')) {
      // commander already printed its message (help, version, or a usage error).
      return err.exitCode ?? 1;
    }
    process.stderr.write(`fedmem: ${oneLine(err.message)}\n`);
    if (program.opts<{ debug?: boolean }>().debug && err.stack) process.stderr.write(err.stack + '\n');
    return e instanceof CliError ? e.exitCode : 1;
  }
}
