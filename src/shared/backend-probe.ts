/**
 * `compute.backend: "auto"` between the native CPU backend (tensorflow, @tensorflow/tfjs-node) and wasm: which one
 * trains the run's model faster is measured once per machine and model (engine/compute/backend-probe.ts) and kept in
 * a cache file in the data folder. This module is the pure part: the cache entry, the machine key, the choice rule,
 * the lookup and the validation of a cache file read from disk.
 *
 * The choice rule: the fastest backend wins, except that one at most TIE_MARGIN (5%) slower than the fastest ties
 * with it, and among tied backends the one earlier in AUTO_BACKEND_ORDER wins (tensorflow before wasm): a 2-second
 * probe does not tell 5% apart reliably, and the earlier backend is the one `auto` took before probes existed.
 */
import { z } from 'zod';
import { AUTO_BACKEND_ORDER, type ComputeBackend } from './compute-doctor';
import { reservedKeyProblem } from './reserved-keys';

/** The cache's name in the data folder. */
export const PROBE_CACHE_FILE = 'backend-probes.json';
/** What `auto` compares in production; the engine's tests pass other candidates (tfjs-node is absent on CI). */
export const PROBE_CANDIDATES: readonly ComputeBackend[] = ['tensorflow', 'wasm'];
/** A backend at most this much slower than the fastest ties with it (see the rule above). */
export const TIE_MARGIN = 0.05;
/** Entries kept in the file; the oldest go first. */
export const MAX_PROBE_ENTRIES = 100;

/** What identifies a machine for the probe: passed in (engine: node:os), so machineKey stays pure. */
export interface MachineFacts {
  cpuModel: string;
  cores: number;
  platform: string;
  arch: string;
  totalMemoryBytes: number;
}

/** "linux-x64, AMD EPYC 7B13, 2 cores, 8 GiB": memory rounded to whole GiB, so a reading's jitter keeps the key. */
export function machineKey(m: MachineFacts): string {
  const cpu = m.cpuModel.replace(/\s+/g, ' ').trim() || 'unknown CPU';
  const gib = Math.max(1, Math.round(m.totalMemoryBytes / 2 ** 30));
  return `${m.platform}-${m.arch}, ${cpu}, ${m.cores} core${m.cores === 1 ? '' : 's'}, ${gib} GiB`;
}

/** One backend's measured training speed. */
export interface ProbeFigure {
  backend: ComputeBackend;
  samplesPerSecond: number;
  /** Worker threads that trained (wasm, cpu: one core each); 1 for in-process backends, which thread inside. */
  workers: number;
}

/** What was measured: the run's model at its input shape, batch size and requested worker count (0 = per core). */
export interface ProbeSubject {
  modelId: string;
  inputShape: [number, number, number];
  numClasses: number;
  batchSize: number;
  workers: number;
}

export interface ProbeEntry extends ProbeSubject {
  machineKey: string;
  figures: ProbeFigure[];
  chosen: ComputeBackend;
  /** ISO time of the measurement. */
  measuredAt: string;
  /** @tensorflow/tfjs-node's version (null: not installed) and tfjs-core's: a new libtensorflow may change speed. */
  versions: { tfjsNode: string | null; tfjsCore: string };
}

export interface ProbeCache {
  version: 1;
  entries: ProbeEntry[];
}

export const emptyProbeCache = (): ProbeCache => ({ version: 1, entries: [] });

const rank = (b: ComputeBackend) => AUTO_BACKEND_ORDER.indexOf(b);

/** The backend to use by the rule above; figures that are not a positive speed are ignored; null when none is. */
export function choose(figures: readonly ProbeFigure[], margin = TIE_MARGIN): ComputeBackend | null {
  const usable = figures.filter((f) => Number.isFinite(f.samplesPerSecond) && f.samplesPerSecond > 0);
  if (usable.length === 0) return null;
  const best = Math.max(...usable.map((f) => f.samplesPerSecond));
  const tied = usable.filter((f) => f.samplesPerSecond * (1 + margin) >= best);
  return tied.reduce((a, b) => (rank(b.backend) < rank(a.backend) ? b : a)).backend;
}

