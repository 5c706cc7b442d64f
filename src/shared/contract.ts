/**
 * The one IPC contract between the renderer and main (declared once; nothing else lists the API): every call is
 * `domain:verb` with a
 * zod schema for its payload (validated by main's handlers, the same schemas the CLI uses) and a
 * phantom output type. The preload (Electron) and the HTTP/WebSocket client (browser mode) are both
 * built from this object by `createApi` (./api.ts), so the API is never declared twice.
 *
 * Every call resolves to an ApiResult: `{ ok: true, data }` or `{ ok: false, error: { code, message,
 * issues? } }`; nothing throws across the bridge (contextBridge would strip an Error's fields).
 */
import { z } from 'zod';
import type { ConfigIssue, ExperimentConfigInput } from './config';
import { RUN_STATUSES, type RunStatus } from './catalog';
import { latexOptionsSchema } from './latex-options';
import type { EngineEvent } from './events';
import { EXPORT_FORMATS, RUN_TABLE_NAMES, type RunTableName } from './data-table';
import type { RunSummary } from './results';
import type { CancelOutcome } from './run-cancel';
import { metricConditionSchema } from './run-metrics';
import type { StudyDetail, StudyEstimate, StudyListItem } from './study-types';
import { studyConcurrencySchema } from './study-concurrency';
import type { StudyTable } from './study-table';
import type { ComputeReport } from './compute-doctor';

const out = <T>() => undefined as unknown as T;
const id = z.strictObject({ id: z.string().min(1, 'must not be empty') });
const none = z.undefined().optional();
/** A run tag: short, no spaces, so it reads as a chip and filters exactly. */
export const RUN_TAG_MAX = 40;
export const RUN_TAGS_MAX = 20;
export const RUN_NAME_MAX = 200;
export const RUN_NOTE_MAX = 2000;
export const runTag = z
  .string()
  .min(1, 'must not be empty')
  .max(RUN_TAG_MAX, `must be at most ${RUN_TAG_MAX} characters`)
  .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, - and _');
const concurrency = studyConcurrencySchema;

export interface RunListItem {
  id: string;
  name: string;
  status: RunStatus;
  createdAt: string;
  durationMs: number | null;
  dataset: string;
  model: string;
  /** Method labels of the unlearning section, in config order (empty for training-only runs). */
  methods: string[];
  seed: number | null;
  backend: string | null;
  phase: string | null;
  error: string | null;
  summary: RunSummary | null;
  /**
   * True while this process is running it (a cancel stops it at once; one another process runs is asked, runs:cancel).
   */
  active: boolean;
  /** The study this run is one run of, if any. */
  studyId: string | null;
  /** The user's note, or null. */
  note: string | null;
  /** The user's tags, sorted. */
  tags: string[];
}

export interface RunDetail extends RunListItem {
  config: unknown;
  versions: Record<string, string>;
  startedAt: string | null;
  endedAt: string | null;
  rounds: {
    stage: string;
    round: number;
    testAccuracy: number | null;
    testLoss: number | null;
    trainLoss: number | null;
    elapsedMs: number | null;
  }[];
  /** Inline JSON artifacts by `${kind}/${name}` (report, examples, importance, time, loss-surface, csl, partition). */
  artifacts: Record<string, unknown>;
  /** File artifacts (weights): where they are, never their bytes. */
  files: { kind: string; name: string; path: string | null; sha256: string | null; bytes: number }[];
  events: { seq: number; at: string; type: string; data: unknown }[];
}

export interface CatalogEntry {
  id: string;
  name: string;
  description: string;
}

export interface Catalog {
  datasets: (CatalogEntry & { needsPath: boolean })[];
  models: (CatalogEntry & { suitableFor: string[] })[];
  methods: CatalogEntry[];
  selections: CatalogEntry[];
  presets: { name: string; config: ExperimentConfigInput }[];
}

