/** The `studies:*` channels over the study service and the queue (src/main/studies). */
import type { StudyQueue } from '../studies/local-queue';
import { calibrated, estimateItems, machineFactor } from '../studies/study-estimate';
import type { Store } from '../store';
import { exportStudyTable, studyTableModel } from '../export/study-export';
import { expandStudyChecked, type StudyService } from '../studies/study-service';
import type { Handlers } from './dispatch';
import { requestCancelOfStudyRuns } from '../runs/cancel-run';

type StudiesHandlers = Pick<Handlers, Extract<keyof Handlers, `studies:${string}`>>;

export function createStudiesHandlers(
  store: Store,
  service: StudyService,
  queue: StudyQueue,
  onChange: (studyId: string) => void,
): StudiesHandlers {
  const changed = (id: string) => {
    onChange(id);
    queue.poke();
  };

  return {
    'studies:validate': ({ study }) => {
      const expanded = expandStudyChecked(study);
      if (!expanded.ok) {
        return {
          ok: false,
          issues: expanded.problems.map((p) => ({
            path: p.cell ? `[${p.cell}] ${p.path}` : p.path,
            message: p.message,
          })),
          estimate: null,
        };
      }
      return {
        ok: true,
        issues: [],
        estimate: calibrated(
          estimateItems(
            study,
            expanded.runs.map((r) => ({ cellKey: r.cell.key, config: r.config })),
          ),
          machineFactor(store),
        ),
      };
    },
    'studies:create': ({ study, start, concurrency }) => {
      const created = service.create(study, { start, concurrency });
      changed(created.id);
      return { id: created.id };
    },
    'studies:list': () => service.list(),
    'studies:get': ({ id }) => ({
      ...service.detail(id),
      estimate: calibrated(estimateItems(service.require(id).definition, service.configs(id)), machineFactor(store)),
    }),
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
      // A distributed queue takes back the runs no worker has started (queue/coordinator.ts).
      changed(id);
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
      requestCancelOfStudyRuns(store, id);
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
    'studies:table': ({ id, reference, alpha }) => {
      const study = service.require(id);
      return studyTableModel(study.definition, service.results(service.items(id)), { reference, alpha });
    },
    'studies:export': ({ id, format, table, reference, alpha, latex }) => {
      const study = service.require(id);
      return exportStudyTable(study.name, study.definition, service.results(service.items(id)), {
        format,
        table,
        reference,
        alpha,
        latex,
      });
    },
    'studies:delete': ({ id }) => service.delete(id),
  };
}
