/**
 * `fedmem worker`, `fedmem doctor` and `fedmem web`: what runs on this machine beside the runs. The
 * queue worker, the backends' probe and the HTTP server load only when their command runs.
 */
import type { Command } from 'commander';
import { DEFAULT_PORT } from '../web/defaults';
import { collect, honours } from './global-options';
import { numberOption } from './numbers';
import { QUEUE_FILE_HELP } from './register-studies';
import type { WorkerFlags } from './worker-command';

export function registerMachineCommands(program: Command): void {
  honours(program.command('worker'))
    .description('run study runs from a Redis queue on this machine, with its best backend, until stopped (Ctrl-C)')
    .option(
      '--queue <url>',
      'the queue: redis://[:password@]host:port[/db], or rediss:// for TLS (default: $FEDMEM_QUEUE_URL)',
    )
    .option('--queue-file <path>', QUEUE_FILE_HELP)
    .option(
      '--data-path <name=dir>',
      'where a dataset folder named NAME (as on the coordinator) is on this machine; repeatable',
      collect,
    )
    .option('--concurrency <n>', 'runs at once, 1-64 (the cores are split between them); default 1')
    .option(
      '--lock-seconds <n>',
      'how long a run of a worker that went silent waits before another worker takes it, 2-3600; default 30',
    )
    .option('--cache-dir <dir>', 'where shared trainings and engine logs go (default: a temporary folder)')
    .addHelpText(
      'after',
      '\nExample:\n  fedmem worker --queue-file ~/.fedmem-queue --data-path cifar-10-batches-bin=/data/cifar10',
    )
    .action(async (o: Omit<WorkerFlags, 'dataPath'> & { dataPath?: string[] }) =>
      (await import('./worker-command')).workerCommand({ ...o, dataPath: o.dataPath ?? [] }),
    );
  honours(program.command('doctor'), 'dataDir', 'json')
    .description(
      'which compute backends load here, why the native (GPU) ones do not and how to fix it, and a benchmark of each',
    )
    .option('--seconds <n>', "length of each backend's matrix-product benchmark, 0-10, 0 to skip (default 1)")
    .action(async (_o, cmd: Command) => (await import('./doctor-command')).doctorCommand(cmd.optsWithGlobals()));
  honours(program.command('web'), 'dataDir')
    .description('serve the workbench to a browser on this machine (browser mode); prints a URL with an access token')
    .option('--port <n>', 'port; 0 picks a free one', numberOption('--port', { min: 0, max: 65535 }), DEFAULT_PORT)
    .option(
      '--host <addr>',
      'address to bind; anything but loopback is reachable from the network (warned about)',
      '127.0.0.1',
    )
    .option('--allow-host <name>', 'also accept this Host name (e.g. behind a reverse proxy); repeatable', collect)
    .option('--renderer-dir <dir>', 'the built renderer (default: out/renderer)')
    // Loaded on demand: the other commands never load the HTTP server.
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<{
        port: number;
        host: string;
        allowHost?: string[];
        rendererDir?: string;
        dataDir?: string;
      }>();
      await (
        await import('../web/serve')
      ).serveWeb({
        port: o.port,
        host: o.host,
        allowHosts: o.allowHost ?? [],
        rendererDir: o.rendererDir,
        dataDir: o.dataDir,
      });
    });
}
