import { describe, expect, it } from 'vitest';
import {
  Digest,
  listFromEnv,
  median,
  oneOfParser,
  parseSize,
  positiveIntFromEnv,
} from './options.js';

describe('listFromEnv', () => {
  it('falls back when the variable is unset or blank', () => {
    expect(listFromEnv({}, 'X', parseSize, [5])).toEqual([5]);
    expect(listFromEnv({ X: '  ' }, 'X', parseSize, [5])).toEqual([5]);
  });
  it('parses a comma list, skipping empty items', () => {
    expect(listFromEnv({ X: '1000, 10_000,,' }, 'X', parseSize, [])).toEqual([1000, 10000]);
  });
});

describe('parseSize', () => {
  it('names the variable and the bad value', () => {
    expect(() => parseSize('1k', 'OPIE_BENCH_SIZES')).toThrow(
      'OPIE_BENCH_SIZES: bad size "1k"; give whole numbers of hosts >= 2',
    );
    expect(() => parseSize('1', 'OPIE_BENCH_SIZES')).toThrow('bad size "1"');
  });
});

describe('oneOfParser', () => {
  const parse = oneOfParser(['normal', 'constrained'] as const, { zone: 'constrained' });
  it('accepts a known name', () => {
    expect(parse('constrained', 'S')).toBe('constrained');
  });
  it('lists the known names, and says what a renamed one became', () => {
    expect(() => parse('nope', 'S')).toThrow('S: unknown "nope"; known: normal, constrained');
    expect(() => parse('zone', 'S')).toThrow('S: unknown "zone" ("zone" is now "constrained")');
  });
});

describe('positiveIntFromEnv', () => {
  it('reads a whole number, undefined when unset', () => {
    expect(positiveIntFromEnv({ N: '2_000' }, 'N')).toBe(2000);
    expect(positiveIntFromEnv({}, 'N')).toBeUndefined();
  });
  it('refuses zero, fractions and words, naming the variable', () => {
    for (const bad of ['0', '2.5', 'many']) {
      expect(() => positiveIntFromEnv({ N: bad }, 'N')).toThrow(
        `N: bad value "${bad}"; give a whole number >= 1`,
      );
    }
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('Digest', () => {
  it('is 32-bit FNV-1a over each text followed by a comma', () => {
    const d = new Digest();
    d.add('a');
    // FNV-1a 32 of the bytes "a," computed separately (Python: h ^= b; h *= 0x01000193 mod 2^32).
    expect(d.toString()).toBe('ff248b00');
    const e = new Digest();
    e.add('compute-000001');
    e.add('x');
    // The same for "compute-000001,x,".
    expect(e.toString()).toBe('9399d966');
  });
});
