/**
 * `fedmem export`, `fedmem figure` and their `study` forms: the flags they share (LaTeX layout, figure
 * files) are declared once here. The figure renderers (ECharts, resvg, pdfkit) load only when a figure
 * command runs.
 */
import type { Command } from 'commander';
import { RUN_TABLE_NAMES } from '../../shared/data-table';
import { TABLE1_COLUMN_BLOCKS } from '../../shared/latex-options';
import { collect, honours } from './global-options';

const commands = () => import('./commands');
const studyCommands = () => import('./study-commands');
const figures = () => import('./figure-command');

/** The LaTeX layout flags `export` and `study export` share. */
function latexFlags(cmd: Command): Command {
  return cmd
    .option(
      '--columns <list>',
      `LaTeX: column blocks to print, comma-separated from ${TABLE1_COLUMN_BLOCKS.join(',')} (asr: backdoor attack success; time: time to peak and speed-up; default: the request's layout, Table 1, H9 for a class, H10 for examples)`,
    )
    .option('--decimals <n>', 'LaTeX: decimals of percentages and fairness, 0-4 (default 2)')
    .option('--no-std', 'LaTeX: leave out ± std (it is never printed for one repeat)')
    .option('--no-delta', 'LaTeX: leave out |Δ| to the reference')
    .option('--float <env>', 'LaTeX: table (one-column papers) or table* (spans both columns; the default)')
    .option('--scale-to-width', 'LaTeX: scale to \\linewidth with \\resizebox (needs graphicx)')
    .option('--font-size <size>', 'LaTeX: normalsize, small, footnotesize (default) or scriptsize');
}

/** The flags `figure` and `study figure` share. */
function figureFlags(cmd: Command): Command {
  return cmd
    .option('--chart <id>', 'only this figure (its file name, see --list); repeatable', collect)
    .option('--format <format>', "svg (default), png (at 2x, like the app's PNG export) or pdf (vectors, for pdflatex)")
    .option('--out <dir>', 'folder to write the files to (made if missing; default: the current folder)')
    .option('--width <px>', 'width of each figure in px, 50-8000 (default 600)')
    .option('--height <px>', 'height of each figure in px, 50-8000 (default: the height the app draws it at)')
    .option('--list', "print the figures' ids and captions instead of drawing them");
}

function registerRunOutputs(program: Command): void {
  latexFlags(
    honours(program.command('export <run>'), 'dataDir')
      .description('export a table of a run as CSV, JSON or LaTeX')
      .requiredOption('--format <format>', 'csv, json (columns with types, rows as objects) or latex')
      .option(
        '--table <name>',
        `which table: ${RUN_TABLE_NAMES.join(', ')} (default: the main one; a run has only some of them)`,
      )
      .option('--out <file>', 'write to a file instead of stdout'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  fedmem export RUN --format latex --float table\n  fedmem export RUN --format csv --table rounds --out rounds.csv',
    )
    .action(async (run: string, _o, cmd: Command) => (await commands()).exportCommand(run, cmd.optsWithGlobals()));
  figureFlags(
    honours(program.command('figure <run>'), 'dataDir')
      .description(
        "draw a run's figures (the results page's charts) to SVG, PNG or PDF files named as the page's exports",
      )
      .option('--repeat <n>', 'the repeat of the figures that show one at a time (CSL scatter, analyses); default 1')
      .option('--each-repeat', 'draw each repeat instead of mean ± std in the charts that average them'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  fedmem figure RUN --list\n  fedmem figure RUN --format pdf --out figs --chart gme-accuracy',
    )
    .action(
      async (run: string, _o, cmd: Command) => void (await (await figures()).figureCommand(run, cmd.optsWithGlobals())),
    );
}

/** `study export` and `study figure`, under `study`. */
export function registerStudyOutputs(study: Command): void {
  latexFlags(
    honours(study.command('export <study>'), 'dataDir')
      .description("export a study's ablation table (summary) or every run (runs) as CSV, JSON or LaTeX")
      .requiredOption('--format <format>', 'csv, json or latex')
      .option('--table <name>', "summary (the paper's ablation layout, default) or runs (one row per run and method)")
      .option('--reference <row>', 'row key Δ and the t-test compare with (default: retrained)')
      .option('--out <file>', 'write to a file instead of stdout'),
  ).action(async (id: string, _o, cmd: Command) =>
    (await studyCommands()).studyExportCommand(id, cmd.optsWithGlobals()),
  );
  figureFlags(
    honours(study.command('figure <study>'), 'dataDir')
      .description("draw a study's charts (the study page's) to SVG, PNG or PDF files named as the page's exports")
      .option(
        '--metric <m>',
        "the per-method chart's metric: group:N (GME group N, 0 = top; the default group:0), unlearn, test, fairness or wall",
      )
      .option(
        '--by <lines>',
        'row (one line per method, the default) or group (one line per GME group of the swept method)',
      )
      .option('--row <label>', 'the swept method, when the axes do not name one (default: the first method)'),
  ).action(
    async (id: string, _o, cmd: Command) =>
      void (await (await figures()).studyFigureCommand(id, cmd.optsWithGlobals())),
  );
}

export function registerOutputCommands(program: Command): void {
  registerRunOutputs(program);
}
