import { describe, expect, it } from 'vitest';
import { ownValue } from './own-value.js';

describe('ownValue', () => {
  it('finds own keys only', () => {
    const record: Record<string, string> = { a: '1' };
    expect(ownValue(record, 'a')).toBe('1');
    expect(ownValue(record, 'b')).toBeUndefined();
    expect(ownValue(record, 'constructor')).toBeUndefined();
    expect(ownValue(record, 'toString')).toBeUndefined();
  });
});
