/**
 * The cores this process may use: the default worker count, the estimate's parallelism and a study's split all start
 * from it. Also this machine's facts that key the `auto` backend probe's cache (shared/backend-probe.ts).
 */
import os from 'node:os';
import type { MachineFacts } from '../shared/backend-probe';

export function machineCores(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** What identifies this machine for the backend probe's cache: a probe measured elsewhere says nothing here. */
export function thisMachine(): MachineFacts {
  return {
    cpuModel: os.cpus()[0]?.model ?? '',
    cores: machineCores(),
    platform: process.platform,
    arch: process.arch,
    totalMemoryBytes: os.totalmem(),
  };
}
