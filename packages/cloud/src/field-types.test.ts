import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  apiBoolean,
  quantity,
  sizeHint,
  stringifyValue,
  text,
  time,
  toStringMap,
} from './field-types.js';
import { validate } from './validate-document.js';

function messages(schema: z.ZodType, value: unknown): string[] {
  const r = validate(schema, value);
  return r.ok ? [] : r.issues.map((i) => i.message);
}

describe('quantity', () => {
  it('says which unit it expects and how to write a size string', () => {
    expect(messages(quantity('MB'), '4G')).toEqual([
      'expected a number of MB, got the string "4G" (write 4096)',
    ]);
    expect(messages(quantity('GB'), '2 TB')).toEqual([
      'expected a number of GB, got the string "2 TB" (write 2048)',
    ]);
    expect(messages(quantity('MB'), '512')).toEqual([
      'expected a number of MB, got the string "512" (write 512 without quotes)',
    ]);
  });
  it('rejects fractions and negatives unless signed', () => {
    expect(messages(quantity('vCPUs'), 1.5)).toEqual([
      'expected a whole number of vCPUs, got the number 1.5',
    ]);
    expect(messages(quantity('MB', { min: 1 }), 0)).toEqual([
      'expected at least 1 MB, got the number 0',
    ]);
    expect(messages(quantity('MB', { signed: true }), -100)).toEqual([]);
  });
  it('says when the value is missing', () => {
    expect(messages(z.object({ memory_mb: quantity('MB') }), {})).toEqual([
      'missing: give a number of MB',
    ]);
  });
});

describe('sizeHint', () => {
  it('only hints for size strings it can convert to a whole number', () => {
    expect(sizeHint('MB')('1.5G')).toBe(' (write 1536)');
    expect(sizeHint('GB')('512M')).toBe('');
    expect(sizeHint('GB')('3K')).toBe('');
    expect(sizeHint('MB')('lots')).toBe('');
    expect(sizeHint('MB')(4)).toBe('');
  });
});

describe('text, time', () => {
  it('rejects empty strings', () => {
    expect(messages(text(), '')).toEqual(['expected a non-empty string, got an empty string']);
  });
  it('accepts ISO times and epoch ms and explains the rest', () => {
    expect(messages(time(), '2024-03-05T12:00:00Z')).toEqual([]);
    expect(messages(time(), 1709640000000)).toEqual([]);
    expect(messages(time(), 'noon')[0]).toMatch(
      /^expected an ISO 8601 time .* got the string "noon"$/,
    );
    expect(messages(time(), true)[0]).toMatch(/^expected an ISO 8601 time .* got true$/);
  });
});

describe('apiBoolean (strict preemptible parsing)', () => {
  it('accepts JSON booleans and nova boolean strings', () => {
    for (const v of [true, false, 'true', 'False', 'yes', 'NO', '1', '0', 'on', 'off']) {
      expect(messages(apiBoolean(), v)).toEqual([]);
    }
  });
  it('rejects other strings and types', () => {
    expect(messages(apiBoolean(), 'maybe')).toEqual([
      'expected a boolean (true/false, 1/0, on/off or yes/no), got the string "maybe"',
    ]);
    expect(messages(apiBoolean(), 1)).toEqual([
      'expected a boolean (true/false, 1/0, on/off or yes/no), got the number 1',
    ]);
  });
});

describe('stringifyValue', () => {
  it('writes values as nova stores them', () => {
    expect(stringifyValue('x')).toBe('x');
    expect(stringifyValue(2)).toBe('2');
    expect(stringifyValue(1.5)).toBe('1.5');
    expect(stringifyValue(true)).toBe('True');
    expect(stringifyValue(false)).toBe('False');
    expect(toStringMap({ a: 1, b: 'c', d: false })).toEqual({ a: '1', b: 'c', d: 'False' });
  });
});
