/** The `fedmem` command line: run experiments headless, list and show runs, export tables. */
import { Command } from 'commander';
import { ConfigError } from '../../shared/config';
import { TABLE1_COLUMN_BLOCKS } from '../../shared/latex-options';
import { oneLine } from '../../shared/one-line';
import { presetNames } from '../../shared/presets';
import { studyPresetNames } from '../../shared/study-presets';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_PORT } from '../web/defaults';
import { CliError } from '../process-exit';
import { exportCommand, listCommand, resumeCommand, runCommand, showCommand } from './commands';
import { noteCommand, renameCommand, tagCommand } from './annotate-commands';
import { doctorCommand } from './doctor-command';
import { figureCommand, studyFigureCommand } from './figure-command';
import { workerCommand } from './worker-command';
import { studyExportCommand, studyListCommand, studyResumeCommand, studyRunCommand, studyShowCommand } from './study-commands';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('must be a whole number from 0 to 65535');
  return port;
}

/** The LaTeX layout flags `export` and `study export` share. */
function latexFlags(cmd: Command): Command {
  return cmd
    .option('--columns <list>', `LaTeX: column blocks to print, comma-separated from ${TABLE1_COLUMN_BLOCKS.join(',')} (asr: backdoor attack success; time: time to peak and speed-up; default: the request's layout, Table 1, H9 for a class, H10 for examples)`)
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
    .option('--chart <id>', 'only this figure (its file name, see --list); repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--format <format>', 'svg (default), png (at 2x, like the app\'s PNG export) or pdf (vectors, for pdflatex)')
    .option('--out <dir>', 'folder to write the files to (made if missing; default: the current folder)')
    .option('--width <px>', 'width of each figure in px (default 600)')
    .option('--height <px>', 'height of each figure in px (default: the height the app draws it at)')
    .option('--list', "print the figures' ids and captions instead of drawing them")
    .option('--data-dir <dir>', 'where runs are stored');
}

const QUEUE_HELP =
  'run on a Redis queue (redis://[:password@]host:port[/db], rediss:// for TLS) by `fedmem worker` processes instead of here ' +
  '(default: $FEDMEM_QUEUE_URL when set; a password is safer there or in --queue-file than here, where `ps` shows it)';
