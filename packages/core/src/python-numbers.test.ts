import { describe, expect, it } from 'vitest';
import { parsePythonFloat, parsePythonInt } from './python-numbers.js';

describe('parsePythonInt', () => {
  it.each([
    ['3', 3],
    [' +3 ', 3],
    ['-1', -1],
    ['1_000', 1000],
  ])('int(%j) is %d', (s, n) => expect(parsePythonInt(s)).toBe(n));
  it.each(['3.0', '0x10', '', ' ', 'abc', '1e3'])('int(%j) raises', (s) =>
    expect(parsePythonInt(s)).toBeUndefined(),
  );
});

describe('parsePythonFloat', () => {
  it.each([
    ['1', 1],
    ['1.5', 1.5],
    [' 1e3 ', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['-2.5E-1', -0.25],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
  ])('float(%j) is %d', (s, n) => expect(parsePythonFloat(s)).toBe(n));
  it('float("nan") is NaN', () => expect(parsePythonFloat('nan')).toBeNaN());
  it.each(['', 'abc', '1.2.3', '0x10', '1e'])('float(%j) raises', (s) =>
    expect(parsePythonFloat(s)).toBeUndefined(),
  );
});

describe('Unicode decimal digits, as Python accepts them', () => {
  it('int("٥") is 5 and int("１２") is 12', () => {
    expect(parsePythonInt('٥')).toBe(5);
    expect(parsePythonInt('１２')).toBe(12);
  });
  it('float("١٢.٥") is 12.5 and mathematical digits count too', () => {
    expect(parsePythonFloat('١٢.٥')).toBe(12.5);
    expect(parsePythonFloat('\u{1D7D9}\u{1D7CE}')).toBe(10);
  });
  it('other non-ASCII characters still fail', () => {
    expect(parsePythonInt('五')).toBeUndefined();
    expect(parsePythonFloat('½')).toBeUndefined();
  });
});
