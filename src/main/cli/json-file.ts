/**
 * A JSON file the user names (a config, a study): read, parsed and checked for keys that name the
 * object machinery before any code walks it, each failure one sentence naming the file.
 */
import fs from 'node:fs';
import { oneLine } from '../../shared/one-line';
import { reservedKeyProblem } from '../../shared/reserved-keys';
import { CliError } from '../process-exit';

/** `what` names the file's role in messages: "config file", "study file". */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text around the mistake, line breaks included: keep one line of it.
    throw new CliError(`${what} ${file} is not valid JSON: ${oneLine((e as Error).message, 200)}`);
  }
  const reserved = reservedKeyProblem(value);
  if (reserved !== null) throw new CliError(`${what} ${file}: ${reserved}`);
  return value;
}
