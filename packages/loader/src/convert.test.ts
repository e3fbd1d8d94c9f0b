import type { OptionSpec, OptionType, OptionValue } from '@opie/core';
import { describe, expect, it } from 'vitest';
import {
  convertOsloValue,
  formatPythonFloat,
  formatPythonValue,
  splitOsloList,
} from './convert.js';

function spec(type: OptionType, extra: Partial<OptionSpec> = {}): OptionSpec {
  const dflt: OptionValue = type === 'list' || type === 'multistr' ? [] : null;
  return { group: 'DEFAULT', name: 'opt', type, default: dflt, help: '', ...extra };
}

const ok = (type: OptionType, raw: string, extra?: Partial<OptionSpec>) => {
  const c = convertOsloValue(spec(type, extra), raw);
  if (!c.ok) throw new Error(`expected ${raw} to convert: ${c.message}`);
  return c.value;
};
const bad = (type: OptionType, raw: string, extra?: Partial<OptionSpec>) => {
  const c = convertOsloValue(spec(type, extra), raw);
  if (c.ok) throw new Error(`expected ${raw} to fail`);
  return c;
};

describe('StrOpt', () => {
  it('test_empty_string_passes (oslo.config)', () => {
    expect(ok('str', '')).toBe('');
  });

  it('takes the value as is', () => {
    expect(ok('str', 'foo bar')).toBe('foo bar');
  });

  it('test_unlisted_value (oslo.config)', () => {
    const c = bad('str', 'baz', { choices: ['foo', 'bar'] });
    expect(c.message).toBe(
      "Value for option opt is not valid: Valid values are [foo, bar], but found 'baz'",
    );
    expect(c.hint).toBe('use one of foo, bar');
    expect(ok('str', 'foo', { choices: ['foo', 'bar'] })).toBe('foo');
  });
});

describe('IntOpt (Liberty oslo.config 2.4.0)', () => {
  it('test_empty_string (oslo.config): empty gives null', () => {
    expect(ok('int', '')).toBeNull();
  });

  it('test_whitespace_string (oslo.config)', () => {
    expect(ok('int', '   \t\t')).toBeNull();
  });

  it('test_leading_whitespace_is_ignored / test_trailing_whitespace_is_ignored (oslo.config)', () => {
    expect(ok('int', '   5')).toBe(5);
    expect(ok('int', '7   ')).toBe(7);
  });

  it('accepts signs like Python int(): +3 and -1', () => {
    expect(ok('int', '+3')).toBe(3);
    expect(ok('int', '-1')).toBe(-1);
  });

  it('test_non_digits_are_invalid (oslo.config): 12a45, 3.0 and 0x10 are errors', () => {
    for (const raw of ['12a45', '3.0', '0x10']) {
      expect(bad('int', raw).message).toBe(
        `Value for option opt is not valid: invalid literal for int() with base 10: '${raw}'`,
      );
    }
    expect(bad('int', '3.0', { default: 8 }).hint).toBe('give an integer, e.g. 8');
  });

  it('has no inline comments: 8 # eight is an error with a hint', () => {
    const c = bad('int', '8 # eight');
    expect(c.message).toMatch(/'8 # eight'/);
    expect(c.hint).toMatch(/no inline comments/);
  });
});

describe('FloatOpt (Liberty oslo.config 2.4.0)', () => {
  it('test_decimal_format / test_exponential_format (oslo.config)', () => {
    expect(ok('float', '123.456')).toBeCloseTo(123.456);
    expect(ok('float', '123e-2')).toBeCloseTo(1.23);
  });

  it('accepts integers, blanks, inf and nan like Python float()', () => {
    expect(ok('float', ' 1 ')).toBe(1);
    expect(ok('float', 'inf')).toBe(Infinity);
    expect(ok('float', 'nan')).toBeNaN();
  });

  it('test_non_float_is_invalid (oslo.config)', () => {
    const c = bad('float', 'abc', { default: 1 });
    expect(c.message).toBe(
      "Value for option opt is not valid: could not convert string to float: 'abc'",
    );
    expect(c.hint).toBe('give a number, e.g. 1.0');
    expect(bad('float', '123,345').ok).toBe(false);
  });

  it('an empty float is an error in Liberty (newer oslo.config returns None)', () => {
    expect(bad('float', '').hint).toMatch(/empty float is an error/);
  });

  it('points at inline comments', () => {
    expect(bad('float', '1.0 ; one').hint).toMatch(/no inline comments/);
  });
});

