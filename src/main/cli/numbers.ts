/**
 * The one parser of the CLI's numeric flags (--concurrency, --port, --width, --decimals, …): a bad value
 * is a CliError naming the flag and its rule, e.g. `--concurrency must be a whole number from 1 to 16, not "x"`.
 */
import { CliError } from '../process-exit';

export interface NumberRule {
  /** Whole numbers only (the default); false accepts decimals too. */
  whole?: boolean;
  min?: number;
  max?: number;
  /** What the number counts, as said in the message: 'pixels' -> "a whole number of pixels". */
  unit?: string;
}

/** The rule in words: "a whole number from 1 to 16", "a number from 0 to 10", "a whole number from 1 up". */
export function ruleText({ whole = true, min, max, unit }: NumberRule): string {
  const kind = `${whole ? 'a whole number' : 'a number'}${unit ? ` of ${unit}` : ''}`;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} from ${min} up`;
  if (max !== undefined) return `${kind} up to ${max}`;
  return kind;
}

/** `value` as a number that keeps `rule`, or a CliError naming `flag`. */
export function parseNumber(flag: string, value: string, rule: NumberRule = {}): number {
  const text = value.trim();
  const pattern = rule.whole === false ? /^-?(\d+\.?\d*|\.\d+)$/ : /^-?\d+$/;
  const n = Number(text);
  const fits =
    pattern.test(text) && (rule.min === undefined || n >= rule.min) && (rule.max === undefined || n <= rule.max);
  if (!fits) throw new CliError(`${flag} must be ${ruleText(rule)}, not "${value}"`);
  return n;
}

/** The same for an optional flag: `fallback` when it was not given. */
export function numberFlag(flag: string, value: string | undefined, rule: NumberRule, fallback: number): number;
export function numberFlag(flag: string, value: string | undefined, rule?: NumberRule): number | undefined;
export function numberFlag(
  flag: string,
  value: string | undefined,
  rule: NumberRule = {},
  fallback?: number,
): number | undefined {
  return value === undefined ? fallback : parseNumber(flag, value, rule);
}

/** A commander argument parser for `flag` (used where commander holds the default, e.g. `web --port`). */
export function numberOption(flag: string, rule: NumberRule): (value: string) => number {
  return (value) => parseNumber(flag, value, rule);
}
