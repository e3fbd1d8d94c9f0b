import type { z } from 'zod';
import { describeValue } from './describe-value.js';
import type { PathSegment } from './json-path.js';
import type { PathIssue } from './path-issue.js';

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'an object',
  record: 'an object',
};

/**
 * The error map used for every parse: messages for the checks that carry no
 * message of their own (lists, maps, tuples).
 */
export function fallbackErrorMap(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type': {
      const what = NOUNS[iss.expected] ?? iss.expected;
      if (iss.input === undefined) return `missing: give ${what}`;
      return `expected ${what}, got ${describeValue(iss.input)}`;
    }
    case 'too_small':
      if (iss.origin === 'array') return `expected at least ${iss.minimum} items`;
      if (iss.origin === 'string') return 'expected a non-empty string, got an empty string';
      return undefined;
    case 'too_big':
      if (iss.origin === 'array') return `expected at most ${iss.maximum} items`;
      return undefined;
    default:
      return undefined;
  }
}

/** A branch of a union that failed only because the value has another JSON type. */
function isTypeMismatch(branch: readonly z.core.$ZodIssue[]): boolean {
  if (branch.length !== 1) return false;
  const issue = branch[0]!;
  if (issue.path.length > 0) return false;
  if (issue.code === 'invalid_type') return true;
  return issue.code === 'invalid_union' && issue.errors.every(isTypeMismatch);
}

/**
 * Converts zod issues into path issues. A failed union whose value matched
 * exactly one branch by JSON type (an inline flavor object with a bad field)
 * reports that branch's own issues, with their deeper paths.
 */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PathSegment[] = [],
): PathIssue[] {
  const out: PathIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const matching = issue.errors.filter((b) => !isTypeMismatch(b));
      if (matching.length === 1) {
        out.push(...fromZodIssues(matching[0]!, path));
        continue;
      }
    }
    out.push({ path, message: issue.message });
  }
  return out;
}
