/**
 * Studies (issue 11): the list, the study that is open with its items and estimate, what its running
 * runs report (phase, rounds), and the queue controls. Main pushes `study:changed` whenever an item
 * changes status; the open study and the list reload then, several pushes in a burst costing one
 * reload. A running item's run reports through the ordinary `run:event` pushes under its run id.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { StudyDetail, StudyEstimate, StudyListItem } from '../../../shared/study-types';
import type { RunProgressCount } from '../../../shared/events';
import { studySchema, type Study, type StudyInput } from '../../../shared/study';
import { lastPhase, plannedRounds, type PhaseInfo } from '../../../shared/progress';
import { moveInQueue } from '../studies/grid';
import { api, type ApiResult } from '../api';
import { useNotifyStore } from './notify';

export type OpenStudy = StudyDetail & { estimate: StudyEstimate };

/** What the open study's running runs have reported so far. */
export interface RunProgress {
  phase: PhaseInfo | null;
  progress: RunProgressCount | null;
  startedAtMs: number | null;
}

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

/** Runs a loader at most once at a time; calls while it runs coalesce into one more run after it. */
function coalesced(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = load().finally(() => {
      running = null;
      if (again) {
        again = false;
        void run();
      }
    });
    return running;
  };
  return run;
}

export const useStudiesStore = defineStore('studies', () => {
  const notify = useNotifyStore();
  const list = ref<StudyListItem[]>([]);
  const listState = ref<LoadState>('idle');
  const openId = ref<string | null>(null);
  const detail = shallowRef<OpenStudy | null>(null);
  const detailState = ref<LoadState>('idle');
  const progress = ref<Record<string, RunProgress>>({});
  const busy = ref(false);
  let offs: (() => void)[] = [];
  let listWatched = false;

  /** The stored definition with the schema's defaults (combine, seeds, share) filled in. */
  const study = computed<Study | null>(() => {
    const parsed = detail.value ? studySchema.safeParse(detail.value.definition) : null;
    return parsed?.success ? parsed.data : null;
  });
  const running = computed(() => detail.value?.items.filter((it) => it.status === 'running' && it.runId) ?? []);

  const loadList = coalesced(async () => {
    if (!list.value.length) listState.value = 'loading';
    const data = await notify.call(api.studies.list());
    if (data) list.value = data;
    listState.value = data ? 'ready' : 'error';
  });

  /** Fetches what a run that was already under way has recorded (it started before we listened). */
  async function catchUp(runId: string) {
    const run = await notify.call(api.runs.get({ id: runId }), { quiet: true });
    if (!run || !progress.value[runId]) return;
    const total = plannedRounds(run.config);
    const p = progress.value[runId];
    const at = run.startedAt ?? run.createdAt;
    progress.value[runId] = {
      phase: p.phase ?? lastPhase(run.events),
      progress: p.progress ?? (total === null ? null : { done: Math.min(run.rounds.length, total), total }),
      startedAtMs: at ? Date.parse(at) : null,
    };
  }

  const loadDetail = coalesced(async () => {
    const id = openId.value;
    if (!id) return;
    if (!detail.value) detailState.value = 'loading';
    const data = await notify.call(api.studies.get({ id }));
    if (openId.value !== id) return;
    if (data) {
      detail.value = data;
      // Keep progress only for runs still running; start tracking the new ones.
      const next: Record<string, RunProgress> = {};
      for (const it of data.items) {
        if (it.status !== 'running' || !it.runId) continue;
        next[it.runId] = progress.value[it.runId] ?? { phase: null, progress: null, startedAtMs: null };
        if (!progress.value[it.runId]) setTimeout(() => void catchUp(it.runId!));
      }
      progress.value = next;
    }
    detailState.value = data ? 'ready' : detail.value ? detailState.value : 'error';
  });

  function subscribe() {
    if (offs.length) return;
    offs = [
      api.on('study:changed', ({ studyId }) => {
        if (studyId === openId.value) void loadDetail();
        if (listWatched) void loadList();
      }),
      api.on('run:event', ({ runId, event }) => {
        const p = progress.value[runId];
        if (!p) return;
        if (event.type === 'phase') p.phase = { phase: event.phase, stage: event.stage, label: event.label };
        else if (event.type === 'round') p.progress = event.progress;
        else if (event.type === 'started' && p.startedAtMs === null) p.startedAtMs = Date.now();
      }),
    ];
  }

  function unsubscribeIfIdle() {
    if (openId.value || listWatched) return;
    offs.forEach((off) => off());
    offs = [];
  }

  /** The list view: loads and keeps the list current until `closeList`. */
  function openList() {
    listWatched = true;
    subscribe();
    return loadList();
  }
  function closeList() {
    listWatched = false;
    unsubscribeIfIdle();
  }

  function open(id: string) {
    if (openId.value !== id) {
      detail.value = null;
      progress.value = {};
    }
    openId.value = id;
    subscribe();
    return loadDetail();
  }
  function close() {
    openId.value = null;
    detail.value = null;
    progress.value = {};
    detailState.value = 'idle';
    unsubscribeIfIdle();
  }

  /** Runs a queue action on the open study, then reloads it (a push may come too; they coalesce). */
  async function act<T>(call: (id: string) => Promise<ApiResult<T>>): Promise<T | null> {
    const id = openId.value;
    if (!id || busy.value) return null;
    busy.value = true;
    try {
      const r = await notify.call(call(id));
      await loadDetail();
      return r;
    } finally {
      busy.value = false;
    }
  }

  const pause = () => act((id) => api.studies.pause({ id }));
  const resume = () => act((id) => api.studies.resume({ id }));
  const cancel = () => act((id) => api.studies.cancel({ id }));
  const configure = (concurrency: number) => act((id) => api.studies.configure({ id, concurrency }));
  const extend = (definition: StudyInput) => act((id) => api.studies.extend({ id, study: definition }));

  async function move(key: string, delta: -1 | 1) {
    const keys = detail.value ? moveInQueue(detail.value.items, key, delta) : null;
    if (keys) await act((id) => api.studies.reorder({ id, keys }));
  }

  async function duplicate(id: string, name?: string): Promise<string | null> {
    const r = await notify.call(api.studies.duplicate({ id, ...(name && { name }) }));
    if (r) void loadList();
    return r?.id ?? null;
  }

  async function remove(id: string): Promise<boolean> {
    const r = await notify.call(api.studies.delete({ id }));
    if (!r) return false;
    list.value = list.value.filter((s) => s.id !== id);
    notify.info(`Study deleted with its ${r.runs} run${r.runs === 1 ? '' : 's'}`);
    return true;
  }

  return {
    list,
    listState,
    openId,
    detail,
    detailState,
    study,
    running,
    progress,
    busy,
    openList,
    closeList,
    loadList,
    open,
    close,
    refresh: loadDetail,
    pause,
    resume,
    cancel,
    configure,
    extend,
    move,
    duplicate,
    remove,
  };
});
