import type { z } from 'zod';
import type { PathSegment } from './json-path.js';
import type { PathIssue } from './path-issue.js';
import { findUnknownKeys } from './unknown-keys.js';
import { fallbackErrorMap, fromZodIssues } from './zod-issues.js';

/** The result of validating a value against a schema: the value, or the issues. */
export type Validated<T> = { ok: true; value: T } | { ok: false; issues: PathIssue[] };

/**
 * Validates `input` against `schema`: zod's checks plus the strict-keys walk.
 * Issues carry paths below `base`.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  base: PathSegment[] = [],
): Validated<z.output<S>> {
  const result = schema.safeParse(input, { error: fallbackErrorMap });
  const issues = result.success ? [] : fromZodIssues(result.error.issues, base);
  findUnknownKeys(schema, input, base, issues);
  if (result.success && issues.length === 0) return { ok: true, value: result.data };
  return { ok: false, issues };
}
