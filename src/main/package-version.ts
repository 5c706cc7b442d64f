/** The installed version of a dependency, as recorded with every run ('absent' when not installed). */
import { createRequire } from 'node:module';

export function installedVersion(name: string): string {
  // Created per call and not named `require`: the bundler injects its own `require` into main's chunks.
  const load = createRequire(import.meta.url);
  try {
    return (load(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'absent';
  }
}
