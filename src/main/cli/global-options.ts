/**
 * The options every `fedmem` command may read, declared once on the program (program.ts) and accepted
 * before or after a command's name; actions read them with `cmd.optsWithGlobals()`.
 */
import type { Command, Option } from 'commander';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

/** The global options a command may honour (--debug: every command). */
export type GlobalFlag = 'dataDir' | 'json';
const honoured = new WeakMap<Command, readonly GlobalFlag[]>();

/** Marks the global options `cmd` reads: its help lists them, and giving another one is a usage error. */
export function honours(cmd: Command, ...flags: GlobalFlag[]): Command {
  honoured.set(cmd, flags);
  return cmd;
}

/** Whether `cmd` reads the global option `o`. */
export function readsGlobal(cmd: Command, o: Option): boolean {
  return o.attributeName() === 'debug' || (honoured.get(cmd) ?? []).includes(o.attributeName() as GlobalFlag);
}

/** A repeatable option's collector: each use adds its value (no default, so help does not print "default: []"). */
export const collect = (v: string, all: string[] = []) => [...all, v];
