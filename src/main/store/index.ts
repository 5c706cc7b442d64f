/** The store's public surface: import from here. */
export { openDatabase, type OpenDatabaseOptions, type Store } from './db';
export { resolveDataDir, resolveDataDirWithSource, platformDefaultDataDir } from './data-dir';
export type { DataDirSource, ResolveDataDirOptions, ResolvedDataDir } from './data-dir';
export { StoreError, WeightsFileError, type StoreErrorCode } from '../files/errors';
export { MIGRATIONS, LATEST_SCHEMA_VERSION, type Migration } from './migrations';
export { DB_FILE_NAME } from './paths';
export * from './types';
export type { ExperimentsRepo, CreateExperimentInput, ListExperimentsFilter } from './experiments-repo';
export type { RunsRepo, CreateRunInput, ListRunsFilter } from './runs-repo';
export type { MetricsRepo, RoundMetricInput, ClientMetricInput } from './metrics-repo';
export type { ArtifactsRepo, PutArtifactInput } from './artifacts-repo';
export type { EventsRepo, ListEventsFilter } from './events-repo';
export type { StudiesRepo, StoredStudy, StoredStudyItem, NewStudyItem } from './studies-repo';
export type { QueueAttemptsRepo, QueueAttempt } from './queue-attempts-repo';
export {
  readWeights,
  writeWeights,
  writeWeightsFile,
  saveWeightsArtifact,
  loadWeightsArtifact,
  toWeightTensors,
  WEIGHTS_MAGIC,
  WEIGHTS_EXT,
  type WeightTensor,
  type WrittenWeights,
} from './weights-file';
