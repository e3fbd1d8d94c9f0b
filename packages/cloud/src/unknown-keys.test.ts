import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { findUnknownKeys, isExtensionKey } from './unknown-keys.js';

const schema = z.object({
  nodes: z.array(z.object({ host: z.string(), memory_mb: z.number() })).default([]),
  flavor: z.union([z.string(), z.object({ vcpus: z.number() })]).optional(),
  metadata: z.record(z.string(), z.object({ a: z.number() })).optional(),
  group: z
    .object({ hosts: z.array(z.string()) })
    .nullable()
    .optional(),
});

describe('findUnknownKeys', () => {
  it('reports unknown keys at any depth with a suggestion', () => {
    const issues = findUnknownKeys(schema, {
      nodes: [
        { host: 'a', memory_mb: 1 },
        { host: 'b', memroy_mb: 1 },
      ],
      nodez: [],
    });
    expect(issues).toEqual([
      {
        path: ['nodes', 1, 'memroy_mb'],
        message: 'unknown key "memroy_mb". Did you mean "memory_mb"?',
      },
      { path: ['nodez'], message: 'unknown key "nodez". Did you mean "nodes"?' },
    ]);
  });
  it('lists the known keys when nothing is near', () => {
    const [issue] = findUnknownKeys(schema, { zzz: 1 });
    expect(issue?.message).toBe(
      'unknown key "zzz"; known keys: nodes, flavor, metadata, group (prefix a note with "x-")',
    );
  });
  it('allows x- and _comment notes', () => {
    expect(isExtensionKey('x-name')).toBe(true);
    expect(isExtensionKey('_comment2')).toBe(true);
    expect(isExtensionKey('comment')).toBe(false);
    expect(findUnknownKeys(schema, { 'x-a': 1, _comment: 'hi', nodes: [{ 'x-b': 2 }] })).toEqual(
      [],
    );
  });
  it('follows the union branch that takes objects, records and nullable fields', () => {
    expect(
      findUnknownKeys(schema, {
        flavor: { vcpu: 1 },
        metadata: { k: { b: 1 } },
        group: { host: [] },
      }).map((i) => i.path),
    ).toEqual([
      ['flavor', 'vcpu'],
      ['metadata', 'k', 'b'],
      ['group', 'host'],
    ]);
    expect(findUnknownKeys(schema, { flavor: 'm1.small', group: null })).toEqual([]);
  });
  it('ignores values of the wrong type (zod reports those)', () => {
    expect(findUnknownKeys(schema, { nodes: 'x', metadata: [], flavor: 3 })).toEqual([]);
    expect(findUnknownKeys(schema, [1])).toEqual([]);
  });
});
