import { makeHost } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { compileJsonQuery, evaluateJsonQuery } from './json-query.js';

describe('compileJsonQuery / evaluateJsonQuery', () => {
  it('compiles a query once and evaluates it per host', () => {
    const q = compileJsonQuery('["and", [">=", "$free_ram_mb", 512], ["=", "$host", "a", "a"]]');
    expect(q.ok).toBe(true);
    expect(evaluateJsonQuery(q, makeHost({ host: 'a', freeRamMb: 512 }))).toBe(true);
    expect(evaluateJsonQuery(q, makeHost({ host: 'b', freeRamMb: 512 }))).toBe(false);
    expect(evaluateJsonQuery(q, makeHost({ host: 'a', freeRamMb: 511 }))).toBe(false);
  });

  it('reports why a query cannot run', () => {
    const bad = compileJsonQuery('not json');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/invalid JSON/);
    const unknown = compileJsonQuery('["xor", 1]');
    expect(!unknown.ok && unknown.error).toBe('unknown operator "xor"');
    const scalar = compileJsonQuery('3');
    expect(!scalar.ok && scalar.error).toBe('the query is not a list');
    expect(evaluateJsonQuery(bad, makeHost())).toBe(false);
  });

  it('a falsy query compiles to pass-all', () => {
    const q = compileJsonQuery('[]');
    expect(q).toEqual({ ok: true, root: null });
    expect(evaluateJsonQuery(q, makeHost())).toBe(true);
  });
});
