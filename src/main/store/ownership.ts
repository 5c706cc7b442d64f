/**
 * Who is recording a run (issue 13). The app, browser mode and the CLI may share one data folder, so
 * a process must never take another live process's run for a crashed one. Each writing process has an
 * owner id, "host:pid:token"; it stamps the runs it creates and renews their heartbeat every few
 * seconds. A run is orphaned (its recorder is gone) when:
 * - no owner is recorded (rows written before owners existed), or
 * - the owner is on this host and its process is gone, or it is this very process from an earlier
 *   life (same pid, a token no longer live: pid reuse across restarts), or
 * - its heartbeat is older than STALE_AFTER_MS: on another host (a shared folder) that is the only
 *   sign; on this host it catches a reused pid and a recorder that hangs.
 * The same rule decides whether a study item's claimer is gone (without a heartbeat there).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';

/** How often a process renews the heartbeat of the runs it records. */
export const HEARTBEAT_MS = 5_000;
/** A heartbeat this old means the recorder is gone: twelve missed renewals, far beyond a busy event loop's pauses. */
export const STALE_AFTER_MS = 60_000;

export interface OwnerFacts {
  host: string;
  pid: number;
  /** Tokens of owners alive in this process. */
  liveTokens: ReadonlySet<string>;
  pidAlive: (pid: number) => boolean;
  now: number;
}

export interface ParsedOwner {
  host: string;
  pid: number;
  token: string;
}

/** "host:pid:token" read back; a host name may itself hold ':' (IPv6 literals), so parse from the right. */
export function parseOwner(owner: string): ParsedOwner | null {
  const m = /^(.*):(\d+):([^:]+)$/.exec(owner);
  return m ? { host: m[1], pid: Number(m[2]), token: m[3] } : null;
}

/**
 * Whether the process that owns a run (or claimed a study item) is gone. `heartbeatAt` (ISO) is the
 * run's last renewal; pass undefined where there is none (study items): then only this host's
 * processes can be judged, and another host's owner counts as alive.
 */
export function ownerIsGone(owner: string | null, heartbeatAt: string | null | undefined, facts: OwnerFacts): boolean {
  if (owner === null) return true;
  const o = parseOwner(owner);
  if (!o) return true;
  if (heartbeatAt !== undefined) {
    const beat = heartbeatAt === null ? NaN : Date.parse(heartbeatAt);
    if (!Number.isFinite(beat) || facts.now - beat > STALE_AFTER_MS) return true;
  }
  if (o.host !== facts.host) return false;
  if (o.pid === facts.pid) return !facts.liveTokens.has(o.token);
  return !facts.pidAlive(o.pid);
}

/**
 * A run's status as it is now: a queued or running run whose recorder is gone is 'interrupted', whether or
 * not a writer has marked it so yet. Readers report this (a read-only reader cannot mark anything, and
 * `fedmem list` must not say 'running' for a killed run); the next writer's sweep records it. `self` is
 * the reading store's own owner id: its own runs are alive while it is.
 */
export function statusNow(
  status: string,
  owner: string | null,
  heartbeatAt: string | null,
  self: string | null,
  facts: OwnerFacts,
): string {
  if (status !== 'queued' && status !== 'running') return status;
  if (owner !== null && owner === self) return status;
  return ownerIsGone(owner, heartbeatAt, facts) ? 'interrupted' : status;
}

/** True when a process with this pid exists (EPERM: it exists but is another user's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const LIVE_TOKENS = new Set<string>();

/** A new owner id for this process; alive until `release`. */
export function newOwner(): string {
  const token = randomUUID().slice(0, 8);
  LIVE_TOKENS.add(token);
  return `${os.hostname()}:${process.pid}:${token}`;
}

/** The owner stops counting as alive in this process (a closed store, a closed queue). */
export function releaseOwner(owner: string): void {
  const o = parseOwner(owner);
  if (o) LIVE_TOKENS.delete(o.token);
}

/** This machine and process as the rule needs them, now. */
export function currentFacts(): OwnerFacts {
  return { host: os.hostname(), pid: process.pid, liveTokens: LIVE_TOKENS, pidAlive, now: Date.now() };
}

/** One sentence for a refused change to a run another live process records. */
export function ownedElsewhere(
  runId: string,
  owner: string,
  heartbeatAt: string | null,
  verb: string,
  now = Date.now(),
): string {
  const o = parseOwner(owner);
  const who = o ? `process ${o.pid} on ${o.host === os.hostname() ? 'this machine' : o.host}` : 'another process';
  const ago = heartbeatAt
    ? ` (last heard from ${Math.max(0, Math.round((now - Date.parse(heartbeatAt)) / 1000))} s ago)`
    : '';
  return `run ${runId} is being recorded by ${who}${ago}; stop it there before you ${verb} it`;
}
