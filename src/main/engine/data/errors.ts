/**
 * Errors the data layer throws. Each carries a stable `code` so the engine can forward it across the
 * IPC bridge as `{ code, message }`, and a message that says in one sentence what is wrong and where.
 */
export { DatasetError } from '../../dataset-files/dataset-error';

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
