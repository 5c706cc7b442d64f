/** A CLI failure: one sentence for stderr and the exit code; index.ts prints it without a stack trace unless --debug. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}
