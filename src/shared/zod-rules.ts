/**
 * Schema building blocks every config section shares, so each rule and its message is written once,
 * and the plain words for zod's own issues (a wrong type, an unknown option, a bound written without a
 * message): a form says "must be a whole number", never "expected int, received number".
 */
import { z } from 'zod';
import { listSome, quoted } from './one-line';

/** A whole number of at least `min`. The "must be a whole number (got 1.5)" message comes from plainMessage. */
export const int = (min: number) => z.number().int().min(min, `must be at least ${min}`);

/** A whole number from `min` to `max` (`max` written with thousands separators in the message). */
export const intUpTo = (min: number, max: number) =>
  int(min).max(max, `must be at most ${max.toLocaleString('en-US')}`);

/** Zod's type names in plain words, as a form would say them. */
const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  bigint: 'a whole number',
  number: 'a number',
  nan: 'not a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  set: 'a list',
  object: 'an object',
  record: 'an object',
  map: 'an object',
  date: 'a date',
  null: 'empty',
  undefined: 'left out',
  never: 'left out',
};

const typeWords = (expected: string): string =>
  Object.hasOwn(TYPE_WORDS, expected) ? TYPE_WORDS[expected] : 'a value of another kind';

/** What a wrong value was, briefly: `"abc"`, `1.5`, `a list`. */
export function describeValue(input: unknown): string {
  if (input === null) return 'empty';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'number') return Number.isInteger(input) ? 'a whole number' : `${input}`;
  if (typeof input === 'string') return input === '' ? 'empty text' : quoted(input, 20);
  if (typeof input === 'boolean') return String(input);
  if (typeof input === 'object') return 'an object';
  return typeof input;
}

const listed = (values: readonly unknown[]): string =>
  values.map((v) => (typeof v === 'string' ? v : String(v))).join(', ');

const count = (n: number | bigint, one: string) => `${n} ${one}${Number(n) === 1 ? '' : 's'}`;

/** The plain message for one zod issue (raw, inside an error map, or final with `reportInput`). */
export function plainMessage(issue: z.core.$ZodRawIssue | z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${typeWords(issue.expected)} (got ${describeValue(issue.input)})`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${listed(issue.values)}` : `must be one of: ${listed(issue.values)}`;
    case 'invalid_union': {
      // A discriminated union whose tag matches no member (zod adds the tags it knows as `options`).
      const tagged = issue as { note?: string; options?: unknown; discriminator?: string };
      if (tagged.note === 'No matching discriminator' && Array.isArray(tagged.options)) {
        const key = tagged.discriminator;
        const given =
          key !== undefined && issue.input && typeof issue.input === 'object'
            ? (issue.input as Record<string, unknown>)[key]
            : issue.input;
        return given === undefined
          ? `is required (one of: ${listed(tagged.options)})`
          : `must be one of: ${listed(tagged.options)}`;
      }
      if (issue.inclusive === false) return 'matches more than one of the allowed forms';
      return issue.input === undefined
        ? 'is not a valid value'
        : `is not a valid value (got ${describeValue(issue.input)})`;
    }
    case 'too_big': {
      const at = issue.inclusive ? 'at most' : 'less than';
      if (issue.origin === 'array' || issue.origin === 'set') return `must have ${at} ${count(issue.maximum, 'item')}`;
      if (issue.origin === 'string') return `must be ${at} ${count(issue.maximum, 'character')}`;
      // A whole number past 2^53 fails `.int()` as too big; the field's own bound says the useful limit.
      if (Number(issue.maximum) === Number.MAX_SAFE_INTEGER) return 'is too large';
      return `must be ${at} ${issue.maximum.toString()}`;
    }
    case 'too_small': {
      if (
        (issue.origin === 'array' || issue.origin === 'set' || issue.origin === 'string') &&
        Number(issue.minimum) === 1
      )
        return 'must not be empty';
      const at = issue.inclusive ? 'at least' : 'more than';
      if (issue.origin === 'array' || issue.origin === 'set') return `must have ${at} ${count(issue.minimum, 'item')}`;
      if (issue.origin === 'string') return `must be ${at} ${count(issue.minimum, 'character')}`;
      return issue.inclusive
        ? `must be at least ${issue.minimum.toString()}`
        : `must be greater than ${issue.minimum.toString()}`;
    }
    case 'invalid_format':
      return issue.format === 'regex' ? 'is not in the expected form' : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor.toString()}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${listSome(
        issue.keys.map((k) => quoted(k)),
        5,
      )}`;
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has an entry that is not allowed';
    default:
      return issue.message ?? 'is not valid';
  }
}

/**
 * Pass as `safeParse(input, { error: plainErrors })`: zod asks it only for issues whose schema wrote no
 * message of its own, so the rules' own words ("must be at least 1") win and the rest read plainly.
 */
export const plainErrors: z.core.$ZodErrorMap = (issue) => plainMessage(issue);

/** Options for every user-facing parse: plain messages, and the offending input kept for them. */
export const PLAIN_PARSE = { reportInput: true, error: plainErrors } as const;
