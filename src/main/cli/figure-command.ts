/**
 * `fedmem figure RUN` and `fedmem study figure STUDY`: the figures as SVG, PNG or PDF files, the list and
 * drawings the results pages have (charts/run-figures.ts, charts/study-figures.ts), named as the
 * pages' exports are. Runs and studies are read through the handlers the pages call (runs:get,
 * studies:get).
 */
import { studySchema } from '../../shared/study';
import { everyRunFigure, figureRepeats } from '../../shared/figures/run-figures';
import { studyFigures, studyMetrics, studyRowChoice } from '../../shared/figures/study-figures';
import { withApi } from './api-client';
import { CliError } from '../process-exit';
import type { GlobalOptions } from './global-options';
import { numberFlag } from './numbers';
import { parseFigureFlags, writeFigures, type FigureFlags } from './figure-files';

export interface RunFigureFlags extends FigureFlags {
  repeat?: string;
  eachRepeat?: boolean;
}

export function figureCommand(runId: string, opts: GlobalOptions & RunFigureFlags): Promise<string[]> {
  const choices = parseFigureFlags(opts);
  const repeat = numberFlag('--repeat', opts.repeat, { min: 1 }, 1);
  return withApi(opts, async (call) => {
    const detail = await call('runs:get', { id: runId });
    const repeats = figureRepeats(detail);
    if (repeat > repeats)
      throw new CliError(
        `--repeat must be from 1 to ${repeats}: run ${runId}'s one-repeat figures (CSL scatter, analyses) have ${repeats} repeat${repeats === 1 ? '' : 's'}`,
      );
    const figures = everyRunFigure(detail, { repeat: repeat - 1, eachRepeat: opts.eachRepeat === true });
    return writeFigures(figures, choices, `run ${runId}`);
  });
}

export interface StudyFigureFlags extends FigureFlags {
  metric?: string;
  by?: string;
  row?: string;
}

export function studyFigureCommand(studyId: string, opts: GlobalOptions & StudyFigureFlags): Promise<string[]> {
  const choices = parseFigureFlags(opts);
  const by = opts.by ?? 'row';
  if (by !== 'row' && by !== 'group') throw new CliError(`--by must be row or group, not "${opts.by}"`);
  return withApi(opts, async (call) => {
    const detail = await call('studies:get', { id: studyId });
    const parsed = studySchema.safeParse(detail.definition);
    if (!parsed.success)
      throw new CliError(
        `study ${studyId}'s stored definition no longer validates: ${parsed.error.issues[0]?.message ?? 'unknown issue'}`,
      );
    const study = parsed.data;
    const metrics = studyMetrics(detail.results).map((m) => m.value);
    const metric = metrics.find((m) => m === (opts.metric ?? 'group:0'));
    if (!metric) throw new CliError(`--metric must be one of ${metrics.join(', ')}, not "${opts.metric}"`);
    const { rows, needed } = studyRowChoice(study, detail.results);
    if (opts.row !== undefined && !rows.includes(opts.row))
      throw new CliError(
        `--row must be one of the study's methods (${rows.join(', ') || 'none yet'}), not "${opts.row}"`,
      );
    if (opts.row !== undefined && !needed)
      process.stderr.write(
        `note: study ${studyId}'s axes name the swept method; --row is not needed and was ignored\n`,
      );
    const owner = `study ${studyId}`;
    if (!detail.results.length && !choices.list) throw new CliError(`${owner} has no finished runs yet, so no figures`);
    return writeFigures(studyFigures(study, detail.results, { metric, by, row: opts.row }), choices, owner);
  });
}
