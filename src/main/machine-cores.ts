/**
 * The cores this process may use: the default worker count, the estimate's parallelism and a study's split all start
 * from it.
 */
import os from 'node:os';

export function machineCores(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}