const QUEUE_FILE_HELP = 'read the queue URL from this file, which must be readable by you only (chmod 600)';

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('fedmem')
    .description('FedMem Workbench: federated learning and unlearning experiments from the command line')
    .option('--data-dir <dir>', 'where runs are stored (default: $FEDMEM_DATA_DIR or the app data folder)')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const globals = () => program.opts<{ dataDir?: string; debug?: boolean }>();

  program
    .command('run')
    .description('validate a config, run it, store the results; prints the run id')
    .option('--config <file>', 'experiment config (JSON)')
    .option('--preset <name>', `a named config: ${presetNames().join(', ')}`)
    .option('--dataset-path <dir>', 'folder of the dataset files (sets dataset.path)')
    .option('--data-dir <dir>', 'where runs are stored')
    .option('--json', 'one JSON object per event on stdout')
    .action(async (o) => void (await runCommand({ ...globals(), ...o, dataDir: o.dataDir ?? globals().dataDir })));
  program
    .command('resume <run>')
    .description('continue an interrupted, cancelled or failed run where it stopped; it ends with the numbers an uninterrupted run would have')
    .option('--data-dir <dir>', 'where runs are stored')
    .option('--json', 'one JSON object per event on stdout')
    .action(async (run, o) => void (await resumeCommand(run, { ...o, dataDir: o.dataDir ?? globals().dataDir })));
  program
    .command('list')
    .description('list stored runs, newest first')
    .option('--status <status>', 'only runs with this status')
    .option('--search <text>', 'only runs whose name, note, tags or settings contain every word of this text')
    .option('--tag <tag>', 'only runs with this tag')
    .option('--dataset <id>', 'only runs on this dataset (mnist, idx, cifar10, cifar100, synthetic)')
    .option('--method <id>', 'only runs that include this method (its id or label)')
    .option('--where <condition>', 'only runs whose metric meets this, e.g. "FedMemEraser top-delta <= 10" (metrics: test, du, top-delta, in %); repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--data-dir <dir>', 'where runs are stored')
    .option('--json', 'print JSON')
    .action((o) => listCommand({ ...o, dataDir: o.dataDir ?? globals().dataDir }));
  program
    .command('show <run>')
    .description('stored config, status, metrics and artifacts of a run')
    .option('--data-dir <dir>', 'where runs are stored')
    .option('--json', 'print JSON')
    .action((run, o) => showCommand(run, { ...o, dataDir: o.dataDir ?? globals().dataDir }));
  program
    .command('rename <run> <name>')
    .description('give a run a new display name (its id, config and files stay)')
    .option('--data-dir <dir>', 'where runs are stored')
    .action((run, name, o) => renameCommand(run, name, { ...o, dataDir: o.dataDir ?? globals().dataDir }));
  program
    .command('note <run> <text>')
    .description('set the note of a run ("" clears it)')
    .option('--data-dir <dir>', 'where runs are stored')
    .action((run, text, o) => noteCommand(run, text, { ...o, dataDir: o.dataDir ?? globals().dataDir }));
  program
    .command('tag <run> [changes...]')
    .description('add (+tag) or remove (-tag) tags of a run; without changes, print its tags')
    .option('--data-dir <dir>', 'where runs are stored')
    // "-old" is a tag to remove, not an option.
    .allowUnknownOption()
    .action((run, changes, o) => tagCommand(run, changes, { ...o, dataDir: o.dataDir ?? globals().dataDir }));
  latexFlags(
    program
      .command('export <run>')
      .description('export a table of a run as CSV, JSON or LaTeX')
      .requiredOption('--format <format>', 'csv, json (columns with types, rows as objects) or latex')
      .option('--table <name>', 'which table (default: the main one)')
      .option('--out <file>', 'write to a file instead of stdout')
      .option('--data-dir <dir>', 'where runs are stored'),
  ).action((run, o) => exportCommand(run, { ...o, dataDir: o.dataDir ?? globals().dataDir }));
  figureFlags(
    program
      .command('figure <run>')
      .description("draw a run's figures (the results page's charts) to SVG or PNG files named as the page's exports")
      .option('--repeat <n>', 'the repeat of the figures that show one at a time (CSL scatter, analyses); default 1')
      .option('--each-repeat', 'draw each repeat instead of mean ± std in the charts that average them'),
  ).action(async (run, o) => void (await figureCommand(run, { ...o, dataDir: o.dataDir ?? globals().dataDir })));

  const study = program.command('study').description('ablation studies: a base config swept over one or two axes, with seeds');
  study
    .command('run [file]')
    .description('store a study (JSON: base, axes, seeds; or --preset) and run its runs here; prints the study id')
    .option('--preset <name>', `one of the paper's studies at MNIST scale: ${studyPresetNames().join(', ')}`)
    .option('--concurrency <n>', 'runs at once (the cores are split between them); default 1')
    .option('--queue <url>', QUEUE_HELP)
    .option('--queue-file <path>', QUEUE_FILE_HELP)
    .option('--json', 'one JSON object per event on stdout')
    .option('--data-dir <dir>', 'where runs are stored')
    .action(async (file, o) => void (await studyRunCommand(file, { ...o, dataDir: o.dataDir ?? globals().dataDir })));
  study
    .command('resume <study>')
    .description('continue a study: queued, interrupted, cancelled and failed runs run; done ones are kept')
    .option('--queue <url>', QUEUE_HELP)
    .option('--queue-file <path>', QUEUE_FILE_HELP)
    .option('--json', 'one JSON object per event on stdout')
    .option('--data-dir <dir>', 'where runs are stored')
    .action(async (id, o) => void (await studyResumeCommand(id, { ...o, dataDir: o.dataDir ?? globals().dataDir })));
  study
    .command('list')
    .description('stored studies, newest first')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'where runs are stored')
    .action((o) => studyListCommand({ ...o, dataDir: o.dataDir ?? globals().dataDir }));
  latexFlags(
    study
      .command('export <study>')
      .description("export a study's ablation table (summary) or every run (runs) as CSV, JSON or LaTeX")
      .requiredOption('--format <format>', 'csv, json or latex')
      .option('--table <name>', 'summary (the paper\'s ablation layout, default) or runs (one row per run and method)')
      .option('--reference <row>', 'row key Δ and the t-test compare with (default: retrained)')
      .option('--out <file>', 'write to a file instead of stdout')
      .option('--data-dir <dir>', 'where runs are stored'),
  ).action((id, o) => studyExportCommand(id, { ...o, dataDir: o.dataDir ?? globals().dataDir }));
  figureFlags(
    study
      .command('figure <study>')
      .description("draw a study's charts (the study page's) to SVG or PNG files named as the page's exports")
      .option('--metric <m>', 'the per-method chart\'s metric: group:N (GME group N, 0 = top; the default group:0), unlearn, test, fairness or wall')
      .option('--by <lines>', 'row (one line per method, the default) or group (one line per GME group of the swept method)')
      .option('--row <label>', 'the swept method, when the axes do not name one (default: the first method)'),
  ).action(async (id, o) => void (await studyFigureCommand(id, { ...o, dataDir: o.dataDir ?? globals().dataDir })));
  study
    .command('show <study>')
    .description('a study: axes, status, and every run with what it reused')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'where runs are stored')
    .action((id, o) => studyShowCommand(id, { ...o, dataDir: o.dataDir ?? globals().dataDir }));

  program
    .command('worker')
    .description('run study runs from a Redis queue on this machine, with its best backend, until stopped (Ctrl-C)')
    .option('--queue <url>', 'the queue: redis://[:password@]host:port[/db], or rediss:// for TLS (default: $FEDMEM_QUEUE_URL)')
    .option('--queue-file <path>', QUEUE_FILE_HELP)
    .option('--data-path <name=dir>', 'where a dataset folder named NAME (as on the coordinator) is on this machine; repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--concurrency <n>', 'runs at once (the cores are split between them); default 1')
    .option('--lock-seconds <n>', 'how long a run of a worker that went silent waits before another worker takes it; default 30')
    .option('--cache-dir <dir>', 'where shared trainings and engine logs go (default: a temporary folder)')
    .action((o) => workerCommand(o));

  program
    .command('doctor')
    .description('which compute backends load here, why the native (GPU) ones do not and how to fix it, and a benchmark of each')
    .option('--seconds <n>', 'length of each backend\'s matrix-product benchmark, 0 to skip (default 1)')
    .option('--json', 'print JSON')
    .option('--data-dir <dir>', 'where runs are stored')
    .action((o) => doctorCommand({ ...o, dataDir: o.dataDir ?? globals().dataDir }));

  program
    .command('web')
    .description('serve the workbench to a browser on this machine (browser mode); prints a URL with an access token')
    .option('--port <n>', 'port; 0 picks a free one', parsePort, DEFAULT_PORT)
    .option('--host <addr>', 'address to bind; anything but loopback is reachable from the network (warned about)', '127.0.0.1')
    .option('--allow-host <name>', 'also accept this Host name (e.g. behind a reverse proxy); repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--renderer-dir <dir>', 'the built renderer (default: out/renderer)')
    .option('--data-dir <dir>', 'where runs are stored')
    // Loaded on demand: the other commands never load the HTTP server.
    .action(async (o) => (await import('../web/serve')).serveWeb({ port: o.port, host: o.host, allowHosts: o.allowHost, rendererDir: o.rendererDir, dataDir: o.dataDir ?? globals().dataDir }));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    const err = e as Error & { code?: string; exitCode?: number };
    if (err.code?.startsWith('commander.')) {
      // commander already printed its message (help, version, or a usage error).
      return err.exitCode ?? 1;
    }
    const message = e instanceof ConfigError ? e.message : err.message;
    process.stderr.write(`fedmem: ${oneLine(message)}\n`);
    if (globals().debug && err.stack) process.stderr.write(err.stack + '\n');
    return e instanceof CliError ? e.exitCode : 1;
  }
}
