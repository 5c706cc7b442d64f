/**
 * settings:get: where data lives, what compute this machine offers and the versions in play.
 * Backend detection loads tfjs-core, so it happens on first request, not at start-up.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import type { Settings } from '../../shared/contract';
import { hostVersions } from '../runs/record-run';

const requireHere = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    return (requireHere(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'absent';
  }
}

export async function getSettings(dataDir: string, mode: Settings['mode']): Promise<Settings> {
  const { detectBackends, AUTO_ORDER } = await import('../engine/compute/backend');
  const backends = await detectBackends();
  const auto = AUTO_ORDER.find((name) => backends.some((b) => b.name === name && b.available)) ?? null;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const versions: Record<string, string> = {
    ...hostVersions(),
    node: process.versions.node,
    ...(process.versions.electron && { electron: process.versions.electron, chrome: process.versions.chrome ?? '' }),
    '@tensorflow/tfjs-core': versionOf('@tensorflow/tfjs-core'),
    '@tensorflow/tfjs-backend-wasm': versionOf('@tensorflow/tfjs-backend-wasm'),
    zod: versionOf('zod'),
  };
  return {
    dataDir,
    backends: backends.map((b) => ({ name: b.name, available: b.available, ...(b.reason && { reason: b.reason }) })),
    activeBackend: auto,
    defaultWorkers: cores,
    cores,
    versions,
    mode,
  };
}
