/**
 * The embedded study queue: runs the queued items of active studies on this machine, one at a time
 * or `concurrency` at once (splitting the worker threads between them). The queue itself is the
 * `study_items` table, so it survives a crash or a restart: on start, items whose claiming process
 * is gone go back to the queue (their partial run stays, marked interrupted), and completed items are
 * never run again. Every front end (desktop, browser mode, the CLI) drives the same class.
 *
 * `StudyQueue` is deliberately narrow (poke, stop a study, wait, close): a distributed queue can take
 * this class's place for users who outgrow one machine.
 */
import { machineCores } from '../machine-cores';
import path from 'node:path';
import { parseConfig, type ExperimentConfig } from '../../shared/config';
import { studySchema } from '../../shared/study';
import { originalTrainingKey } from '../../shared/study-sharing';
import type { RunHandle } from '../runs/record-run';
import { currentFacts, newOwner, ownerIsGone, releaseOwner } from '../store/ownership';
import { studyDirFor } from '../store/paths';
import type { Store, StoredStudyItem } from '../store';
import { cacheEntryExists } from '../files/shared-trainings';

export interface StudyQueue {
  /** Looks for work now: starts eligible queued items while slots are free. */
  poke(): void;
  /** Cancels the study's running items (they end 'cancelled'). */
  stopStudy(studyId: string): void;
  /** Resolves when nothing of this queue runs and nothing eligible is waiting. */
  idle(): Promise<void>;
  /** Stops taking work; running items are cancelled and go back to the queue (a restart continues them). */
  close(timeoutMs?: number): Promise<void>;
}

/** The queue of a process that runs no studies (the CLI's read commands): studies wait for a process that does. */
export const NO_QUEUE: StudyQueue = {
  poke: () => undefined,
  stopStudy: () => undefined,
  idle: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

/**
 * Starts one run of a study (sharing trainings through `shareDir` when given); the desktop and browser mode go through
 * the run manager, the CLI directly.
 */
export type LaunchRun = (config: ExperimentConfig, study: { id: string; shareDir?: string }) => RunHandle;

export interface LocalQueueOptions {
  launch: LaunchRun;
  /** Told whenever an item of the study changes status. */
  onChange?: (studyId: string) => void;
  /** Work only on this study (the CLI's `study run` / `study resume`). */
  studyId?: string;
  cores?: number;
}

/** How often a queue with work running looks for items that became eligible (a shared training got stored). */
const RECHECK_MS = 5000;

/**
 * The claimer of items handed to a distributed queue (queue/coordinator.ts): they belong to the queue, not to a
 * process.
 */
export const REMOTE_CLAIMER = 'queue:fedmem-studies';

/**
 * A claimer ("host:pid:token") is gone when its process is (store/ownership.ts; items have no heartbeat, so
 * another host's claimer counts as alive). Items on the distributed queue are never orphans: its workers go
 * on without this process, and the next coordinator reattaches to them.
 */
export function claimerIsDead(claimer: string): boolean {
  return claimer !== REMOTE_CLAIMER && ownerIsGone(claimer, undefined, currentFacts());
}

export const sharedDirFor = (dataDir: string, studyId: string) => path.join(studyDirFor(dataDir, studyId), 'shared');

/** With N runs at once, each gets its share of the cores (worker count never changes the numbers). */
export function splitWorkers(config: ExperimentConfig, concurrency: number, cores: number): ExperimentConfig {
  if (concurrency <= 1 || config.compute.workers > 0) return config;
  return { ...config, compute: { ...config.compute, workers: Math.max(1, Math.floor(cores / concurrency)) } };
}

export class LocalStudyQueue implements StudyQueue {
  private readonly claimer = newOwner();
  private readonly running = new Map<string, { item: StoredStudyItem; handle: RunHandle }>();
  private closing = false;
  private scheduled = false;
  private recheck: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly o: LocalQueueOptions,
  ) {
    const orphans = store.studies.requeueOrphans(claimerIsDead);
    for (const id of new Set(orphans.map((it) => it.studyId))) o.onChange?.(id);
    this.poke();
  }

  poke(): void {
    if (this.closing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.fill();
    });
  }

  private fill(): void {
    if (this.closing || !this.store.isOpen) return;
    for (;;) {
      const item = this.store.studies.claimNext(
        this.claimer,
        (it, running) => this.eligible(it, running),
        this.o.studyId,
      );
      if (!item) break;
      this.start(item);
    }
    if (this.running.size === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    // An item may be waiting for a shared training a running run is still producing: look again soon.
    else
      this.recheck ??= setTimeout(() => {
        this.recheck = undefined;
        this.poke();
      }, RECHECK_MS).unref();
  }

  /**
   * Within the study's concurrency, and not while another running item is training the same original
   * model (it would be trained twice; once stored, it is shared and the wait is over).
   */
  private eligible(item: StoredStudyItem, running: StoredStudyItem[]): boolean {
    const study = this.store.studies.get(item.studyId);
    if (!study) return false;
    const ofStudy = running.filter((r) => r.studyId === item.studyId);
    if (ofStudy.length >= study.concurrency || this.running.size >= study.concurrency) return false;
    if (!studySchema.parse(study.definition).share) return true;
    const key = originalTrainingKey(parseConfig(item.config), 0);
    const busy = ofStudy.some((r) => originalTrainingKey(parseConfig(r.config), 0) === key);
    return !busy || cacheEntryExists(sharedDirFor(this.store.dataDir, item.studyId), key);
  }

  private start(item: StoredStudyItem): void {
    const { studies } = this.store;
    let handle: RunHandle;
    try {
      const study = studies.require(item.studyId);
      const config = splitWorkers(parseConfig(item.config), study.concurrency, this.o.cores ?? machineCores());
      const share = studySchema.parse(study.definition).share;
      handle = this.o.launch(config, {
        id: item.studyId,
        ...(share && { shareDir: sharedDirFor(this.store.dataDir, item.studyId) }),
      });
    } catch (e) {
      studies.finishItem(item.studyId, item.key, 'failed', `could not start: ${(e as Error).message}`);
      this.o.onChange?.(item.studyId);
      return;
    }
    studies.attachRun(item.studyId, item.key, handle.runId);
    this.running.set(handle.runId, { item, handle });
    this.o.onChange?.(item.studyId);
    handle.finished
      .then(
        (run) => {
          if (!this.store.isOpen) return;
          // Closing (quit, Ctrl-C): the item goes back to the queue, so the next start continues it.
          if (this.closing && run.status === 'cancelled') studies.requeueItem(item.studyId, item.key);
          else
            studies.finishItem(
              item.studyId,
              item.key,
              run.status === 'done' ? 'done' : run.status === 'cancelled' ? 'cancelled' : 'failed',
              run.error,
            );
        },
        (e: unknown) => this.store.isOpen && studies.finishItem(item.studyId, item.key, 'failed', (e as Error).message),
      )
      .finally(() => {
        this.running.delete(handle.runId);
        this.o.onChange?.(item.studyId);
        if (this.running.size === 0 && this.closing) this.idleWaiters.splice(0).forEach((resolve) => resolve());
        this.poke();
      });
  }

  stopStudy(studyId: string): void {
    for (const { item, handle } of this.running.values()) if (item.studyId === studyId) handle.cancel();
  }

  idle(): Promise<void> {
    if (this.running.size === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(timeoutMs = 5000): Promise<void> {
    this.closing = true;
    clearTimeout(this.recheck);
    const finished = [...this.running.values()].map(({ handle }) => {
      handle.cancel();
      return handle.finished.catch(() => undefined);
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(finished), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    releaseOwner(this.claimer);
  }
}
