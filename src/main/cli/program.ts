/**
 * The `fedmem` program: its global options, declared once here and accepted before or after a
 * command's name (`fedmem --data-dir X list` = `fedmem list --data-dir X`), and the commands, each
 * group registered by its own module. Registering loads no command's code: each action imports
 * what it runs, so `--help`, `list` and `show` do not load the engine, the queue, the HTTP server
 * or the figure renderers.
 */
import { Command, Help } from 'commander';
import { readsGlobal } from './global-options';
import { registerMachineCommands } from './register-machine';
import { registerOutputCommands } from './register-outputs';
import { registerRunCommands } from './register-runs';
import { registerStudyCommands } from './register-studies';

/** Refuses a global option the command does not read, as commander refuses an unknown one. */
function refuseUnusedGlobals(program: Command, cmd: Command): void {
  for (const o of program.options) {
    if (program.getOptionValueSource(o.attributeName()) !== 'cli' || readsGlobal(cmd, o)) continue;
    const name = [cmd.parent !== program ? cmd.parent?.name() : '', cmd.name()].filter(Boolean).join(' ');
    cmd.error(`error: option '${o.long}' does not apply to 'fedmem ${name}'`, {
      code: 'commander.unknownOption',
      exitCode: 1,
    });
  }
}

export function createProgram(): Command {
  const program = new Command()
    .name('fedmem')
    .description('FedMem Workbench: federated learning and unlearning experiments from the command line')
    .option('--data-dir <dir>', 'where runs are stored (default: $FEDMEM_DATA_DIR or the app data folder)')
    .option('--json', 'print JSON (run, resume, study run and study resume: one JSON object per event)')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .configureHelp({
      showGlobalOptions: true,
      visibleGlobalOptions(cmd) {
        return Help.prototype.visibleGlobalOptions.call(this, cmd).filter((o) => readsGlobal(cmd, o));
      },
    })
    .hook('preAction', (_program, cmd) => refuseUnusedGlobals(program, cmd));
  registerRunCommands(program);
  registerOutputCommands(program);
  registerStudyCommands(program);
  registerMachineCommands(program);
  return program;
}
