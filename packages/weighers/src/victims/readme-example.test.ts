import { describe, expect, it } from 'vitest';
// The README's "Victim weighers" example, kept here so it runs.
import type { Instance } from '@opie/core';
import { makeHost } from '@opie/testing';
import { createBillingRemainderVictimWeigher, createWasteVictimWeigher } from '../index.js';

// `host()` of "Use it alone": 4096 MB, 100 GB, 8 vCPUs.
const host = (name: string, freeRamMb: number, numIoOps: number) =>
  makeHost({ host: name, totalUsableRamMb: 4096, freeRamMb, numIoOps });

describe('README victim weighers example', () => {
  it('costs 1200 s of billing remainder and 0.35 of waste', () => {
    const victim: Instance = {
      uuid: 'p1',
      memoryMb: 1024,
      vcpus: 1,
      rootGb: 10,
      ephemeralGb: 0,
      systemMetadata: { preemptible: 'True' },
      createdAt: 0,
    };
    const ctx = {
      host: host('A', 0, 0),
      now: 1_200_000,
      need: { memoryMb: 512, diskGb: 0, vcpus: 0, instances: 0, ioOps: 0 },
      set: [victim],
    };
    expect(createBillingRemainderVictimWeigher().cost(victim, ctx)).toBe(1200);
    expect(createWasteVictimWeigher().cost(victim, ctx)).toBeCloseTo(0.35, 12);
  });
});
