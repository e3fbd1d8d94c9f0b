import { z } from 'zod';
import type { PathSegment } from './json-path.js';
import type { PathIssue } from './path-issue.js';
import { unionOption, unwrap } from './schema-walk.js';
import { didYouMean } from './suggest.js';

/** Keys every object of the formats may carry as notes: `x-...` and `_comment...`. */
export function isExtensionKey(key: string): boolean {
  return key.startsWith('x-') || key.startsWith('_comment');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reports keys of `value` that `schema`'s objects do not declare, with a
 * "did you mean" when a declared key is near. zod's objects strip unknown keys
 * silently; the formats are strict, so this walk finds them on the raw input.
 * Notes (`x-...`, `_comment...`) are allowed everywhere.
 */
export function findUnknownKeys(
  schema: z.core.SomeType,
  value: unknown,
  path: PathSegment[] = [],
  out: PathIssue[] = [],
): PathIssue[] {
  let s = unwrap(schema);
  if (s instanceof z.ZodUnion) {
    const kind = Array.isArray(value) ? 'array' : isPlainObject(value) ? 'object' : undefined;
    const option = kind === undefined ? undefined : unionOption(s, kind);
    if (option === undefined) return out;
    s = unwrap(option);
  }
  if (s instanceof z.ZodObject) {
    if (!isPlainObject(value)) return out;
    const shape = s.shape as Record<string, z.core.SomeType>;
    const known = Object.keys(shape);
    for (const [key, child] of Object.entries(value)) {
      const childSchema = shape[key];
      if (childSchema !== undefined) {
        findUnknownKeys(childSchema, child, [...path, key], out);
      } else if (!isExtensionKey(key)) {
        const near = didYouMean(key, known);
        const message =
          near !== ''
            ? `unknown key "${key}".${near}`
            : `unknown key "${key}"; known keys: ${known.join(', ')} (prefix a note with "x-")`;
        out.push({ path: [...path, key], message });
      }
    }
  } else if (s instanceof z.ZodArray) {
    if (!Array.isArray(value)) return out;
    const element = s.element as z.core.SomeType;
    value.forEach((item, i) => findUnknownKeys(element, item, [...path, i], out));
  } else if (s instanceof z.ZodRecord) {
    if (!isPlainObject(value)) return out;
    const valueType = s.valueType as z.core.SomeType;
    for (const [key, child] of Object.entries(value)) {
      findUnknownKeys(valueType, child, [...path, key], out);
    }
  }
  return out;
}
