/**
 * The one IPC contract between the renderer and main (DESIGN.md): every call is `domain:verb` with a
 * zod schema for its payload (validated by main's handlers, the same schemas the CLI uses) and a
 * phantom output type. The preload (Electron) and the HTTP/WebSocket client (browser mode) are both
 * built from this object, so the API is never declared twice.
 */
import { z } from 'zod';
import type { ConfigIssue, ExperimentConfigInput } from './config';
import type { EngineEvent, RunStatus } from './events';

const out = <T>() => undefined as unknown as T;
const id = z.strictObject({ id: z.string().min(1, 'must not be empty') });
const none = z.undefined().optional();

export interface RunListItem {
  id: string;
  name: string;
  status: RunStatus;
  createdAt: string;
  durationMs: number | null;
  dataset: string;
  model: string;
  methods: string[];
  seed: number | null;
  backend: string | null;
  phase: string | null;
  error: string | null;
  summary: Record<string, unknown> | null;
}

export interface RunDetail extends RunListItem {
  config: unknown;
  versions: Record<string, string>;
  rounds: { stage: string; round: number; testAccuracy: number | null; testLoss: number | null; trainLoss: number | null; elapsedMs: number | null }[];
  /** Inline JSON artifacts by `${kind}/${name}` (report, examples, importance, time, loss-surface, csl, partition). */
  artifacts: Record<string, unknown>;
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
  activeBackend: string | null;
  defaultWorkers: number;
  cores: number;
  versions: Record<string, string>;
  mode: 'electron' | 'browser';
}

export const contract = {
  'runs:list': {
    input: z.strictObject({ status: z.string().optional(), search: z.string().optional() }).default({}),
    output: out<RunListItem[]>(),
  },
  'runs:get': { input: id, output: out<RunDetail>() },
  /** Validates the config with the experiment schema; starts the engine process; returns at once. */
  'runs:start': { input: z.strictObject({ config: z.unknown() }), output: out<{ runId: string }>() },
  'runs:cancel': { input: id, output: out<{ cancelled: boolean }>() },
  'runs:delete': { input: id, output: out<{ deleted: boolean }>() },
  'runs:tables': { input: id, output: out<string[]>() },
  'runs:export': {
    input: z.strictObject({ id: z.string().min(1), format: z.enum(['csv', 'latex']), table: z.string().optional() }),
    output: out<{ fileName: string; text: string }>(),
  },
  'config:validate': {
    input: z.strictObject({ config: z.unknown() }),
    output: out<{ ok: boolean; issues: ConfigIssue[]; estimateSeconds: number | null }>(),
  },
  'catalog:get': { input: none, output: out<Catalog>() },
  'partition:preview': {
    input: z.strictObject({ config: z.unknown() }),
    output: out<{ classCounts: number[][] } >(),
  },
  'settings:get': { input: none, output: out<Settings>() },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>;
export type OutputOf<C extends Channel> = Contract[C]['output'];

/** Events pushed from main to the renderer. */
export interface PushEvents {
  'run:event': { runId: string; event: EngineEvent };
  'run:finished': { runId: string; status: RunStatus; error: string | null };
}
export type PushChannel = keyof PushEvents;

export interface ApiError {
  code: string;
  message: string;
  issues?: ConfigIssue[];
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };
