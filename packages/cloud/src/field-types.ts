/**
 * zod building blocks for the file formats. Each carries its own error
 * message ("expected a number of MB, got the string \"4G\" (write 4096)"),
 * so a user reads what would fix the file, not zod's generic wording.
 */
import { z } from 'zod';
import { parseApiBoolean } from '@opie/core';
import { describeValue } from './describe-value.js';
import { isTimeString } from './parse-time.js';

type RawIssue = z.core.$ZodRawIssue;

/** An error function: "missing: give X" or "expected X, got Y" plus an optional hint. */
export function expected(what: string, hint?: (input: unknown) => string) {
  return (iss: RawIssue): string => {
    if (iss.input === undefined) return `missing: give ${what}`;
    const extra = hint?.(iss.input) ?? '';
    return `expected ${what}, got ${describeValue(iss.input)}${extra}`;
  };
}

const UNIT_FACTORS: Record<'MB' | 'GB', Record<string, number>> = {
  MB: { k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 },
  GB: { m: 1 / 1024, g: 1, t: 1024 },
};

/** For `"4G"` in an MB field: ` (write 4096)`; for `"4096"`: ` (write 4096 without quotes)`. */
export function sizeHint(unit: 'MB' | 'GB'): (input: unknown) => string {
  return (input) => {
    if (typeof input !== 'string') return '';
    const s = input.trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) return ` (write ${s} without quotes)`;
    const m = /^(\d+(?:\.\d+)?)\s*([kmgt])(?:i?b)?$/i.exec(s);
    if (m === null) return '';
    const factor = UNIT_FACTORS[unit][m[2]!.toLowerCase()];
    if (factor === undefined) return '';
    const n = Number(m[1]) * factor;
    return Number.isInteger(n) ? ` (write ${n})` : '';
  };
}

/** A whole number of `unit` (`MB`, `GB`, `vCPUs`, ...), at least `min` unless `signed`. */
export function quantity(unit: string, options: { min?: number; signed?: boolean } = {}) {
  const what = `a number of ${unit}`;
  const hint = unit === 'MB' || unit === 'GB' ? sizeHint(unit) : undefined;
  const base = z
    .number({ error: expected(what, hint) })
    .int({ error: (iss) => `expected a whole number of ${unit}, got ${describeValue(iss.input)}` });
  if (options.signed === true) return base;
  const min = options.min ?? 0;
  return base.min(min, {
    error: (iss) => `expected at least ${min} ${unit}, got ${describeValue(iss.input)}`,
  });
}

/** A whole number, at least `min`. */
export function wholeNumber(what: string, min: number) {
  return z
    .number({ error: expected(what) })
    .int({ error: (iss) => `expected ${what}, got ${describeValue(iss.input)}` })
    .min(min, { error: (iss) => `expected ${what}, got ${describeValue(iss.input)}` });
}

/** A number >= 0 (allocation ratios). */
export function nonNegativeNumber(what: string) {
  return z
    .number({ error: expected(what) })
    .min(0, { error: (iss) => `expected ${what}, got ${describeValue(iss.input)}` });
}

/** Any finite number (priorities, metric values). */
export function anyNumber(what: string) {
  return z.number({ error: expected(what) });
}

/** A non-empty string. */
export function text(what = 'a non-empty string') {
  return z
    .string({ error: expected(what) })
    .min(1, { error: `expected ${what}, got an empty string` });
}

/** A list of non-empty strings. */
export function textList(what: string) {
  return z.array(text(what), { error: expected(`a list of ${what}s`) });
}

/** A JSON boolean (no strings). */
export function flag() {
  return z.boolean({ error: expected('true or false') });
}

/** An ISO 8601 time or epoch milliseconds. */
export function time() {
  const what = 'an ISO 8601 time (e.g. "2024-03-05T12:00:00Z") or epoch milliseconds';
  return z
    .union(
      [
        z.string().refine(isTimeString, {
          error: (iss) => `expected ${what}, got ${describeValue(iss.input)}`,
        }),
        z.number(),
      ],
      { error: expected(what) },
    )
    .describe('An ISO 8601 time (UTC when no zone is given) or epoch milliseconds.');
}

/** A flavor / image id: a non-empty string or an integer. */
export function idValue(what: string) {
  return z.union([z.string().min(1), z.number().int()], {
    error: expected(`${what} (a string or an integer)`),
  });
}

/** A value of a string map: strings, or numbers/booleans that are stringified. */
export function mapValue() {
  return z.union([z.string(), z.number(), z.boolean()], {
    error: expected('a string (numbers and booleans are converted)'),
  });
}

/** A map of strings (metadata, extra specs, properties, stats). */
export function stringMap(what: string) {
  return z.record(z.string(), mapValue(), { error: expected(`${what} (an object of strings)`) });
}

/** Writes a map value as nova stores it: numbers as JSON prints them, booleans as `True`/`False`. */
export function stringifyValue(value: string | number | boolean): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** Stringifies every value of a map. */
export function toStringMap(map: Readonly<Record<string, string | number | boolean>>) {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[k] = stringifyValue(v);
  return out;
}

const BOOLEAN_WORDS = 'true/false, 1/0, on/off or yes/no';

/**
 * nova's API boolean, parsed strictly: JSON `true`/`false` or one of the
 * strings nova accepts (any case). `"false"` is false; `"maybe"` is an error.
 */
export function apiBoolean() {
  return z
    .union(
      [
        z.boolean(),
        z.string().refine((s) => parseApiBoolean(s) !== undefined, {
          error: (iss) => `expected a boolean (${BOOLEAN_WORDS}), got ${describeValue(iss.input)}`,
        }),
      ],
      { error: expected(`a boolean (${BOOLEAN_WORDS})`) },
    )
    .describe(`true or false; the strings ${BOOLEAN_WORDS} (any case) are accepted too.`);
}

/** An enum with a "did you mean" error. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (iss) =>
      `expected ${what} (one of ${values.join(', ')}), got ${describeValue(iss.input)}`,
  });
}