describe('BoolOpt', () => {
  it('test_True / test_yes / test_on / test_1 (oslo.config)', () => {
    for (const raw of ['True', 'yes', 'on', '1', 'TRUE']) expect(ok('bool', raw)).toBe(true);
  });

  it('test_False / test_no / test_off / test_0 (oslo.config)', () => {
    for (const raw of ['False', 'no', 'off', '0']) expect(ok('bool', raw)).toBe(false);
  });

  it('test_other_values_produce_error (oslo.config): t and y are errors', () => {
    for (const raw of ['foo', 't', 'y']) {
      const c = bad('bool', raw);
      expect(c.message).toBe(
        `Value for option opt is not valid: Unexpected boolean value '${raw}'`,
      );
      expect(c.hint).toMatch(/true\/false/);
    }
  });
});

describe('ListOpt (Liberty oslo.config 2.4.0)', () => {
  it('test_empty_value (oslo.config)', () => {
    expect(ok('list', '')).toEqual([]);
    expect(ok('list', '   ')).toEqual([]);
  });

  it('test_single_value / test_list_of_values (oslo.config)', () => {
    expect(ok('list', ' foo bar ')).toEqual(['foo bar']);
    expect(ok('list', ' foo bar, baz ')).toEqual(['foo bar', 'baz']);
  });

  it('test_list_of_values_containing_trailing_comma (oslo.config): Liberty keeps the empty piece', () => {
    expect(ok('list', 'foo, bar, baz, ')).toEqual(['foo', 'bar', 'baz', '']);
    expect(ok('list', 'a,,b')).toEqual(['a', '', 'b']);
  });

  it('has no bracket syntax and keeps quotes inside items', () => {
    expect(ok('list', '[a,b]')).toEqual(['[a', 'b]']);
    expect(ok('list', "'a', b")).toEqual(["'a'", 'b']);
  });

  it('treats newlines of continuation lines as blanks around items', () => {
    expect(splitOsloList('RamFilter,\nDiskFilter,\nCoreFilter')).toEqual([
      'RamFilter',
      'DiskFilter',
      'CoreFilter',
    ]);
  });
});

describe('MultiStrOpt', () => {
  it('converts one occurrence to one string, without comma splitting', () => {
    expect(ok('multistr', 'a, b')).toBe('a, b');
  });
});

describe('Python formatting for interpolation', () => {
  it('formats floats like Python str()', () => {
    expect(formatPythonFloat(1)).toBe('1.0');
    expect(formatPythonFloat(1.5)).toBe('1.5');
    expect(formatPythonFloat(-Infinity)).toBe('-inf');
    expect(formatPythonFloat(Infinity)).toBe('inf');
    expect(formatPythonFloat(NaN)).toBe('nan');
  });

  it('formats values like Python str()', () => {
    expect(formatPythonValue('bool', true)).toBe('True');
    expect(formatPythonValue('bool', false)).toBe('False');
    expect(formatPythonValue('int', null)).toBe('None');
    expect(formatPythonValue('int', 3)).toBe('3');
    expect(formatPythonValue('float', 3)).toBe('3.0');
    expect(formatPythonValue('list', ['a', "b'c"])).toBe("['a', 'b\\'c']");
    expect(formatPythonValue('str', 'x')).toBe('x');
  });
});