export interface Settings {
  dataDir: string;
  backends: { name: string; available: boolean; reason?: string }[];
  /**
   * What `compute.backend: "auto"` would pick now: the first available in tensorflow-gpu > webgpu (hardware adapter)
   * > tensorflow > wasm > cpu.
   */
  activeBackend: string | null;
  /** Worker threads `compute.workers: 0` means here (one per core). */
  defaultWorkers: number;
  cores: number;
  versions: Record<string, string>;
  /** Which front end asks: the desktop app, browser mode, or the `fedmem` command. */
  mode: 'electron' | 'browser' | 'cli';
  /** Where studies run: here, or on a Redis queue by `fedmem worker` processes. */
  queue: QueueStatus;
}

/**
 * The study queue in use (issue 16). `url` is always redacted (shared/queue-url.ts): the password
 * goes to Redis and to the queue setting's own file, never to the UI, the database or a log.
 */
export type QueueStatus =
  | { kind: 'local' }
  | { kind: 'redis'; url: string; state: 'connecting' | 'connected' | 'unreachable'; message: string | null };

/** A rough run-time estimate; see src/main/runs/estimate.ts for the model. */
export interface RunEstimate {
  seconds: number;
  /** Training examples processed over the whole run (every stage, every repeat). */
  trainingSamples: number;
  /** Assumed training throughput of one worker thread for this model (wasm backend). */
  samplesPerSecond: number;
  workers: number;
  /**
   * Disk the original training's recorded history will take (FedRecovery / FedEraser, or
   * training.recordHistory), in bytes; 0 when none is recorded. Kept with the run, deleted with it.
   */
  historyBytes: number;
  /** Seconds of `seconds` the analyses take (evaluation.analyses); absent from older main processes. */
  analysesSeconds?: number;
  /** One sentence on what the number does and does not include. */
  basis: string;
}

export interface PartitionPreview {
  /** classCounts[client][class]: what the run's 'partition' artifact will hold. */
  classCounts: number[][];
  sizes: number[];
  numClasses: number;
  trainSize: number;
}

