import { describe, expect, it } from 'vitest';
import { cloudJsonSchema, requestJsonSchema } from './json-schema.js';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema> };

describe('cloudJsonSchema', () => {
  const schema = cloudJsonSchema() as Schema;

  it('is a titled draft 2020-12 schema requiring nodes', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['title']).toBe('opie cloud');
    expect(schema['required']).toEqual(['nodes']);
  });

  it('makes objects strict but allows x- and _comment notes', () => {
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['patternProperties']).toEqual({ '^x-': {}, '^_comment': {} });
    const node = (schema.properties!['nodes'] as Schema)['items'] as Schema;
    expect(node['additionalProperties']).toBe(false);
    expect(node['required']).toEqual(['host', 'memory_mb', 'local_gb', 'vcpus']);
  });

  it('documents fields, defaults and integer types without safe-integer noise', () => {
    const defaults = schema.properties!['defaults']!;
    expect(defaults.properties!['reserved_host_memory_mb']).toEqual({
      default: 512,
      description:
        'Memory reserved for the host on every node ([DEFAULT] reserved_host_memory_mb).',
      type: 'integer',
      minimum: 0,
    });
    const freeRam = ((schema.properties!['nodes'] as Schema)['items'] as Schema).properties![
      'free_ram_mb'
    ]!;
    expect(freeRam).toEqual({
      type: 'integer',
      description: 'Free RAM in MB (may be negative); default memory_mb - memory_mb_used.',
    });
  });
});

describe('requestJsonSchema', () => {
  it('requires a flavor given by reference or inline', () => {
    const schema = requestJsonSchema() as Schema;
    expect(schema['title']).toBe('opie request');
    expect(schema['required']).toEqual(['flavor']);
    const flavor = schema.properties!['flavor']!;
    expect((flavor['anyOf'] as Schema[]).map((s) => s['type'])).toEqual([
      'string',
      'integer',
      'object',
    ]);
  });
});
