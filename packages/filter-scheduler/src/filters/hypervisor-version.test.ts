import { describe, expect, it } from 'vitest';
import {
  compareStrictVersions,
  convertVersionToString,
  parseStrictVersion,
  parseVersionPredicate,
  satisfiesVersionPredicate,
  strictVersionFromInt,
} from './hypervisor-version.js';

describe('hypervisor versions', () => {
  it('convertVersionToString decodes 1000-based groups', () => {
    expect(convertVersionToString(1002003)).toBe('1.2.3');
    expect(convertVersionToString(6000000)).toBe('6.0.0');
    expect(convertVersionToString(5000)).toBe('5.0');
    expect(convertVersionToString(0)).toBe('');
  });

  it('strictVersionFromInt accepts two or three groups only', () => {
    expect(strictVersionFromInt(1002003)).toEqual({ major: 1, minor: 2, patch: 3 });
    expect(strictVersionFromInt(5000)).toEqual({ major: 5, minor: 0, patch: 0 });
    expect(strictVersionFromInt(999)).toBeUndefined();
    expect(strictVersionFromInt(6003009600)).toBeUndefined();
    expect(strictVersionFromInt(1000.5)).toBeUndefined();
    expect(strictVersionFromInt(-1000)).toBeUndefined();
  });

  it('parseStrictVersion follows distutils StrictVersion', () => {
    expect(parseStrictVersion('1.2')).toEqual({ major: 1, minor: 2, patch: 0 });
    expect(parseStrictVersion('1.2.3b4')).toEqual({ major: 1, minor: 2, patch: 3, pre: ['b', 4] });
    for (const bad of ['1', '1.2.3.4', '1.2c1', 'a.b', '1.2 ', '']) {
      expect(parseStrictVersion(bad)).toBeUndefined();
    }
  });

  it('compareStrictVersions pads the patch and sorts pre-releases first', () => {
    const v = (s: string) => parseStrictVersion(s)!;
    expect(compareStrictVersions(v('1.2'), v('1.2.0'))).toBe(0);
    expect(compareStrictVersions(v('1.10'), v('1.9'))).toBe(1);
    expect(compareStrictVersions(v('1.0a1'), v('1.0'))).toBe(-1);
    expect(compareStrictVersions(v('1.0'), v('1.0b1'))).toBe(1);
    expect(compareStrictVersions(v('1.0a2'), v('1.0b1'))).toBe(-1);
    expect(compareStrictVersions(v('1.0b2'), v('1.0b1'))).toBe(1);
  });

  it('parseVersionPredicate accepts comma-separated conditions and rejects the rest', () => {
    expect(parseVersionPredicate('>=6.0,<6.2')).toEqual([
      { op: '>=', version: { major: 6, minor: 0, patch: 0 } },
      { op: '<', version: { major: 6, minor: 2, patch: 0 } },
    ]);
    expect(parseVersionPredicate(' == 1.0 ')).toHaveLength(1);
    for (const bad of ['', '6.0', '=6.0', '>=6', '>=6.0,', '>=6.0\n', '>= 6.0 7.0', '~=1.0']) {
      expect(parseVersionPredicate(bad)).toBeUndefined();
    }
  });

  it('satisfiesVersionPredicate needs every condition', () => {
    const pred = parseVersionPredicate('>1.0, <=2.0, !=1.5')!;
    const v = (s: string) => parseStrictVersion(s)!;
    expect(satisfiesVersionPredicate(pred, v('1.2'))).toBe(true);
    expect(satisfiesVersionPredicate(pred, v('2.0'))).toBe(true);
    expect(satisfiesVersionPredicate(pred, v('1.5'))).toBe(false);
    expect(satisfiesVersionPredicate(pred, v('1.0'))).toBe(false);
    expect(satisfiesVersionPredicate(pred, v('2.0.1'))).toBe(false);
    expect(satisfiesVersionPredicate(parseVersionPredicate('==2.0')!, v('2.0.0'))).toBe(true);
  });
});
