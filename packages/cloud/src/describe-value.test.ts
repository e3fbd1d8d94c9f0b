import { describe, expect, it } from 'vitest';
import { describeValue } from './describe-value.js';

describe('describeValue', () => {
  it('names every JSON kind', () => {
    expect(describeValue('4G')).toBe('the string "4G"');
    expect(describeValue(3.5)).toBe('the number 3.5');
    expect(describeValue(true)).toBe('true');
    expect(describeValue(null)).toBe('null');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue({})).toBe('an object');
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue(1n)).toBe('bigint');
  });
  it('shortens long strings', () => {
    expect(describeValue('x'.repeat(50))).toBe(`the string "${'x'.repeat(40)}..."`);
  });
});
