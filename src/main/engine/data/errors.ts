/**
 * Errors the data layer throws. Each carries a stable `code` so the engine can forward it across the
 * IPC bridge as `{ code, message }`, and a message that says in one sentence what is wrong and where.
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

/** A dataset setting cannot be honoured (missing path, size larger than the data, ...). `field` is the config path. */
export class DatasetConfigError extends Error {
  readonly code = 'DATASET_CONFIG' as const;
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'DatasetConfigError';
  }
}

/** A partition or label-noise request that the data cannot satisfy. */
export class PartitionError extends Error {
  readonly code = 'PARTITION' as const;
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'PartitionError';
  }
}