export const contract = {
  'runs:list': {
    input: z
      .strictObject({
        status: z.enum(RUN_STATUSES).optional(),
        /** Words that must all appear in the name, note, tags, settings summary or config (shared/run-filter.ts). */
        search: z.string().max(200, 'must be at most 200 characters').optional(),
        limit: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(10000, 'must be at most 10000')
          .optional(),
        /** Only runs carrying this tag. */
        tag: runTag.optional(),
        /** Only runs on this dataset (its id). */
        dataset: z.string().max(100, 'must be at most 100 characters').optional(),
        /** Only runs that include this method (its id or label). */
        method: z.string().max(100, 'must be at most 100 characters').optional(),
        /** Only runs whose summary meets every condition (shared/run-metrics.ts); a run missing the metric does not. */
        conditions: z.array(metricConditionSchema).max(20, 'must list at most 20 conditions').optional(),
      })
      .default({}),
    output: out<RunListItem[]>(),
  },
  'runs:get': { input: id, output: out<RunDetail>() },
  /** Validates the config with the experiment schema; starts the engine process; returns at once. */
  'runs:start': { input: z.strictObject({ config: z.unknown() }), output: out<{ runId: string }>() },
  /**
   * Continues a stopped run (interrupted, cancelled or failed; not a study's) with its stored config,
   * from its checkpoint; it ends with the numbers an uninterrupted run would have. RUN_NOT_RESUMABLE otherwise.
   */
  'runs:resume': { input: id, output: out<{ runId: string }>() },
  /**
   * Stops a run; it ends 'cancelled' (keeping its recorded rounds) shortly after. Run by another process on
   * this machine: that process is asked and stops it at its next heartbeat (shared/run-cancel.ts).
   * RUN_NOT_CANCELLABLE, in one sentence, where no request can reach its recorder (another machine).
   */
  'runs:cancel': { input: id, output: out<CancelOutcome>() },
  /**
   * Removes the run's rows and files; refused while it runs (RUN_ACTIVE here, RUN_OWNED_ELSEWHERE in another live
   * process).
   */
  'runs:delete': { input: id, output: out<{ deleted: boolean }>() },
  'runs:tables': { input: id, output: out<RunTableName[]>() },
  /** A new display name (trimmed, 1-200 characters); the run's id, config and files are unchanged. */
  'runs:rename': {
    input: z.strictObject({
      id: z.string().min(1, 'must not be empty'),
      name: z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(RUN_NAME_MAX, `must be at most ${RUN_NAME_MAX} characters`),
    }),
    output: out<RunListItem>(),
  },
  /** `note`: omitted leaves it, null or "" clears it. `tags`: omitted leaves them, otherwise replaces them. */
  'runs:annotate': {
    input: z.strictObject({
      id: z.string().min(1, 'must not be empty'),
      note: z.string().max(RUN_NOTE_MAX, `must be at most ${RUN_NOTE_MAX} characters`).nullable().optional(),
      tags: z.array(runTag).max(RUN_TAGS_MAX, `must list at most ${RUN_TAGS_MAX} tags`).optional(),
    }),
    output: out<RunListItem>(),
  },
  'runs:export': {
    /** `latex`: the author's choices for LaTeX (defaults fit a two-column paper); ignored for CSV and JSON. */
    input: z.strictObject({
      id: z.string().min(1, 'must not be empty'),
      format: z.enum(EXPORT_FORMATS),
      table: z.enum(RUN_TABLE_NAMES, { error: `must be one of ${RUN_TABLE_NAMES.join(', ')}` }).optional(),
      latex: latexOptionsSchema.optional(),
    }),
    output: out<{ fileName: string; text: string }>(),
  },
  'config:validate': {
    input: z.strictObject({ config: z.unknown() }),
    output: out<{ ok: boolean; issues: ConfigIssue[]; estimateSeconds: number | null; estimate: RunEstimate | null }>(),
  },
  'catalog:get': { input: none, output: out<Catalog>() },
  /** The real partitioner on the dataset's labels with the config's seed: equals what the run will use. */
  'partition:preview': { input: z.strictObject({ config: z.unknown() }), output: out<PartitionPreview>() },
  'settings:get': { input: none, output: out<Settings>() },
  /**
   * Runs studies on a Redis queue (`redis://[:password@]host:port[/db]` or `rediss://`), or here again
   * (null). Refused in one sentence (INVALID_QUEUE_URL, QUEUE_UNREACHABLE) with the queue unchanged.
   */
  'settings:setQueue': {
    input: z.strictObject({ url: z.string().max(2000, 'must be at most 2000 characters').nullable() }),
    output: out<QueueStatus>(),
  },
  /**
   * Which compute backends load here and why the native ones do not (with the steps that fix it),
   * and a matrix-product benchmark of `benchmarkSeconds` on each that loads (0 skips it). Runs in a
   * fresh engine process, so it sees packages installed since the app started.
   */
  'compute:doctor': {
    input: z
      .strictObject({
        benchmarkSeconds: z.number().min(0, 'must be at least 0').max(10, 'must be at most 10').default(1),
      })
      .default({ benchmarkSeconds: 1 }),
    output: out<ComputeReport>(),
  },
  /** Desktop only: a native folder picker (dataset import); null when cancelled or in browser mode. */
  'dialog:pickFolder': { input: none, output: out<string | null>() },

  /** Expands and validates a study definition (every problem names its cell, field and rule) and estimates it. */
  'studies:validate': {
    input: z.strictObject({ study: z.unknown() }),
    output: out<{ ok: boolean; issues: ConfigIssue[]; estimate: StudyEstimate | null }>(),
  },
  /**
   * Stores the study and queues its runs (paused when `start` is false); refused (INVALID_STUDY) if any run's config is
   * invalid.
   */
  'studies:create': {
    input: z.strictObject({
      study: z.unknown(),
      start: z.boolean().default(true),
      concurrency: concurrency.default(1),
    }),
    output: out<{ id: string }>(),
  },
  'studies:list': { input: none, output: out<StudyListItem[]>() },
  'studies:get': { input: id, output: out<StudyDetail & { estimate: StudyEstimate }>() },
  /** More values or seeds with the same base: only the missing runs are queued. */
  'studies:extend': {
    input: z.strictObject({ id: z.string().min(1, 'must not be empty'), study: z.unknown() }),
    output: out<{ added: number }>(),
  },
  'studies:duplicate': {
    input: z.strictObject({
      id: z.string().min(1, 'must not be empty'),
      name: z.string().max(200, 'must be at most 200 characters').optional(),
    }),
    output: out<{ id: string }>(),
  },
  /** Starts nothing new; a running run finishes. */
  'studies:pause': { input: id, output: out<{ ok: true }>() },
  /** Active again: cancelled and failed runs are queued again, done ones are kept. */
  'studies:resume': { input: id, output: out<{ requeued: number }>() },
  /** Stops the running run now (it ends cancelled, keeping what it recorded) and cancels the queued ones. */
  'studies:cancel': { input: id, output: out<{ cancelled: number }>() },
  /** Queue order: these item keys first, in this order. */
  'studies:reorder': {
    input: z.strictObject({
      id: z.string().min(1, 'must not be empty'),
      keys: z.array(z.string()).max(10000, 'must list at most 10000 items'),
    }),
    output: out<{ ok: true }>(),
  },
  'studies:configure': {
    input: z.strictObject({ id: z.string().min(1, 'must not be empty'), concurrency }),
    output: out<{ ok: true }>(),
  },
  /**
   * The ablation table of the done runs (the paper's layout, significance against `reference`, default the retrained
   * row).
   */
  'studies:table': {
    input: z.strictObject({
      id: z.string().min(1, 'must not be empty'),
      reference: z.string().min(1, 'must not be empty').optional(),
      alpha: z.number().gt(0, 'must be greater than 0').lt(1, 'must be less than 1').optional(),
    }),
    output: out<StudyTable>(),
  },
  /** `summary`: the ablation table; `runs`: every run of the study, one row per run and method. */
  'studies:export': {
    input: z.strictObject({
      id: z.string().min(1, 'must not be empty'),
      format: z.enum(EXPORT_FORMATS),
      table: z.enum(['summary', 'runs']).default('summary'),
      reference: z.string().min(1, 'must not be empty').optional(),
      alpha: z.number().gt(0, 'must be greater than 0').lt(1, 'must be less than 1').optional(),
      latex: latexOptionsSchema.optional(),
    }),
    output: out<{ fileName: string; text: string }>(),
  },
  /** The study, all its runs and its shared trainings; refused (STUDY_ACTIVE) while one runs. */
  'studies:delete': { input: id, output: out<{ deleted: boolean; runs: number }>() },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives after validation (defaults applied). */
export type ParsedInputOf<C extends Channel> = z.output<Contract[C]['input']>;
export type OutputOf<C extends Channel> = Contract[C]['output'];

/**
 * Engine events as the renderer sees them: weights are summarised (names and shapes only; the
 * tensors stay in main and on disk), and a very large inline artifact is announced without its JSON
 * (`omitted: true`; fetch it with runs:get).
 */
export type UiEngineEvent =
  | Exclude<EngineEvent, { type: 'weights' } | { type: 'artifact' }>
  | { type: 'weights'; name: string; tensors: { name: string; shape: number[] }[] }
  | { type: 'artifact'; kind: string; name: string; json: unknown; omitted?: true };

/** Events pushed from main to the renderer. */
export interface PushEvents {
  'run:event': { runId: string; event: UiEngineEvent };
  'run:finished': { runId: string; status: RunStatus; error: string | null; summary: RunSummary | null };
  /** An item of the study changed status (started, finished, queued again): fetch it with studies:get. */
  'study:changed': { studyId: string };
}
export type PushChannel = keyof PushEvents;
/** Every push channel, checked exhaustive at compile time. */
export const PUSH_CHANNELS = Object.keys({ 'run:event': 1, 'run:finished': 1, 'study:changed': 1 } satisfies Record<
  PushChannel,
  1
>) as PushChannel[];

/**
 * Error codes that cross the bridge. INVALID_INPUT: the call's payload has the wrong shape;
 * INVALID_CONFIG: the experiment config fails its schema (issues name the fields); NOT_FOUND;
 * RUN_ACTIVE: the run is still running; RUN_OWNED_ELSEWHERE: another live process records it; DATASET / DATASET_CONFIG
 * / PARTITION: the data
 * cannot satisfy the config; UNAUTHORIZED / FORBIDDEN / NETWORK / UNKNOWN_CHANNEL: transport problems;
 * STORE_*: database; INTERNAL: a bug (the message says what happened).
 */
export interface ApiError {
  code: string;
  message: string;
  issues?: ConfigIssue[];
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };
