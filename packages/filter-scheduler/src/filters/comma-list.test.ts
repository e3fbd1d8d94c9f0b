import { describe, expect, it } from 'vitest';
import { commaListIncludes } from './comma-list.js';

describe('commaListIncludes', () => {
  it('finds stripped comma-separated pieces', () => {
    expect(commaListIncludes('a', 'a')).toBe(true);
    expect(commaListIncludes('a, b ,c', 'b')).toBe(true);
    expect(commaListIncludes('a, b ,c', 'c')).toBe(true);
    expect(commaListIncludes(' a\t', 'a')).toBe(true);
    expect(commaListIncludes('ab,c', 'a')).toBe(false);
    expect(commaListIncludes('a b', 'a')).toBe(false);
    expect(commaListIncludes('a b', 'a b')).toBe(true);
  });

  it('counts empty pieces, as Python split does', () => {
    expect(commaListIncludes('', '')).toBe(true);
    expect(commaListIncludes('a,', '')).toBe(true);
    expect(commaListIncludes('a, ,b', '')).toBe(true);
    expect(commaListIncludes('a,b', '')).toBe(false);
  });
});
