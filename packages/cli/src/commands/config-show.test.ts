import { describe, expect, it } from 'vitest';
import { formatSource, formatValue } from './config-show.js';

describe('formatSource', () => {
  it('spells default, file:line and deprecated names', () => {
    expect(formatSource({ kind: 'default' })).toBe('default');
    const file = {
      kind: 'file',
      file: 'nova.conf',
      line: 3,
      section: 'scheduler',
      name: 'driver',
    } as const;
    expect(formatSource({ ...file, deprecated: false })).toBe('nova.conf:3');
    expect(
      formatSource({ ...file, section: 'DEFAULT', name: 'scheduler_driver', deprecated: true }),
    ).toBe('nova.conf:3 (deprecated name [DEFAULT] scheduler_driver)');
  });

  it("calls a [DEFAULT] name Liberty's own under liberty, deprecated under zed", () => {
    const old = {
      kind: 'file',
      file: 'nova.conf',
      line: 3,
      section: 'DEFAULT',
      name: 'scheduler_driver',
      deprecated: true,
    } as const;
    expect(formatSource(old, 'liberty')).toBe(
      'nova.conf:3 (Liberty name [DEFAULT] scheduler_driver)',
    );
    expect(formatSource(old, 'zed')).toBe(
      'nova.conf:3 (deprecated name [DEFAULT] scheduler_driver)',
    );
  });
});

describe('formatValue', () => {
  it('writes values in nova.conf spelling', () => {
    expect(formatValue('float', 1)).toBe('1.0');
    expect(formatValue('int', 8)).toBe('8');
    expect(formatValue('int', null)).toBe('(unset)');
    expect(formatValue('bool', true)).toBe('true');
    expect(formatValue('list', ['a', 'b'])).toBe('a, b');
    expect(formatValue('list', [])).toBe('(empty)');
    expect(formatValue('str', '')).toBe("''");
    expect(formatValue('str', 'x')).toBe('x');
  });
});
