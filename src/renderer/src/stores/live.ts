/**
 * The run that is open: its stored detail, and, while it runs, what the engine reports (phase,
 * round, progress, per-round test accuracy and losses, log lines). Events that arrive before the stored detail are kept
 * and merged, so nothing is lost when the view opens mid-run.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { RunDetail, RunListItem, UiEngineEvent } from '../../../shared/contract';
import type { RunProgressCount } from '../../../shared/events';
import { isActiveStatus, type RunStatus } from '../../../shared/catalog';
import { logEntryOf, type LogEntry, type PhaseInfo } from '../../../shared/progress';
import { runClock, type PhaseMark } from '../format/run-clock';
import { foldEvent, mergeDetail, type LiveEventState, type LiveRound } from '../format/live-events';
import {
  elapsedMs as elapsedSince,
  liveClockInput,
  startedAtMs as startOf,
  storedClockFacts,
} from '../format/live-progress';
import { api } from '../api';
import { useNotifyStore } from './notify';
import { cancelButton, recordedElsewhere, stateAfter, type CancelState } from '../format/run-cancel';
import { cancelOverdueText } from '../../../shared/run-cancel';

export type { LiveRound } from '../format/live-events';

/** How often the page reads a run another process records (its events do not reach this app). */
const FOLLOW_ELSEWHERE_MS = 2000;

