/**
 * `fedmem run`, `resume`, `list`, `show`, `rename`, `note` and `tag`. Each action loads its code when it
 * runs (commands.ts, annotate-commands.ts), so registering them costs nothing.
 */
import type { Command } from 'commander';
import { presetNames } from '../../shared/presets';
import { collect, honours } from './global-options';

const commands = () => import('./commands');
const annotate = () => import('./annotate-commands');

function registerRunAndResume(program: Command): void {
  honours(program.command('run'), 'dataDir', 'json')
    .description('validate a config, run it, store the results; prints the run id')
    .option('--config <file>', 'experiment config (JSON)')
    .option('--preset <name>', `a named config: ${presetNames().join(', ')}`)
    .option('--dataset-path <dir>', 'folder of the dataset files (sets dataset.path)')
    .addHelpText('after', '\nExamples:\n  fedmem run --preset quick\n  fedmem run --config my-experiment.json --json')
    .action(async (_o, cmd: Command) => void (await (await commands()).runCommand(cmd.optsWithGlobals())));
  honours(program.command('resume <run>'), 'dataDir', 'json')
    .description(
      'continue an interrupted, cancelled or failed run where it stopped; it ends with the numbers an uninterrupted run would have',
    )
    .action(
      async (run: string, _o, cmd: Command) =>
        void (await (await commands()).resumeCommand(run, cmd.optsWithGlobals())),
    );
}

function registerReads(program: Command): void {
  honours(program.command('list'), 'dataDir', 'json')
    .description('list stored runs, newest first')
    .option('--status <status>', 'only runs with this status')
    .option('--search <text>', 'only runs whose name, note, tags or settings contain every word of this text')
    .option('--tag <tag>', 'only runs with this tag')
    .option('--dataset <id>', 'only runs on this dataset (mnist, idx, cifar10, cifar100, synthetic)')
    .option('--method <id>', 'only runs that include this method (its id or label)')
    .option(
      '--where <condition>',
      'only runs whose metric meets this, e.g. "FedMemEraser top-delta <= 10" (metrics: test, du, top-delta, in %); repeatable',
      collect,
    )
    .action(async (_o, cmd: Command) => (await commands()).listCommand(cmd.optsWithGlobals()));
  honours(program.command('show <run>'), 'dataDir', 'json')
    .description('stored config, status, metrics and artifacts of a run')
    .action(async (run: string, _o, cmd: Command) => (await commands()).showCommand(run, cmd.optsWithGlobals()));
}

function registerAnnotations(program: Command): void {
  honours(program.command('rename <run> <name>'), 'dataDir')
    .description('give a run a new display name (its id, config and files stay)')
    .action(async (run: string, name: string, _o, cmd: Command) =>
      (await annotate()).renameCommand(run, name, cmd.optsWithGlobals()),
    );
  honours(program.command('note <run> <text>'), 'dataDir')
    .description('set the note of a run ("" clears it)')
    .action(async (run: string, text: string, _o, cmd: Command) =>
      (await annotate()).noteCommand(run, text, cmd.optsWithGlobals()),
    );
  honours(program.command('tag <run> [changes...]'), 'dataDir')
    .description('add (+tag) or remove (-tag) tags of a run; without changes, print its tags')
    // "-old" is a tag to remove, not an option.
    .allowUnknownOption()
    .addHelpText('after', '\nExample:\n  fedmem tag RUN +baseline -draft')
    .action(async (run: string, changes: string[], _o, cmd: Command) =>
      (await annotate()).tagCommand(run, changes, cmd.optsWithGlobals()),
    );
}

export function registerRunCommands(program: Command): void {
  registerRunAndResume(program);
  registerReads(program);
  registerAnnotations(program);
}
