/**
 * settings:get: where data lives, what compute this machine offers and the versions in play.
 * Backend detection loads tfjs, so the engine's query process does it (queries.ts) and passes it in.
 */
import { machineCores } from '../machine-cores';
import type { Settings } from '../../shared/contract';
import type { BackendsAnswer } from '../../shared/events';
import { hostVersions } from '../runs/record-run';
import { installedVersion } from '../package-version';

export function getSettings(
  dataDir: string,
  mode: Settings['mode'],
  { backends, auto }: BackendsAnswer,
): Omit<Settings, 'queue'> {
  const cores = machineCores();
  const versions: Record<string, string> = {
    ...hostVersions(),
    node: process.versions.node,
    ...(process.versions.electron && { electron: process.versions.electron, chrome: process.versions.chrome ?? '' }),
    '@tensorflow/tfjs-core': installedVersion('@tensorflow/tfjs-core'),
    '@tensorflow/tfjs-backend-wasm': installedVersion('@tensorflow/tfjs-backend-wasm'),
    zod: installedVersion('zod'),
  };
  return {
    dataDir,
    backends,
    activeBackend: auto,
    defaultWorkers: cores,
    cores,
    versions,
    mode,
  };
}
