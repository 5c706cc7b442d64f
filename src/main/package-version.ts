/** The installed version of a dependency, as recorded with every run ('absent' when not installed). */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function installedVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'absent';
  }
}
