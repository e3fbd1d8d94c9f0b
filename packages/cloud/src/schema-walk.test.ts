import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { childSchema, objectKeys, schemaAt, unwrap } from './schema-walk.js';

const pair = z.tuple([z.string(), z.number()]);
const inline = z.object({ memory_mb: z.number(), pairs: z.array(pair) });
const schema = z.object({
  flavor: z.union([z.string(), inline]).optional(),
  meta: z.record(z.string(), z.boolean()).default({}),
});

describe('schema walking', () => {
  it('unwraps optional, nullable and default wrappers', () => {
    const inner = z.string();
    expect(unwrap(inner.nullable().optional().default('x'))).toBe(inner);
  });
  it('follows objects, union options, arrays, tuples and records', () => {
    expect(schemaAt(schema, ['flavor', 'memory_mb'])).toBe(inline.shape.memory_mb);
    expect(schemaAt(schema, ['flavor', 'pairs', 0, 1])).toBe(pair.def.items[1]);
    expect(childSchema(schema.shape.meta, 'anything')).toBeInstanceOf(z.ZodBoolean);
    expect(schemaAt(schema, ['flavor', 0])).toBeUndefined();
    expect(schemaAt(schema, ['nope', 'deeper'])).toBeUndefined();
    expect(childSchema(z.string(), 0)).toBeUndefined();
    expect(childSchema(z.string(), 'k')).toBeUndefined();
  });
  it('lists the keys of an object (or of the object option of a union)', () => {
    expect(objectKeys(schema)).toEqual(['flavor', 'meta']);
    expect(objectKeys(schema.shape.flavor)).toEqual(['memory_mb', 'pairs']);
    expect(objectKeys(z.union([z.string(), z.number()]))).toEqual([]);
    expect(objectKeys(z.string())).toEqual([]);
  });
});
