/**
 * Keys that name JavaScript's object machinery rather than data (issue 24). A path or key that comes
 * from input (a study axis path, a config file, a request body) and is used to step into or write an
 * object would otherwise reach `Object.prototype`: `o["__proto__"]` is the prototype itself, and
 * `o.constructor.prototype` is too. Writing there changes every object in the process (a study axis
 * `__proto__.NODE_OPTIONS` once made the next forked engine run the caller's code). So these keys are
 * refused wherever input is walked, and walkers read own properties only.
 */

/** The three keys no config, study or request may use: none of ours is named so. */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'prototype', 'constructor'];

export const isReservedKey = (key: string): boolean => RESERVED_KEYS.includes(key);

/** The rule every refusal states, after the path or field that holds the key. */
export const reservedKeyRule = (key: string): string =>
  `"${key}" is not allowed as a key (${RESERVED_KEYS.join(', ')} name JavaScript's object machinery, not settings)`;

/** `o[key]` when `key` is the object's own property; undefined otherwise (never an inherited value). */
export function ownValue(o: object, key: string): unknown {
  return Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

/** A key as a path shows it: quoted and escaped where it holds a line break or another control character. */
function spellKey(key: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(key) ? JSON.stringify(key) : key;
}

/**
 * The path (`a.b.0.__proto__`) of a reserved own key anywhere in a JSON-like value, or null.
 * Iterative, and paths are spelled only for the key found, so a hostile 100,000-deep document costs
 * neither stack nor quadratic memory. JSON.parse makes `"__proto__"` an own key: exactly what this finds.
 */
export function findReservedKey(value: unknown): { path: string; key: string } | null {
  interface Step {
    node: object;
    key: string | null;
    up: Step | null;
  }
  const pathOf = (step: Step, last: string) => {
    const keys = [last];
    for (let s: Step | null = step; s?.key != null; s = s.up) keys.push(spellKey(s.key));
    return keys.reverse().join('.');
  };
  const isNode = (v: unknown): v is object => v !== null && typeof v === 'object';
  if (!isNode(value)) return null;
  const stack: Step[] = [{ node: value, key: null, up: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const entries: [string, unknown][] = Array.isArray(step.node)
      ? step.node.flatMap((item, i) => (isNode(item) ? [[String(i), item] as [string, unknown]] : []))
      : Object.entries(step.node);
    for (const [key, child] of entries) {
      if (!Array.isArray(step.node) && isReservedKey(key)) return { path: pathOf(step, key), key };
      if (isNode(child)) stack.push({ node: child, key, up: step });
    }
  }
  return null;
}

/** "a.b.__proto__: \"__proto__\" is not allowed as a key (...)" for the first such key in `value`, or null. */
export function reservedKeyProblem(value: unknown): string | null {
  const found = findReservedKey(value);
  return found && `${found.path}: ${reservedKeyRule(found.key)}`;
}
