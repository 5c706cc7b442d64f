/**
 * `fedmem figure RUN`: a run's figures as SVG or PNG files, the list and drawings its results page
 * has (charts/run-figures.ts), named as the page's exports are. The run is read through the same
 * handler the page calls (runs:get).
 */
import { everyRunFigure, figureRepeats } from '../../renderer/src/charts/run-figures';
import { withApi } from './api-client';
import { CliError, type GlobalOptions } from './cli-error';
import { parseFigureFlags, writeFigures, type FigureFlags } from './figure-files';

export interface RunFigureFlags extends FigureFlags {
  repeat?: string;
  eachRepeat?: boolean;
}

/** --repeat as a 1-based whole number (default 1). */
function repeatFlag(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new CliError(`--repeat must be a whole number from 1, not "${value}"`);
  return Number(value);
}

export function figureCommand(runId: string, opts: GlobalOptions & RunFigureFlags): Promise<string[]> {
  const choices = parseFigureFlags(opts);
  const repeat = repeatFlag(opts.repeat);
  return withApi(opts, async (call) => {
    const detail = await call('runs:get', { id: runId });
    const repeats = figureRepeats(detail);
    if (repeat > repeats) throw new CliError(`--repeat must be from 1 to ${repeats}: run ${runId}'s one-repeat figures (CSL scatter, analyses) have ${repeats} repeat${repeats === 1 ? '' : 's'}`);
    const figures = everyRunFigure(detail, { repeat: repeat - 1, eachRepeat: opts.eachRepeat === true });
    return writeFigures(figures, choices, `run ${runId}`);
  });
}
