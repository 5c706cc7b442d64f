/**
 * The error a dataset file raises when it is missing, malformed or inconsistent. It lives below the
 * engine so main's checks (dataset-facts.ts) and the engine's readers throw the same class.
 */
import { basename } from 'node:path';

/** A dataset file is missing, malformed or inconsistent. `file` is the full path; the message starts with its name. */
export class DatasetError extends Error {
  readonly code = 'DATASET' as const;
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${basename(file) || file}: ${problem}`);
    this.name = 'DatasetError';
  }
}
