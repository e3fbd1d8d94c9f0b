import { z } from 'zod';
import type { PathIssue } from './path-issue.js';
import { unwrap } from './schema-walk.js';
import { validate } from './validate-document.js';

/** A list element that passed validation, with its position in the file. */
export interface Item<T> {
  index: number;
  value: T;
}

/** A list section: its valid elements, and whether every element was valid. */
export interface Section<T> {
  items: Item<T>[];
  complete: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Wraps a valid list as a complete section. */
export function completeSection<T>(list: readonly T[]): Section<T> {
  return { items: list.map((value, index) => ({ index, value })), complete: true };
}

/**
 * Validates a whole document and, when that fails, recovers what is valid so
 * cross-checks can still run and every problem is reported in one go: each
 * top-level field is read on its own and each list element by itself.
 * `issues` receives the problems of the whole document.
 */
export function readDocument<S extends z.ZodObject>(
  schema: S,
  input: unknown,
  issues: PathIssue[],
):
  | { whole: z.output<S> }
  | { parts: Record<string, unknown>; lists: Record<string, Section<unknown>> } {
  const result = validate(schema, input);
  if (result.ok) return { whole: result.value };
  issues.push(...result.issues);
  const parts: Record<string, unknown> = {};
  const lists: Record<string, Section<unknown>> = {};
  const raw = isPlainObject(input) ? input : {};
  const shape: Record<string, z.ZodType> = schema.shape;
  for (const [key, fieldSchema] of Object.entries(shape)) {
    const value = raw[key];
    const element = arrayElement(fieldSchema);
    if (element !== undefined && Array.isArray(value)) {
      const items: Item<unknown>[] = [];
      value.forEach((v, index) => {
        const r = element.safeParse(v);
        if (r.success) items.push({ index, value: r.data });
      });
      lists[key] = { items, complete: items.length === value.length };
      continue;
    }
    const r = fieldSchema.safeParse(value);
    if (r.success) parts[key] = r.data;
    if (element !== undefined) {
      // An absent list is complete (empty or defaulted); a non-list is not.
      lists[key] = r.success
        ? completeSection(Array.isArray(r.data) ? (r.data as unknown[]) : [])
        : { items: [], complete: false };
    }
  }
  return { parts, lists };
}

/** The element schema of a (possibly defaulted) array field. */
function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  const s = unwrap(schema);
  return s instanceof z.ZodArray ? (s.element as z.ZodType) : undefined;
}
