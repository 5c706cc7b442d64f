/** The runs repository's contract: what creating a run takes, the list filter, every operation (runs-repo.ts). */
import type { Run, RunStatus, ActiveRunStatus, TerminalRunStatus } from './types';
import type { RunSummary } from '../../shared/results';

export interface CreateRunInput {
  id?: string;
  experimentId?: string | null;
  name: string;
  config: unknown;
  seed?: number | null;
  backend?: string | null;
  versions?: Record<string, string>;
  /** Defaults to 'queued'; pass 'running' to create and start at once. */
  status?: ActiveRunStatus;
  /** The study this run is an item of (an attempt), if any. */
  studyId?: string | null;
}

export interface ListRunsFilter {
  status?: RunStatus | RunStatus[];
  experimentId?: string;
  studyId?: string;
  /** Only runs carrying exactly this tag. */
  tag?: string;
  limit?: number;
  offset?: number;
}

export interface RunsRepo {
  create(input: CreateRunInput): Run;
  get(id: string): Run | undefined;
  /** Like `get` but throws STORE_NOT_FOUND. */
  require(id: string): Run;
  /** Newest first. */
  list(filter?: ListRunsFilter): Run[];
  /** 'running' also stamps started_at (once). Use `finish` for terminal states. */
  updateStatus(id: string, status: ActiveRunStatus): Run;
  setPhase(id: string, phase: string | null): void;
  setBackend(id: string, backend: string | null): void;
  /** Adds/overwrites keys of versions_json (e.g. the engine reports tfjs and backend versions once started). */
  mergeVersions(id: string, versions: Record<string, string>): Run;
  /** Sets the terminal status, ended_at, duration_ms (from started_at), error and summary. */
  finish(id: string, status: TerminalRunStatus, error?: string | null, summary?: RunSummary | null): Run;
  /**
   * Marks 'interrupted' (with `reason`) every queued/running run whose recording process is gone
   * (store/ownership.ts); runs another live process records are left alone. Returns their ids.
   */
  interruptOrphans(reason: string): string[];
  /** Renews the heartbeat of this store's own queued/running runs. */
  heartbeat(): void;
  /**
   * Asks the owner of a queued/running run to cancel it (runs/cancel-run.ts), on behalf of `by` (an owner
   * id). False when the run is not queued or running (it ended meanwhile).
   */
  requestCancel(id: string, by: string): boolean;
  /** This store's queued/running runs that another process asked to cancel, with who asked. */
  cancelRequests(): { runId: string; by: string | null }[];
  /**
   * Takes a stopped run (shared/catalog.ts canResume) back to 'running' under this store's owner with
   * a fresh heartbeat; its error, end and duration are cleared, its start kept. One statement, so of
   * two processes resuming the same run one wins and the other is refused (RUN_NOT_RESUMABLE).
   */
  resume(id: string): Run;
  /** Throws STORE_NOT_FOUND. */
  rename(id: string, name: string): Run;
  /**
   * `note`: undefined leaves it, null or '' clears it. `tags`: undefined leaves them, otherwise replaces
   * the set (duplicates dropped). One transaction. Throws STORE_NOT_FOUND.
   */
  annotate(id: string, changes: { note?: string | null; tags?: string[] }): Run;
  /**
   * Deletes the run's rows and its files; returns false if it did not exist. Refused (RUN_OWNED_ELSEWHERE)
   * while another live process records it; `finish` likewise.
   */
  delete(id: string): boolean;
  /**
   * A study run whose recorder is gone (or was marked interrupted by it going), taken over by this process as `status`
   * (a coordinator reattaching to its queue).
   */
  adopt(id: string, status: ActiveRunStatus): Run;
}

/** `owner`: this store's process id ("host:pid:token", store/ownership.ts) stamped on the runs it creates. */
