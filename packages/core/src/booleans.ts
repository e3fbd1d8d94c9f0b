/**
 * Strict boolean parsing. opie treated any non-empty string as true, so the
 * string "false" made a server preemptible (docs/nova-and-opie-notes.md, what marks a request preemptible); here
 * only the listed spellings are accepted and anything else is rejected.
 */

const TRUE_WORDS = new Set(['true', '1', 'on', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'off', 'no']);

/**
 * oslo.config `BoolOpt` conversion: case-insensitive `true/1/on/yes` and
 * `false/0/off/no`; anything else is `undefined` (an error for the caller).
 * @see oslo_config/types.py Boolean
 */
export function parseOsloBoolean(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}

/**
 * nova's API boolean: JSON `true`/`false`, or one of the strings nova's
 * `parameter_types.boolean` accepts (case variants of true/false, 1/0,
 * on/off, yes/no). Returns `undefined` for anything else.
 * @see nova/api/validation/parameter_types.py boolean
 */
export function parseApiBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  return parseOsloBoolean(value);
}

/** Whether a `system_metadata` / hint value marks something preemptible. */
function markValue(value: unknown): boolean {
  if (Array.isArray(value)) {
    // opie HEAD sends the hint as a one-element list; an empty list is *not*
    // preemptible (opie counted it as preemptible, bug 12).
    return value.length > 0 && value.every((v) => parseApiBoolean(v) === true);
  }
  return parseApiBoolean(value) === true;
}

/** An instance is preemptible when marked so, explicitly or in its system metadata. */
export function isPreemptibleInstance(instance: {
  preemptible?: boolean;
  systemMetadata?: Record<string, string>;
}): boolean {
  if (instance.preemptible !== undefined) return instance.preemptible;
  return markValue(instance.systemMetadata?.['preemptible']);
}

/**
 * A request is preemptible when its spec says so, its instance system
 * metadata is marked, or its `preemptible` scheduler hint is true (both
 * opie signals, docs/nova-and-opie-notes.md, what marks a request preemptible, parsed strictly).
 */
export function isPreemptibleRequest(spec: {
  preemptible?: boolean;
  systemMetadata?: Record<string, string>;
  schedulerHints?: Record<string, unknown>;
}): boolean {
  if (spec.preemptible !== undefined) return spec.preemptible;
  if (markValue(spec.systemMetadata?.['preemptible'])) return true;
  const hint = spec.schedulerHints?.['preemptible'];
  return hint !== undefined && markValue(hint);
}
