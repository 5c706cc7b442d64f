/**
 * `fedmem rename`, `fedmem note` and `fedmem tag`: the runs:rename and runs:annotate channels the app
 * uses (same validation, same store functions), from the command line.
 */
import { withApi } from './api-client';
import { CliError } from '../process-exit';
import type { GlobalOptions } from './global-options';

/**
 * "+a -b c" applied to a run's tags: +tag or a bare tag adds, -tag removes; the result is sorted.
 * Whether a tag is well formed is main's rule (runs:annotate), checked there.
 */
export function applyTagChanges(current: readonly string[], changes: readonly string[]): string[] {
  const tags = new Set(current);
  for (const change of changes) {
    const remove = change.startsWith('-');
    const tag = remove || change.startsWith('+') ? change.slice(1) : change;
    if (!tag) throw new CliError(`"${change}" names no tag; write +tag to add it or -tag to remove it`);
    if (remove) tags.delete(tag);
    else tags.add(tag);
  }
  return [...tags].sort();
}

export function renameCommand(runId: string, name: string, opts: GlobalOptions): Promise<void> {
  return withApi(
    opts,
    async (call) => {
      const run = await call('runs:rename', { id: runId, name });
      process.stdout.write(`${run.id}  ${run.name}\n`);
    },
    { writes: true },
  );
}

/** An empty text clears the note. */
export function noteCommand(runId: string, text: string, opts: GlobalOptions): Promise<void> {
  return withApi(
    opts,
    async (call) => {
      const run = await call('runs:annotate', { id: runId, note: text });
      process.stdout.write(run.note === null ? `${run.id}  note cleared\n` : `${run.id}  note: ${run.note}\n`);
    },
    { writes: true },
  );
}

/** Without changes it prints the run's tags. */
export function tagCommand(runId: string, changes: string[], opts: GlobalOptions): Promise<void> {
  return withApi(
    opts,
    async (call) => {
      const current = (await call('runs:get', { id: runId })).tags;
      const tags = changes.length
        ? (await call('runs:annotate', { id: runId, tags: applyTagChanges(current, changes) })).tags
        : current;
      process.stdout.write(`${runId}  tags: ${tags.length ? tags.join(', ') : '(none)'}\n`);
    },
    { writes: changes.length > 0 },
  );
}
