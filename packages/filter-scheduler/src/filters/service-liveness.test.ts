import { describe, expect, it } from 'vitest';
import { ConfigError } from '@opie/core';
import { makeService } from '@opie/testing';
import { effectiveServiceDownTime, serviceIsUp } from './service-liveness.js';

const NOW = 1_000_000_000_000;

describe('effectiveServiceDownTime', () => {
  it('keeps service_down_time when it is above report_interval', () => {
    expect(effectiveServiceDownTime(60, 10)).toBe(60);
  });

  it('uses int(report_interval * 2.5) when service_down_time <= report_interval', () => {
    expect(effectiveServiceDownTime(10, 10)).toBe(25);
    expect(effectiveServiceDownTime(5, 11)).toBe(27);
  });

  it('empty values (None) follow Python 2 comparisons', () => {
    expect(effectiveServiceDownTime(null, 10)).toBe(25);
    expect(effectiveServiceDownTime(60, null)).toBe(60);
  });

  it('both empty is a configuration error', () => {
    expect(() => effectiveServiceDownTime(null, null)).toThrow(ConfigError);
  });
});

describe('serviceIsUp (db servicegroup driver)', () => {
  it('up when the last heartbeat is within the down time, in either direction', () => {
    expect(serviceIsUp(makeService({ updatedAt: NOW - 60_000 }), NOW, 60)).toBe(true);
    expect(serviceIsUp(makeService({ updatedAt: NOW + 60_000 }), NOW, 60)).toBe(true);
  });

  it('down when the last heartbeat is older than the down time', () => {
    expect(serviceIsUp(makeService({ updatedAt: NOW - 60_001 }), NOW, 60)).toBe(false);
    expect(serviceIsUp(makeService({ updatedAt: NOW + 60_001 }), NOW, 60)).toBe(false);
  });

  it('last_seen_up wins over updated_at, which wins over created_at', () => {
    const stale = NOW - 3_600_000;
    expect(serviceIsUp(makeService({ lastSeenUp: NOW, updatedAt: stale }), NOW, 60)).toBe(true);
    expect(serviceIsUp(makeService({ lastSeenUp: stale, updatedAt: NOW }), NOW, 60)).toBe(false);
    expect(serviceIsUp(makeService({ updatedAt: stale, createdAt: NOW }), NOW, 60)).toBe(false);
    expect(serviceIsUp(makeService({ createdAt: NOW }), NOW, 60)).toBe(true);
  });

  it('forced down is down whatever the heartbeat', () => {
    expect(serviceIsUp(makeService({ forcedDown: true, updatedAt: NOW }), NOW, 60)).toBe(false);
  });

  it('no heartbeat at all is down (nova raises)', () => {
    expect(serviceIsUp(makeService(), NOW, 60)).toBe(false);
  });
});
