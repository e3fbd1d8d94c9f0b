import { describe, expect, it } from 'vitest';
import { compileExtraSpec, matchExtraSpec } from './extra-specs-ops.js';

const cpuFlags = "['aes', 'mmx', 'aux']";

describe('matchExtraSpec (nova test_extra_specs_ops)', () => {
  const cases: Array<[string, string | null, string, boolean]> = [
    ['test_extra_specs_matches_simple', '1', '1', true],
    ['test_extra_specs_fails_simple', '', '1', false],
    ['test_extra_specs_fails_simple2', '3', '1', false],
    ['test_extra_specs_fails_simple3', '222', '2', false],
    ['test_extra_specs_fails_with_bogus_ops', '4', '> 2', false],
    ['test_extra_specs_matches_with_op_eq', '123', '= 123', true],
    ['test_extra_specs_matches_with_op_eq2', '124', '= 123', true],
    ['test_extra_specs_fails_with_op_eq', '34', '= 234', false],
    ['test_extra_specs_fails_with_op_eq3', '34', '=', false],
    ['test_extra_specs_matches_with_op_seq', '123', 's== 123', true],
    ['test_extra_specs_fails_with_op_seq', '1234', 's== 123', false],
    ['test_extra_specs_matches_with_op_sneq', '1234', 's!= 123', true],
    ['test_extra_specs_fails_with_op_sneq', '123', 's!= 123', false],
    ['test_extra_specs_fails_with_op_sge', '1000', 's>= 234', false],
    ['test_extra_specs_fails_with_op_sle', '1234', 's<= 1000', false],
    ['test_extra_specs_fails_with_op_sl', '2', 's< 12', false],
    ['test_extra_specs_fails_with_op_sg', '12', 's> 2', false],
    ['test_extra_specs_matches_with_op_in', '12311321', '<in> 11', true],
    ['test_extra_specs_matches_with_op_in2', '12311321', '<in> 12311321', true],
    ['test_extra_specs_matches_with_op_in3', '12311321', '<in> 12311321 <in>', true],
    ['test_extra_specs_fails_with_op_in', '12310321', '<in> 11', false],
    ['test_extra_specs_fails_with_op_in2', '12310321', '<in> 11 <in>', false],
    ['test_extra_specs_matches_with_op_or', '12', '<or> 11 <or> 12', true],
    ['test_extra_specs_matches_with_op_or2', '12', '<or> 11 <or> 12 <or>', true],
    ['test_extra_specs_fails_with_op_or', '13', '<or> 11 <or> 12', false],
    ['test_extra_specs_fails_with_op_or2', '13', '<or> 11 <or> 12 <or>', false],
    ['test_extra_specs_matches_with_op_le', '2', '<= 10', true],
    ['test_extra_specs_fails_with_op_le', '3', '<= 2', false],
    ['test_extra_specs_matches_with_op_ge', '3', '>= 1', true],
    ['test_extra_specs_fails_with_op_ge', '2', '>= 3', false],
    ['test_extra_specs_matches_all_with_op_allin', cpuFlags, '<all-in> aes mmx', true],
    ['test_extra_specs_matches_one_with_op_allin', cpuFlags, '<all-in> mmx', true],
    ['test_extra_specs_fails_with_op_allin', cpuFlags, '<all-in>  txt', false],
    ['test_extra_specs_fails_all_with_op_allin', cpuFlags, '<all-in> txt 3dnow', false],
    ['test_extra_specs_fails_match_one_with_op_allin', cpuFlags, '<all-in> txt aes', false],
  ];
  for (const [name, value, req, expected] of cases) {
    it(`${name} (nova): match(${JSON.stringify(value)}, ${JSON.stringify(req)})`, () => {
      expect(matchExtraSpec(value, req)).toBe(expected);
    });
  }
});

describe('matchExtraSpec, further operator cases', () => {
  it('== and != compare as floats, not strings', () => {
    expect(matchExtraSpec('1.0', '== 1')).toBe(true);
    expect(matchExtraSpec('2', '== 1')).toBe(false);
    expect(matchExtraSpec('1.0', '!= 1')).toBe(false);
    expect(matchExtraSpec('1.5', '!= 1')).toBe(true);
  });

  it('= is >= on floats, and accepts exponent and blanks-free float syntax', () => {
    expect(matchExtraSpec('1e3', '= 999.5')).toBe(true);
    expect(matchExtraSpec('inf', '= 1')).toBe(true);
  });

  it('the remaining string operators compare lexicographically', () => {
    expect(matchExtraSpec('abc', 's< abd')).toBe(true);
    expect(matchExtraSpec('abc', 's<= abc')).toBe(true);
    expect(matchExtraSpec('b', 's> a')).toBe(true);
    expect(matchExtraSpec('a', 's>= a')).toBe(true);
    expect(matchExtraSpec('10', 's< 9')).toBe(true);
  });

  it('every operator without an operand matches nothing', () => {
    for (const op of [
      '=',
      '==',
      '!=',
      '>=',
      '<=',
      's==',
      's!=',
      's<',
      's<=',
      's>',
      's>=',
      '<in>',
      '<all-in>',
      '<or>',
    ]) {
      expect(matchExtraSpec('1', op)).toBe(false);
    }
  });

  it('a None value matches no operator', () => {
    for (const req of ['= 1', 's== 1', '<in> 1', '<all-in> 1', '<or> 1']) {
      expect(matchExtraSpec(null, req)).toBe(false);
      expect(matchExtraSpec(undefined, req)).toBe(false);
    }
  });

  it('without an operator the whole requirement string must equal the value', () => {
    expect(matchExtraSpec('a b', 'a b')).toBe(true);
    expect(matchExtraSpec('1', ' 1')).toBe(false);
    expect(matchExtraSpec('', '')).toBe(true);
    expect(matchExtraSpec('x', '')).toBe(false);
    expect(matchExtraSpec(null, 'x')).toBe(false);
  });

  it('an operator must be the first word', () => {
    expect(matchExtraSpec('1', '1 <in> 1')).toBe(false);
    expect(matchExtraSpec('1 <in> 1', '1 <in> 1')).toBe(true);
  });

  it('<or> compares every second word, whatever separates them', () => {
    expect(matchExtraSpec('c', '<or> a b c')).toBe(true);
    expect(matchExtraSpec('b', '<or> a b c')).toBe(false);
  });

  it('splits on any Python whitespace, including runs of it', () => {
    expect(matchExtraSpec('5', '>=\t\n 3')).toBe(true);
  });

  it('returns false where nova raises on a float that does not parse', () => {
    expect(matchExtraSpec('abc', '>= 1')).toBe(false);
    expect(matchExtraSpec('', '= 1')).toBe(false);
    expect(matchExtraSpec('2', '>= abc')).toBe(false);
  });

  it('compileExtraSpec gives a reusable matcher', () => {
    const m = compileExtraSpec('<in> avx');
    expect(m('sse avx2')).toBe(true);
    expect(m('sse')).toBe(false);
  });
});

describe('string operators compare by code point, like Python str (checked against nova)', () => {
  it('a character beyond U+FFFF sorts after U+FFFF', () => {
    expect(matchExtraSpec('\uFFFF', 's< \u{1F600}')).toBe(true);
    expect(matchExtraSpec('\u{1F600}', 's> \uFFFF')).toBe(true);
    expect(matchExtraSpec('\u{1F600}', 's<= \uFFFF')).toBe(false);
  });
  it('Unicode decimal digits are numbers for the float operators', () => {
    expect(matchExtraSpec('12', '== ١٢')).toBe(true);
  });
});
