/**
 * Where `fedmem worker` and `fedmem study run|resume` take the Redis queue's URL from (issue 24):
 * `--queue URL`, `--queue-file PATH` or the FEDMEM_QUEUE_URL variable. The URL may hold the queue's
 * password, and a process's arguments are readable by every user of the machine (`ps`,
 * /proc/PID/cmdline), while its environment and an owner-only file are not: those two are the
 * recommended forms, and a password in the arguments still works but is warned about.
 */
import fs from 'node:fs';
import { redactQueueUrl } from '../../shared/queue-url';
import { CliError } from '../process-exit';
import { modeText, openToOthers, PRIVATE_FILE_MODE } from '../files/private-files';

export const QUEUE_URL_ENV = 'FEDMEM_QUEUE_URL';

export interface QueueFlags {
  queue?: string;
  queueFile?: string;
}

/** What the owner-only rule needs of a file's stat. */
export interface FileFacts {
  isFile: boolean;
  mode: number;
  uid: number;
}

/**
 * Why a queue file may not be trusted with the password, in one sentence, or null. Owner-only means
 * owned by this user and no permission bit for the group or others (on Windows, where modes say
 * nothing about who reads a file, only that it is a file).
 */
export function queueFileProblem(
  file: string,
  f: FileFacts,
  me = process.getuid?.(),
  platform = process.platform,
): string | null {
  if (!f.isFile) return `queue file ${file} is not a file`;
  if (platform === 'win32' || me === undefined) return null;
  if (f.uid !== me) {
    return `queue file ${file} belongs to another user (uid ${f.uid}); it must be yours and readable by you only`;
  }
  if (openToOthers(f.mode)) {
    return `queue file ${file} can be read by other users (mode ${modeText(f.mode, 3)}); make it owner-only with: chmod ${modeText(PRIVATE_FILE_MODE, 3)} ${file}`;
  }
  return null;
}

/** The URL a queue file holds (one line); checked on the opened file, so it cannot be swapped in between. */
export function readQueueFile(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new CliError(`cannot read queue file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const st = fs.fstatSync(fd);
    const problem = queueFileProblem(file, { isFile: st.isFile(), mode: st.mode, uid: st.uid });
    if (problem) throw new CliError(problem);
    const text = fs.readFileSync(fd, 'utf8').trim();
    if (text === '') {
      throw new CliError(`queue file ${file} is empty; write the queue URL in it (redis://:PASSWORD@host:port)`);
    }
    if (/[\r\n]/.test(text)) throw new CliError(`queue file ${file} must hold one line, the queue URL`);
    return text;
  } finally {
    fs.closeSync(fd);
  }
}

/** True when the URL carries user information (a password, or a user name that may be one). */
const carriesSecret = (url: string) => redactQueueUrl(url) !== url.trim();

/**
 * The queue URL the flags or the environment give, or null (none: the caller's default). Takes the
 * variable out of this process's environment, so the engines it forks do not inherit the password.
 */
export function takeQueueUrl(
  flags: QueueFlags,
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = (line) => void process.stderr.write(line + '\n'),
): string | null {
  const fromEnv = env[QUEUE_URL_ENV]?.trim() || null;
  delete env[QUEUE_URL_ENV];
  if (flags.queue !== undefined && flags.queueFile !== undefined) {
    throw new CliError('give --queue or --queue-file, not both');
  }
  if (flags.queueFile !== undefined) return readQueueFile(flags.queueFile);
  if (flags.queue !== undefined) {
    if (carriesSecret(flags.queue)) {
      warn(
        `fedmem: warning: a password in --queue can be read by every user of this machine (ps); ` +
          `set ${QUEUE_URL_ENV} or use --queue-file PATH instead`,
      );
    }
    return flags.queue;
  }
  return fromEnv;
}

/** The same, for a command that needs a queue: none given is one sentence saying how to give it. */
export function requireQueueUrl(flags: QueueFlags, env: NodeJS.ProcessEnv = process.env): string {
  const url = takeQueueUrl(flags, env);
  if (url === null) {
    throw new CliError(
      `give the queue: set ${QUEUE_URL_ENV}=redis://[:password@]host:port[/db], ` +
        'or --queue-file PATH (a file readable by you only), or --queue URL',
    );
  }
  return url;
}
