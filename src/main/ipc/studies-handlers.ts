/** The `studies:*` channels over the study service and the queue (src/main/studies). */
import { expandStudy, studySchema } from '../../shared/study';
import type { StudyEstimate } from '../../shared/study-types';
import type { StudyQueue } from '../studies/local-queue';
import { estimateStudy } from '../studies/study-estimate';
import type { StudyService } from '../studies/study-service';
import type { Handlers } from './dispatch';

type StudiesHandlers = Pick<Handlers, Extract<keyof Handlers, `studies:${string}`>>;

export function createStudiesHandlers(service: StudyService, queue: StudyQueue, onChange: (studyId: string) => void): StudiesHandlers {
  /** Cost of what is left: done runs have paid for their trainings. */
  const estimateOf = (id: string): StudyEstimate => {
    const items = service.configs(id);
    const def = studySchema.parse(service.require(id).definition);
    return estimateStudy(
      items.filter((i) => i.status !== 'done').map((i) => i.config),
      items.filter((i) => i.status === 'done').map((i) => i.config),
      { cells: new Set(items.map((i) => i.cellKey)).size, seeds: def.seeds },
    );
  };
  const changed = (id: string) => {
    onChange(id);
    queue.poke();
  };

  return {
    'studies:validate': ({ study }) => {
      const expanded = expandStudy(study);
      if (!expanded.ok) {
        return { ok: false, issues: expanded.problems.map((p) => ({ path: p.cell ? `[${p.cell}] ${p.path}` : p.path, message: p.message })), estimate: null };
      }
      const configs = expanded.runs.map((r) => r.config);
      const cells = new Set(expanded.runs.map((r) => r.cell.key)).size;
      return { ok: true, issues: [], estimate: estimateStudy(configs, [], { cells, seeds: studySchema.parse(study).seeds }) };
    },
    'studies:create': ({ study, start, concurrency }) => {
      const created = service.create(study, { start, concurrency });
      changed(created.id);
      return { id: created.id };
    },
    'studies:list': () => service.list(),
    'studies:get': ({ id }) => ({ ...service.detail(id), estimate: estimateOf(id) }),
    'studies:extend': ({ id, study }) => {
      const r = service.extend(id, study);
      changed(id);
      return r;
    },
    'studies:duplicate': ({ id, name }) => {
      const copy = service.duplicate(id, name);
      onChange(copy.id);
      return { id: copy.id };
    },
    'studies:pause': ({ id }) => {
      service.pause(id);
      onChange(id);
      return { ok: true as const };
    },
    'studies:resume': ({ id }) => {
      const r = service.resume(id);
      changed(id);
      return r;
    },
    'studies:cancel': ({ id }) => {
      const r = service.cancel(id);
      queue.stopStudy(id);
      onChange(id);
      return r;
    },
    'studies:reorder': ({ id, keys }) => {
      service.reorder(id, keys);
      onChange(id);
      return { ok: true as const };
    },
    'studies:configure': ({ id, concurrency }) => {
      service.setConcurrency(id, concurrency);
      changed(id);
      return { ok: true as const };
    },
    'studies:delete': ({ id }) => service.delete(id),
  };
}

