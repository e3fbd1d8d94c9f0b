import { z } from 'zod';
import type { PathSegment } from './json-path.js';

/** The schema inside optional / nullable / default wrappers. */
export function unwrap(schema: z.core.SomeType): z.core.SomeType {
  let s = schema;
  while (
    s instanceof z.ZodOptional ||
    s instanceof z.ZodNullable ||
    s instanceof z.ZodDefault ||
    s instanceof z.ZodPrefault
  ) {
    s = s.unwrap();
  }
  return s;
}

/** The option of a union that takes values of this JSON kind (object or list). */
export function unionOption(
  schema: z.ZodUnion,
  kind: 'object' | 'array',
): z.core.SomeType | undefined {
  return (schema.options as readonly z.core.SomeType[]).find((o) => {
    const u = unwrap(o);
    return kind === 'array'
      ? u instanceof z.ZodArray || u instanceof z.ZodTuple
      : u instanceof z.ZodObject || u instanceof z.ZodRecord;
  });
}

/** The schema of the value at `segment` below `schema`, if the schema says. */
export function childSchema(
  schema: z.core.SomeType,
  segment: PathSegment,
): z.core.SomeType | undefined {
  let s = unwrap(schema);
  if (s instanceof z.ZodUnion) {
    const option = unionOption(s, typeof segment === 'number' ? 'array' : 'object');
    if (option === undefined) return undefined;
    s = unwrap(option);
  }
  if (typeof segment === 'number') {
    if (s instanceof z.ZodArray) return s.element;
    if (s instanceof z.ZodTuple) return (s.def.items as readonly z.core.SomeType[])[segment];
    return undefined;
  }
  if (s instanceof z.ZodObject) return (s.shape as Record<string, z.core.SomeType>)[segment];
  if (s instanceof z.ZodRecord) return s.valueType;
  return undefined;
}

/** The schema at `path` below `schema`. */
export function schemaAt(
  schema: z.core.SomeType,
  path: readonly PathSegment[],
): z.core.SomeType | undefined {
  let s: z.core.SomeType | undefined = schema;
  for (const segment of path) {
    if (s === undefined) return undefined;
    s = childSchema(s, segment);
  }
  return s;
}

/** The keys an object schema declares (the object option of a union), in order. */
export function objectKeys(schema: z.core.SomeType): string[] {
  let s = unwrap(schema);
  if (s instanceof z.ZodUnion) {
    const option = unionOption(s, 'object');
    if (option === undefined) return [];
    s = unwrap(option);
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}
