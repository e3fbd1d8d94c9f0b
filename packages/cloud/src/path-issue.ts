import type { InputIssue } from '@opie/core';
import type { z } from 'zod';
import { comparePaths, jsonPath } from './json-path.js';
import type { PathSegment } from './json-path.js';
import { objectKeys, schemaAt } from './schema-walk.js';

/** A problem at a path, before formatting. */
export interface PathIssue {
  path: PathSegment[];
  message: string;
}

/**
 * Sorts issues into document order (fields in the order `schema` declares
 * them, unknown keys last) and formats their paths (`$.nodes[3].memory_mb`).
 */
export function toInputIssues(
  issues: readonly PathIssue[],
  schema?: z.core.SomeType,
): InputIssue[] {
  const rank =
    schema === undefined
      ? undefined
      : (prefix: readonly PathSegment[], key: string) => {
          const at = schemaAt(schema, prefix);
          const i = at === undefined ? -1 : objectKeys(at).indexOf(key);
          return i < 0 ? Infinity : i;
        };
  return [...issues]
    .sort((a, b) => comparePaths(a.path, b.path, rank))
    .map((i) => ({ path: jsonPath(i.path), message: i.message }));
}