export interface ProbeLookup {
  machineKey: string;
  subject: ProbeSubject;
  /** The backends compared: an entry counts only if it measured exactly these. */
  candidates: readonly ComputeBackend[];
  tfjsNode: string | null;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

/** Whether `e` answers `q`: same machine, model, shape, classes, batch, workers, candidates and tfjs-node version. */
export function entryMatches(e: ProbeEntry, q: ProbeLookup): boolean {
  const s = q.subject;
  return (
    e.machineKey === q.machineKey &&
    e.versions.tfjsNode === q.tfjsNode &&
    e.modelId === s.modelId &&
    e.inputShape.every((d, i) => d === s.inputShape[i]) &&
    e.numClasses === s.numClasses &&
    e.batchSize === s.batchSize &&
    e.workers === s.workers &&
    sameSet(
      e.figures.map((f) => f.backend),
      q.candidates,
    ) &&
    q.candidates.includes(e.chosen)
  );
}

/** The newest entry that answers `q`, or null (entries of another machine or tfjs-node version never do). */
export function findProbe(cache: ProbeCache, q: ProbeLookup): ProbeEntry | null {
  const hits = cache.entries.filter((e) => entryMatches(e, q));
  return hits.reduce<ProbeEntry | null>((a, b) => (a == null || b.measuredAt >= a.measuredAt ? b : a), null);
}

/** `cache` with `entry` in place of any entry for the same question, newest last, at most `max` kept. */
export function withProbe(cache: ProbeCache, entry: ProbeEntry, max = MAX_PROBE_ENTRIES): ProbeCache {
  const q: ProbeLookup = {
    machineKey: entry.machineKey,
    subject: entry,
    candidates: entry.figures.map((f) => f.backend),
    tfjsNode: entry.versions.tfjsNode,
  };
  const kept = cache.entries.filter((e) => !entryMatches(e, q));
  return { version: 1, entries: [...kept, entry].slice(-max) };
}

const backendSchema = z.enum(AUTO_BACKEND_ORDER as unknown as [ComputeBackend, ...ComputeBackend[]]);
const dim = z.number().int().min(1).max(100_000);
const text = z.string().max(1000);

const entrySchema = z.strictObject({
  machineKey: text,
  modelId: z.string().max(100),
  inputShape: z.tuple([dim, dim, dim]),
  numClasses: dim,
  batchSize: dim,
  workers: z.number().int().min(0).max(1024),
  figures: z
    .array(
      z.strictObject({
        backend: backendSchema,
        samplesPerSecond: z.number().nonnegative(),
        workers: z.number().int().min(1).max(1024),
      }),
    )
    .min(1)
    .max(AUTO_BACKEND_ORDER.length),
  chosen: backendSchema,
  measuredAt: text.refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date and time'),
  versions: z.strictObject({ tfjsNode: text.nullable(), tfjsCore: text }),
}) satisfies z.ZodType<ProbeEntry>;

const fileSchema = z.strictObject({ version: z.literal(1), entries: z.array(z.unknown()) });

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the file';
  return `${where}: ${issue.message}`;
}

export interface ParsedProbeCache {
  cache: ProbeCache;
  /** Why the file or some of its entries were ignored, one sentence each; [] when all was read. */
  problems: string[];
}

/**
 * A cache file's text as read from disk. Never throws: a file that is not JSON, holds a reserved key (`__proto__`,
 * ...) anywhere, or is not a version-1 cache is ignored as a whole; a malformed entry is dropped by itself. Every
 * ignored part comes back with its reason.
 */
export function parseProbeCache(raw: string): ParsedProbeCache {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { cache: emptyProbeCache(), problems: [`not JSON (${(err as Error).message})`] };
  }
  const reserved = reservedKeyProblem(json);
  if (reserved != null) return { cache: emptyProbeCache(), problems: [reserved] };
  const file = fileSchema.safeParse(json);
  if (!file.success) return { cache: emptyProbeCache(), problems: [`not a probe cache (${issueText(file.error)})`] };
  const entries: ProbeEntry[] = [];
  const problems: string[] = [];
  file.data.entries.forEach((e, i) => {
    const r = entrySchema.safeParse(e);
    if (r.success) entries.push(r.data);
    else problems.push(`entry ${i} ignored (${issueText(r.error)})`);
  });
  return { cache: { version: 1, entries }, problems };
}

/** What `fedmem doctor` and the Compute panel show of the cache: this machine's entries, newest first. */
export interface ProbeReport {
  file: string;
  machineKey: string;
  /** @tensorflow/tfjs-node's version here, or null when it is not installed. */
  tfjsNode: string | null;
  entries: ProbeEntry[];
  /** Entries of other machines (a data folder shared between machines) or of another tfjs-node version. */
  otherEntries: number;
  problems: string[];
}

export function probeReport(file: string, parsed: ParsedProbeCache, key: string, tfjsNode: string | null): ProbeReport {
  const mine = (e: ProbeEntry) => e.machineKey === key && e.versions.tfjsNode === tfjsNode;
  const entries = parsed.cache.entries.filter(mine).sort((a, b) => b.measuredAt.localeCompare(a.measuredAt));
  return {
    file,
    machineKey: key,
    tfjsNode,
    entries,
    otherEntries: parsed.cache.entries.length - entries.length,
    problems: parsed.problems,
  };
}
