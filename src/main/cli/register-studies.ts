/**
 * `fedmem study run|resume|list|export|figure|show`. The queue (bullmq, ioredis) and the engine load
 * only when `study run` or `study resume` runs.
 */
import type { Command } from 'commander';
import { studyPresetNames } from '../../shared/study-presets';
import { honours } from './global-options';
import { registerStudyOutputs } from './register-outputs';

const studyCommands = () => import('./study-commands');

export const QUEUE_HELP =
  'run on a Redis queue (redis://[:password@]host:port[/db], rediss:// for TLS) by `fedmem worker` processes instead of here ' +
  '(default: $FEDMEM_QUEUE_URL when set; a password is safer there or in --queue-file than here, where `ps` shows it)';
export const QUEUE_FILE_HELP = 'read the queue URL from this file, which must be readable by you only (chmod 600)';

function registerStudyRuns(study: Command): void {
  honours(study.command('run [file]'), 'dataDir', 'json')
    .description('store a study (JSON: base, axes, seeds; or --preset) and run its runs here; prints the study id')
    .option('--preset <name>', `one of the paper's studies at MNIST scale: ${studyPresetNames().join(', ')}`)
    .option('--concurrency <n>', 'runs at once, 1-16 (the cores are split between them); default 1')
    .option('--queue <url>', QUEUE_HELP)
    .option('--queue-file <path>', QUEUE_FILE_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  fedmem study run my-study.json --concurrency 2\n  fedmem study run --preset h9-class --queue-file ~/.fedmem-queue',
    )
    .action(
      async (file: string | undefined, _o, cmd: Command) =>
        void (await (await studyCommands()).studyRunCommand(file, cmd.optsWithGlobals())),
    );
  honours(study.command('resume <study>'), 'dataDir', 'json')
    .description('continue a study: queued, interrupted, cancelled and failed runs run; done ones are kept')
    .option('--queue <url>', QUEUE_HELP)
    .option('--queue-file <path>', QUEUE_FILE_HELP)
    .action(
      async (id: string, _o, cmd: Command) =>
        void (await (await studyCommands()).studyResumeCommand(id, cmd.optsWithGlobals())),
    );
}

export function registerStudyCommands(program: Command): void {
  const study = program
    .command('study')
    .description('ablation studies: a base config swept over one or two axes, with seeds');
  registerStudyRuns(study);
  honours(study.command('list'), 'dataDir', 'json')
    .description('stored studies, newest first')
    .action(async (_o, cmd: Command) => (await studyCommands()).studyListCommand(cmd.optsWithGlobals()));
  registerStudyOutputs(study);
  honours(study.command('show <study>'), 'dataDir', 'json')
    .description('a study: axes, status, and every run with what it reused')
    .action(async (id: string, _o, cmd: Command) =>
      (await studyCommands()).studyShowCommand(id, cmd.optsWithGlobals()),
    );
}
