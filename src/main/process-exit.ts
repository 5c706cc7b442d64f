/**
 * A command failure (the CLI and `fedmem web`): one sentence for stderr and the exit code; cli/index.ts prints it
 * without a stack trace unless --debug. Also the stop signals both honour.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The shell's code for a command stopped by Ctrl+C (128 + SIGINT). */
export const CANCELLED_EXIT = 130;

/**
 * Calls `stop` on the first SIGINT or SIGTERM (Ctrl+C, `kill`, a service manager) while a command
 * works; returns the function that removes the handlers. A second signal is left to the handler too:
 * the engine's grace period (engine-handle.ts) bounds how long stopping can take.
 */
export function onStopSignals(stop: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals) => stop(signal);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
