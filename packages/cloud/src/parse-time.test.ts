import { describe, expect, it } from 'vitest';
import { isTimeString, parseTime } from './parse-time.js';

const NOON = Date.UTC(2024, 2, 5, 12, 0, 0);

describe('parseTime', () => {
  it('reads ISO 8601 UTC times', () => {
    expect(parseTime('2024-03-05T12:00:00Z')).toBe(NOON);
    expect(parseTime('2024-03-05T12:00:00.250Z')).toBe(NOON + 250);
  });
  it('applies zone offsets', () => {
    expect(parseTime('2024-03-05T13:00:00+01:00')).toBe(NOON);
    expect(parseTime('2024-03-05T07:30-0430')).toBe(NOON);
    expect(parseTime('2024-03-05T14:00+02')).toBe(NOON);
  });
  it('reads nova-style times without a zone as UTC (microseconds truncated)', () => {
    expect(parseTime('2024-03-05 12:00:00')).toBe(NOON);
    expect(parseTime('2024-03-05T12:00:00.123456')).toBe(NOON + 123);
    expect(parseTime('2024-03-05T12:00')).toBe(NOON);
  });
  it('reads a date as its midnight UTC', () => {
    expect(parseTime('2024-03-05')).toBe(Date.UTC(2024, 2, 5));
  });
  it('passes epoch milliseconds through', () => {
    expect(parseTime(NOON)).toBe(NOON);
    expect(parseTime(0)).toBe(0);
    expect(parseTime(Number.NaN)).toBeUndefined();
  });
  it('rejects impossible dates and other text', () => {
    expect(parseTime('2024-02-30T00:00:00Z')).toBeUndefined();
    expect(parseTime('2024-13-01')).toBeUndefined();
    expect(parseTime('2024-03-05T24:00:00Z')).toBeUndefined();
    expect(parseTime('yesterday')).toBeUndefined();
    expect(parseTime('05/03/2024')).toBeUndefined();
    expect(isTimeString('2024-03-05T12:00:00Z')).toBe(true);
    expect(isTimeString('noon')).toBe(false);
  });
});
