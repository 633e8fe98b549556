// Dotted paths into JSON documents ("message.sendResults.0.resultCode"): building a request, reading an answer.

/**
 * The value at a dotted path; a step of digits indexes an array ("sendResults.0"). Undefined when any step is
 * missing, so an answer of another shape reads as "absent", never as something else.
 */
export function readAtPath(document: unknown, path: string): unknown {
  let current: unknown = document;
  for (const step of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(step)) return undefined;
      current = current[Number(step)];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, step)) {
      current = (current as Record<string, unknown>)[step];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Puts a value at a dotted path, creating the objects on the way; a second value on one spot is a fault. */
export function writeAtPath(document: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.');
  const last = steps.pop() ?? path;
  let current = document;
  for (const step of steps) {
    const next = Object.hasOwn(current, step) ? current[step] : undefined;
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      define(current, step, created);
      current = created;
    } else if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      current = next as Record<string, unknown>;
    } else {
      throw new Error(`Two fields are put at "${path}"`);
    }
  }
  if (Object.hasOwn(current, last)) throw new Error(`Two fields are put at "${path}"`);
  define(current, last, value);
}

/** defineProperty: a step named "__proto__" becomes a field, not a prototype. */
function define(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
