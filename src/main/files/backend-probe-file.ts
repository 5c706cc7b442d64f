/**
 * The `auto` backend probe's cache file in the data folder (shared/backend-probe.ts says what it holds): read by the
 * engine before a run and by the doctor, written by the engine after a probe, owner-only and atomically like every
 * file beside the database. This machine's facts for its key come from the caller (machine-cores.ts' thisMachine,
 * package-version.ts' tfjsNodeVersion).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  emptyProbeCache,
  machineKey,
  parseProbeCache,
  PROBE_CACHE_FILE,
  probeReport,
  type MachineFacts,
  type ParsedProbeCache,
  type ProbeCache,
  type ProbeReport,
} from '../../shared/backend-probe';
import { writeFileAtomically } from './atomic-file';

/** A cache file larger than this is not read (it holds at most MAX_PROBE_ENTRIES short entries). */
const MAX_BYTES = 1 << 20;

export const probeCacheFileIn = (dataDir: string): string => path.join(dataDir, PROBE_CACHE_FILE);

/** The cache as on disk; a missing file is an empty cache, an unreadable or malformed one an empty cache and why. */
export function readProbeCache(file: string): ParsedProbeCache {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_BYTES) return { cache: emptyProbeCache(), problems: [`larger than ${MAX_BYTES} bytes`] };
    return parseProbeCache(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { cache: emptyProbeCache(), problems: [] };
    return { cache: emptyProbeCache(), problems: [`could not be read (${(err as Error).message})`] };
  }
}

/** Replaces the file (0600, atomically). */
export function writeProbeCache(file: string, cache: ProbeCache): void {
  writeFileAtomically(file, [Buffer.from(JSON.stringify(cache, null, 2) + '\n')]);
}

/** What the doctor shows of the cache in `dataDir` for `machine` with this tfjs-node version (or none). */
export function probeReportIn(dataDir: string, machine: MachineFacts, tfjsNode: string | null): ProbeReport {
  const file = probeCacheFileIn(dataDir);
  return probeReport(file, readProbeCache(file), machineKey(machine), tfjsNode);
}
