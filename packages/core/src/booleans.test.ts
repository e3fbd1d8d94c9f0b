import { describe, expect, it } from 'vitest';
import {
  isPreemptibleInstance,
  isPreemptibleRequest,
  parseApiBoolean,
  parseOsloBoolean,
} from './booleans.js';

describe('parseOsloBoolean', () => {
  it.each(['true', 'TRUE', '1', 'on', 'Yes', ' yes '])('reads %j as true', (s) => {
    expect(parseOsloBoolean(s)).toBe(true);
  });
  it.each(['false', 'False', '0', 'off', 'NO'])('reads %j as false', (s) => {
    expect(parseOsloBoolean(s)).toBe(false);
  });
  it.each(['t', 'y', '', 'maybe', '2'])('rejects %j like oslo.config 2.x', (s) => {
    expect(parseOsloBoolean(s)).toBeUndefined();
  });
});

describe('parseApiBoolean', () => {
  it('accepts JSON booleans and boolean strings', () => {
    expect(parseApiBoolean(true)).toBe(true);
    expect(parseApiBoolean('On')).toBe(true);
    expect(parseApiBoolean('false')).toBe(false);
  });
  it('rejects numbers, null and other strings', () => {
    expect(parseApiBoolean(1)).toBeUndefined();
    expect(parseApiBoolean(null)).toBeUndefined();
    expect(parseApiBoolean('preemptible')).toBeUndefined();
  });
});

describe('isPreemptibleInstance', () => {
  it('uses the explicit mark first', () => {
    expect(
      isPreemptibleInstance({ preemptible: false, systemMetadata: { preemptible: 'True' } }),
    ).toBe(false);
  });
  it('reads system metadata "True" as nova stores it', () => {
    expect(isPreemptibleInstance({ systemMetadata: { preemptible: 'True' } })).toBe(true);
  });
  it('reads the string "false" as not preemptible (opie bug 13 fixed)', () => {
    expect(isPreemptibleInstance({ systemMetadata: { preemptible: 'false' } })).toBe(false);
  });
  it('treats a missing mark as not preemptible', () => {
    expect(isPreemptibleInstance({ systemMetadata: {} })).toBe(false);
  });
});

describe('isPreemptibleRequest', () => {
  it('accepts the opie HEAD hint ["True"]', () => {
    expect(isPreemptibleRequest({ schedulerHints: { preemptible: ['True'] } })).toBe(true);
  });
  it('does not count an empty hint list as preemptible (opie bug 12 fixed)', () => {
    expect(isPreemptibleRequest({ schedulerHints: { preemptible: [] } })).toBe(false);
  });
  it('reads the hint "false" as false', () => {
    expect(isPreemptibleRequest({ schedulerHints: { preemptible: 'false' } })).toBe(false);
  });
  it('accepts the Liberty system-metadata flag', () => {
    expect(isPreemptibleRequest({ systemMetadata: { preemptible: 'True' } })).toBe(true);
  });
});