export const useLiveStore = defineStore('live', () => {
  const runId = ref<string | null>(null);
  const detail = shallowRef<RunDetail | null>(null);
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const status = ref<RunStatus | null>(null);
  const error = ref<string | null>(null);
  const phase = ref<PhaseInfo | null>(null);
  const current = ref<{ stage: string; round: number; totalRounds: number } | null>(null);
  const progress = ref<RunProgressCount | null>(null);
  const rounds = shallowRef<LiveRound[]>([]);
  /** Phases seen live, and when the latest round arrived: with the stored events, what the ETA measures. */
  const liveMarks = shallowRef<PhaseMark[]>([]);
  const lastRoundAtMs = ref<number | null>(null);
  const log = shallowRef<LogEntry[]>([]);
  const doneEvent = ref(false);
  const partition = shallowRef<number[][] | null>(null);
  const cancelState = ref<CancelState>('idle');
  /** What the last cancel led to, in one sentence (asked another process; it has not acted), or null. */
  const cancelNote = ref<string | null>(null);
  const cancelling = computed(() => cancelButton(cancelState.value).disabled);
  let overdueTimer: ReturnType<typeof setTimeout> | null = null;
  let followTimer: ReturnType<typeof setInterval> | null = null;
  const resuming = ref(false);
  const backend = ref<string | null>(null);
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | null = null;
  let offs: (() => void)[] = [];

  const running = computed(() => isActiveStatus(status.value));
  const startedAtMs = computed(() => startOf(detail.value));
  const elapsedMs = computed(() => elapsedSince(startedAtMs.value, now.value));
  const finished = computed(() => doneEvent.value || status.value === 'done');
  const storedClock = computed(() => storedClockFacts(detail.value));
  const clock = computed(() =>
    runClock(
      liveClockInput(storedClock.value, {
        liveMarks: liveMarks.value,
        progress: progress.value,
        lastRoundAtMs: lastRoundAtMs.value,
        nowMs: now.value,
        finished: finished.value,
      }),
    ),
  );
  const barFraction = computed(() => clock.value.fraction);
  const eta = computed(() => (running.value || finished.value ? clock.value.etaSeconds : null));
  /** Whether the evaluation still to come is measured in this run ('measured') or the prior guess. */
  const evaluationBasis = computed(() => clock.value.evaluation);

  function addLog(type: string, data: unknown) {
    const entry = logEntryOf(type, data, new Date().toISOString());
    if (entry) log.value = [...log.value, entry];
  }

  function eventState(): LiveEventState {
    return {
      backend: backend.value,
      phase: phase.value,
      liveMarks: liveMarks.value,
      current: current.value,
      progress: progress.value,
      lastRoundAtMs: lastRoundAtMs.value,
      rounds: rounds.value,
      partition: partition.value,
      error: error.value,
      doneEvent: doneEvent.value,
    };
  }

  /** Assigning a ref its own value changes nothing, so only what the event changed updates the view. */
  function setEventState(next: LiveEventState) {
    backend.value = next.backend;
    phase.value = next.phase;
    liveMarks.value = next.liveMarks;
    current.value = next.current;
    progress.value = next.progress;
    lastRoundAtMs.value = next.lastRoundAtMs;
    rounds.value = next.rounds;
    partition.value = next.partition;
    error.value = next.error;
    doneEvent.value = next.doneEvent;
  }

  function onEvent(event: UiEngineEvent) {
    addLog(event.type, event);
    setEventState(foldEvent(eventState(), event, Date.now()));
  }

  function applyDetail(d: RunDetail) {
    detail.value = d;
    backend.value = d.backend ?? backend.value;
    status.value = d.status;
    error.value = d.error;
    // Another process's run sends no events here: the stored rows are its progress.
    const elsewhere = recordedElsewhere(d);
    follow(elsewhere);
    if (!isActiveStatus(d.status)) resetCancel();
    const merged = mergeDetail(
      {
        rounds: rounds.value,
        log: log.value,
        phase: phase.value,
        partition: partition.value,
        progress: progress.value,
      },
      d,
      elsewhere,
    );
    rounds.value = merged.rounds;
    log.value = merged.log;
    phase.value = merged.phase;
    partition.value = merged.partition;
    progress.value = merged.progress;
  }

  /** Reads the run from the store every few seconds while another process records it (and stops after). */
  function follow(on: boolean) {
    if (on && !followTimer) followTimer = setInterval(() => void refresh({ quiet: true }), FOLLOW_ELSEWHERE_MS);
    if (!on && followTimer) {
      clearInterval(followTimer);
      followTimer = null;
    }
  }

  function resetCancel() {
    if (overdueTimer) clearTimeout(overdueTimer);
    overdueTimer = null;
    cancelState.value = 'idle';
    cancelNote.value = null;
  }

  async function refresh(opts: { quiet?: boolean } = {}) {
    if (!runId.value) return;
    const id = runId.value;
    const d = await useNotifyStore().call(api.runs.get({ id }), opts);
    if (runId.value !== id) return;
    if (d) applyDetail(d);
    state.value = d ? 'ready' : 'error';
  }

  async function open(id: string) {
    close();
    runId.value = id;
    state.value = 'loading';
    offs = [
      api.on('run:event', (p) => {
        if (p.runId === runId.value) onEvent(p.event);
      }),
      api.on('run:finished', (p) => {
        if (p.runId !== runId.value) return;
        status.value = p.status;
        error.value = p.error;
        resetCancel();
        // The stored detail has the artifacts the results need.
        void refresh();
      }),
    ];
    timer = setInterval(() => (now.value = Date.now()), 1000);
    await refresh();
  }

  function close() {
    offs.forEach((off) => off());
    offs = [];
    if (timer) clearInterval(timer);
    timer = null;
    follow(false);
    runId.value = null;
    detail.value = null;
    status.value = null;
    error.value = null;
    phase.value = null;
    current.value = null;
    progress.value = null;
    rounds.value = [];
    liveMarks.value = [];
    lastRoundAtMs.value = null;
    log.value = [];
    doneEvent.value = false;
    partition.value = null;
    resetCancel();
    resuming.value = false;
    backend.value = null;
    state.value = 'idle';
  }

  /** The run's name, note and tags as main stored them after an edit on the run page. */
  function applyListItem(item: RunListItem) {
    if (detail.value?.id === item.id)
      detail.value = { ...detail.value, name: item.name, note: item.note, tags: item.tags };
  }

  async function cancel() {
    const id = runId.value;
    if (!id || cancelling.value) return;
    resetCancel();
    cancelState.value = 'sending';
    const r = await useNotifyStore().call(api.runs.cancel({ id }));
    if (runId.value !== id) return;
    cancelState.value = stateAfter(r);
    if (r?.outcome === 'ended') return void refresh();
    if (r?.outcome !== 'requested') return;
    cancelNote.value = r.message;
    // The page follows the run from the store (applyDetail), which resets all this once it ends.
    follow(true);
    overdueTimer = setTimeout(() => {
      if (runId.value !== id || cancelState.value !== 'requested') return;
      cancelState.value = 'overdue';
      cancelNote.value = cancelOverdueText(id, r.pid, r.answerWithinMs);
    }, r.answerWithinMs);
  }

  /** Continues a stopped run from its checkpoint; the page turns live again as it runs. */
  async function resume() {
    if (!runId.value || resuming.value) return;
    resuming.value = true;
    try {
      const r = await useNotifyStore().call(api.runs.resume({ id: runId.value }));
      if (!r) return;
      status.value = 'running';
      error.value = null;
      doneEvent.value = false;
      await refresh();
    } finally {
      resuming.value = false;
    }
  }

  return {
    runId,
    detail,
    state,
    status,
    error,
    backend,
    phase,
    current,
    progress,
    rounds,
    log,
    partition,
    cancelling,
    cancelState,
    cancelNote,
    resuming,
    resume,
    running,
    finished,
    barFraction,
    elapsedMs,
    eta,
    evaluationBasis,
    open,
    close,
    refresh,
    cancel,
    applyListItem,
  };
});
