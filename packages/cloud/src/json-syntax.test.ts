import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineAndColumn } from './json-syntax.js';

describe('findJsonSyntaxError', () => {
  it('accepts valid JSON', () => {
    for (const t of [
      '{}',
      ' [1, -2.5e+3, 0, "a\\n\\u00e9", true, false, null, {"k": []}] ',
      '"x"',
      '0.5',
    ]) {
      expect(findJsonSyntaxError(t)).toBeUndefined();
      expect(() => JSON.parse(t) as unknown).not.toThrow();
    }
  });
  it('finds the first bad character', () => {
    expect(findJsonSyntaxError('{"a": }')).toBe(6);
    expect(findJsonSyntaxError('{"a": tru}')).toBe(9);
    expect(findJsonSyntaxError('{"a": 1,}')).toBe(8);
    expect(findJsonSyntaxError('[1 2]')).toBe(3);
    expect(findJsonSyntaxError("{'a': 1}")).toBe(1);
    expect(findJsonSyntaxError('[01]')).toBe(2);
    expect(findJsonSyntaxError('[1.]')).toBe(3);
    expect(findJsonSyntaxError('["\\x"]')).toBe(2);
    expect(findJsonSyntaxError('["\\u12g4"]')).toBe(2);
    expect(findJsonSyntaxError('["a\tb"]')).toBe(3);
    expect(findJsonSyntaxError('{"a" 1}')).toBe(5);
    expect(findJsonSyntaxError('{} x')).toBe(3);
    expect(findJsonSyntaxError('"abc')).toBe(4);
    expect(findJsonSyntaxError('')).toBe(0);
  });
});

describe('lineAndColumn', () => {
  it('counts from 1', () => {
    const text = '{\n  "a": 1,\n}';
    expect(lineAndColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn(text, 12)).toEqual({ line: 3, column: 1 });
    expect(lineAndColumn(text, 4)).toEqual({ line: 2, column: 3 });
  });
});
