/**
 * Model weights as files beside the database: `<dataDir>/weights/<runId>/<name>.fmw`.
 *
 * Format FMW1 (all integers little-endian):
 *   bytes 0..3   ASCII 'FMW1'
 *   bytes 4..7   uint32 H, the byte length of the header that follows
 *   bytes 8..    H bytes of UTF-8 JSON {"tensors":[{"name":string,"shape":number[]}, ...]}, padded with
 *                spaces so the data starts at a multiple of 4
 *   then         each tensor's float32 values, little-endian, row-major, in header order, back to back
 * The file size must be exactly 8 + H + 4 * sum(product(shape)). Files are written to a temp name in the
 * same folder, fsynced, then renamed, so a crash never leaves a half-written file under the real name.
 * The codec itself lives in fmw-codec.ts (no store code), which the engine's history writer shares.
 */
import path from 'node:path';
import type { Store } from './db';
import { StoreError } from '../files/errors';
import { WEIGHTS_EXT, readWeights, writeWeightsFile, type WeightTensor } from '../files/fmw-codec';
import { WEIGHTS_DIR, resolveInDataDir, safeFileName, weightsDirFor } from './paths';
import type { Artifact } from './types';

export {
  WEIGHTS_EXT,
  WEIGHTS_MAGIC,
  fmwFileBytes,
  readWeights,
  writeWeightsFile,
  type WeightTensor,
} from '../files/fmw-codec';

export interface WrittenWeights {
  /** Relative to the data dir, '/'-separated (what the artifacts row stores). */
  relPath: string;
  absPath: string;
  sha256: string;
  bytes: number;
}

/** Pairs the engine's Float32Array[] with its ParamSpecs (same order). */
export function toWeightTensors(
  specs: readonly { name: string; shape: number[] }[],
  weights: readonly Float32Array[],
): WeightTensor[] {
  if (specs.length !== weights.length) {
    throw new StoreError('STORE_INVALID_INPUT', `${weights.length} weight arrays for ${specs.length} parameter specs`);
  }
  return specs.map((s, i) => ({ name: s.name, shape: [...s.shape], data: weights[i] }));
}

/** Writes `<dataDir>/weights/<runId>/<name>.fmw`. */
export function writeWeights(
  dataDir: string,
  runId: string,
  name: string,
  tensors: readonly WeightTensor[],
): WrittenWeights {
  const fileName = safeFileName(name) + WEIGHTS_EXT;
  const relPath = [WEIGHTS_DIR, safeFileName(runId), fileName].join('/');
  const absPath = path.join(weightsDirFor(dataDir, runId), fileName);
  return { relPath, absPath, ...writeWeightsFile(absPath, tensors) };
}

/** Writes the weights file and records it as artifact (runId, 'weights', name). */
export function saveWeightsArtifact(
  store: Store,
  runId: string,
  name: string,
  tensors: readonly WeightTensor[],
): Artifact {
  store.runs.require(runId); // fail before writing a file no row would own
  const w = writeWeights(store.dataDir, runId, name, tensors);
  return store.artifacts.put({ runId, kind: 'weights', name, path: w.relPath, sha256: w.sha256, bytes: w.bytes });
}

/** Loads a weights artifact, verifying the file against the sha256 recorded when it was saved. */
export function loadWeightsArtifact(store: Store, runId: string, name: string): WeightTensor[] {
  const a = store.artifacts.get(runId, 'weights', name);
  if (!a || a.path === null) throw new StoreError('STORE_NOT_FOUND', `run ${runId} has no weights named ${name}`);
  const abs = resolveInDataDir(store.dataDir, a.path);
  if (!abs) throw new StoreError('STORE_CORRUPT_ROW', `artifact ${a.id} has a path outside the data dir: ${a.path}`);
  return readWeights(abs, a.sha256);
}
