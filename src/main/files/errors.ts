/**
 * Errors the store raises. Each carries a stable `code` so the IPC layer can forward it as
 * `{ ok: false, error: { code, message } }` without parsing messages.
 */
export type StoreErrorCode =
  | 'STORE_SCHEMA_TOO_NEW'
  | 'STORE_MIGRATION_FAILED'
  | 'STORE_NOT_FOUND'
  | 'STORE_CORRUPT_ROW'
  | 'STORE_INVALID_INPUT'
  | 'STORE_NOT_A_DATABASE'
  | 'STORE_CANNOT_OPEN'
  | 'STORE_READ_ONLY'
  | 'STORE_IO'
  | 'RUN_OWNED_ELSEWHERE'
  | 'RUN_NOT_RESUMABLE'
  | 'WEIGHTS_FILE_MISSING'
  | 'WEIGHTS_FILE_INVALID'
  | 'WEIGHTS_FILE_HASH_MISMATCH';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** A weights file that cannot be trusted; the message always names the file and the problem. */
export class WeightsFileError extends StoreError {
  readonly file: string;
  readonly problem: string;
  constructor(code: StoreErrorCode, file: string, problem: string, options?: { cause?: unknown }) {
    super(code, `weights file ${file}: ${problem}`, options);
    this.name = 'WeightsFileError';
    this.file = file;
    this.problem = problem;
  }
}
