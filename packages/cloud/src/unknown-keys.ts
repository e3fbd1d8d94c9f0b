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
 * Every key of `value` that `schema` does not declare (objects are strict in
 * these formats, but for extension keys), as issues with their paths and a
 * suggestion. Walks the value once; the schema's structure is resolved once
 * per schema node, and paths are built only for the keys reported.
 */
export function findUnknownKeys(
  schema: z.core.SomeType,
  value: unknown,
  path: PathSegment[] = [],
  out: PathIssue[] = [],
): PathIssue[] {
  walk(schema, value, [...path], out);
  return out;
}

type Node =
  | { kind: 'object'; shape: Record<string, z.core.SomeType>; known: string[] }
  | { kind: 'array'; element: z.core.SomeType }
  | { kind: 'record'; value: z.core.SomeType }
  | { kind: 'union'; object: z.core.SomeType | undefined; array: z.core.SomeType | undefined }
  | { kind: 'leaf' };

const nodes = new WeakMap<z.core.SomeType, Node>();

function nodeOf(schema: z.core.SomeType): Node {
  const cached = nodes.get(schema);
  if (cached !== undefined) return cached;
  const s = unwrap(schema);
  let node: Node;
  if (s instanceof z.ZodUnion) {
    node = { kind: 'union', object: unionOption(s, 'object'), array: unionOption(s, 'array') };
  } else if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, z.core.SomeType>;
    node = { kind: 'object', shape, known: Object.keys(shape) };
  } else if (s instanceof z.ZodArray) {
    node = { kind: 'array', element: s.element };
  } else if (s instanceof z.ZodRecord) {
    node = { kind: 'record', value: s.valueType };
  } else {
    node = { kind: 'leaf' };
  }
  nodes.set(schema, node);
  return node;
}

/** `path` is a stack: pushed and popped around each child, copied only into an issue. */
function walk(
  schema: z.core.SomeType,
  value: unknown,
  path: PathSegment[],
  out: PathIssue[],
): void {
  let node = nodeOf(schema);
  if (node.kind === 'union') {
    const option = Array.isArray(value)
      ? node.array
      : isPlainObject(value)
        ? node.object
        : undefined;
    if (option === undefined) return;
    node = nodeOf(option);
  }
  if (node.kind === 'leaf' || node.kind === 'union') return;
  if (node.kind === 'array') {
    if (!Array.isArray(value)) return;
    const element = node.element;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(element, value[i], path, out);
      path.pop();
    }
    return;
  }
  if (!isPlainObject(value)) return;
  if (node.kind === 'record') {
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      path.push(key);
      walk(node.value, value[key], path, out);
      path.pop();
    }
    return;
  }
  const { shape, known } = node;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const childSchema = Object.prototype.hasOwnProperty.call(shape, key) ? shape[key] : undefined;
    path.push(key);
    if (childSchema !== undefined) {
      walk(childSchema, value[key], path, out);
    } else if (!isExtensionKey(key)) {
      const near = didYouMean(key, known);
      const message =
        near !== ''
          ? `unknown key "${key}".${near}`
          : `unknown key "${key}"; known keys: ${known.join(', ')} (prefix a note with "x-")`;
      out.push({ path: [...path], message });
    }
    path.pop();
  }
}
