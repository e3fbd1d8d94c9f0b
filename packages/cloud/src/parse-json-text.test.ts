import { InvalidInputError } from '@opie/core';
import { describe, expect, it } from 'vitest';
import { parseJsonText } from './parse-json-text.js';

function syntaxMessage(text: string): string {
  try {
    parseJsonText(text, 'cloud file c.json');
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    const err = e as InvalidInputError;
    expect(err.source).toBe('cloud file c.json');
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.path).toBe('$');
    return err.issues[0]!.message;
  }
  throw new Error('expected a syntax error');
}

describe('parseJsonText', () => {
  it('parses valid JSON, ignoring a byte-order mark', () => {
    expect(parseJsonText('\uFEFF{"a": 1}', 'x')).toEqual({ a: 1 });
  });
  it('gives line and column when V8 gives a position (trailing comma)', () => {
    expect(syntaxMessage('{\n  "a": 1,\n}')).toBe(
      'JSON syntax error at line 3, column 1: Expected double-quoted property name',
    );
  });
  it('finds line and column itself when V8 gives none (unexpected token)', () => {
    expect(syntaxMessage('{\n  "nodes": [\n    {"host": }\n  ]\n}')).toBe(
      "JSON syntax error at line 3, column 14: Unexpected token '}'",
    );
  });
  it('reports an unexpected end of the file at its last position', () => {
    expect(syntaxMessage('{\n  "a": [1,')).toBe(
      'JSON syntax error at line 2, column 11: unexpected end of the file',
    );
    expect(syntaxMessage('')).toBe(
      'JSON syntax error at line 1, column 1: unexpected end of the file',
    );
  });
  it('keeps the SyntaxError as the cause', () => {
    try {
      parseJsonText('[', 'x');
    } catch (e) {
      expect((e as Error).cause).toBeInstanceOf(SyntaxError);
    }
    expect.assertions(1);
  });
});
