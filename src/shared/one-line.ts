/**
 * Messages are one sentence on one line (the CLI prints them after "fedmem:", the UI in a banner), so
 * anything a user typed that ends up in one (an id, a key, a value, a JSON snippet) is flattened and
 * cut here: a line break in a run id must not start a fake second line, a 1 MB key must not fill a terminal.
 */

/** The longest message shown for one failure. */
export const MESSAGE_MAX = 1000;

/**
 * Every run of whitespace or control characters becomes one space; past `max` characters the text is cut with an
 * ellipsis.
 */
export function oneLine(text: string, max = MESSAGE_MAX): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A value the user gave, in quotes for a message: escaped as JSON (no line breaks) and cut to `max` characters. */
export function quoted(text: string, max = 40): string {
  const json = JSON.stringify(text.slice(0, max))
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return text.length > max ? `${json.slice(0, -1)}…"` : json;
}

/** At most `max` items joined with `sep`, then "and N more" (a hostile input can name thousands). */
export function listSome(items: string[], max: number, sep = ', ', more = (n: number) => `and ${n} more`): string {
  return items.length > max ? `${items.slice(0, max).join(sep)}${sep}${more(items.length - max)}` : items.join(sep);
}
