/** Installed dependencies: where a package sits and its version, as recorded with every run and shown by the doctor. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { NATIVE_PACKAGES } from '../shared/compute-doctor';

export interface InstalledPackage {
  dir: string;
  version: string | undefined;
}

/** The package's folder and version, or undefined when it is not installed. */
export function installedPackage(name: string): InstalledPackage | undefined {
  // Created per call and not named `require`: the bundler injects its own `require` into main's chunks.
  const load = createRequire(import.meta.url);
  try {
    const file = load.resolve(`${name}/package.json`);
    return { dir: path.dirname(file), version: (load(file) as { version?: string }).version };
  } catch {
    return undefined;
  }
}

/** The installed version of a dependency ('absent' when not installed). */
export function installedVersion(name: string): string {
  return installedPackage(name)?.version ?? 'absent';
}

/** @tensorflow/tfjs-node's installed version, or null (part of the backend probe cache's key). */
export const tfjsNodeVersion = (): string | null => installedPackage(NATIVE_PACKAGES.tensorflow)?.version ?? null;
