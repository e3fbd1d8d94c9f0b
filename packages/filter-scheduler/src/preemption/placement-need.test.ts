import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeFlavor, makeHost } from '@opie/testing';
import { needOf } from './need.js';
import { needsSomething, placementNeed, placementNeedsPreemption } from './placement-need.js';
import { LIMITS } from './__fixtures__/victim-host.js';

describe('placementNeed (the O(1) "needs preemption?" test)', () => {
  it('is zero where the flavor fits, and used minus limit where it does not', () => {
    const host = makeHost({ freeRamMb: 512, vcpusUsed: 7, numInstances: 3 });
    const flavor = makeFlavor({ memoryMb: 256, vcpus: 1, rootGb: 10 });
    expect(needsSomething(placementNeed(host, LIMITS, flavor))).toBe(false);
    const big = makeFlavor({ memoryMb: 768, vcpus: 3, rootGb: 10 });
    expect(placementNeed(host, LIMITS, big, {}, { maxInstances: 3 })).toEqual({
      memoryMb: 256,
      diskGb: 0,
      vcpus: 2,
      instances: 1,
      ioOps: 0,
    });
  });

  it('subtracts what planned victims free, and reads the limits filters recorded', () => {
    const host = makeHost({ freeRamMb: 0, numInstances: 4, numIoOps: 2 });
    const flavor = makeFlavor({ memoryMb: 512 });
    const limits = { ...LIMITS, numInstances: 4, ioOps: 2 };
    expect(placementNeed(host, limits, flavor)).toMatchObject({
      memoryMb: 512,
      instances: 1,
      ioOps: 1,
    });
    expect(placementNeed(host, limits, flavor, { memoryMb: 512, instances: 1, ioOps: 1 })).toEqual({
      memoryMb: 0,
      diskGb: 0,
      vcpus: 0,
      instances: 0,
      ioOps: 0,
    });
  });

  it('equals needOf of the state after nova consume_from_request (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          freeRamMb: fc.integer({ min: -2048, max: 1024 }),
          freeDiskMb: fc.integer({ min: -20_480, max: 102_400 }),
          vcpusUsed: fc.integer({ min: 0, max: 12 }),
          numInstances: fc.integer({ min: 0, max: 10 }),
          numIoOps: fc.integer({ min: 0, max: 10 }),
        }),
        fc.record({
          memoryMb: fc.integer({ min: 1, max: 2048 }),
          vcpus: fc.integer({ min: 1, max: 8 }),
          rootGb: fc.integer({ min: 0, max: 80 }),
          ephemeralGb: fc.integer({ min: 0, max: 20 }),
        }),
        fc.record({
          memoryMb: fc.integer({ min: 0, max: 1024 }),
          diskGb: fc.integer({ min: 0, max: 40 }),
          vcpus: fc.integer({ min: 0, max: 4 }),
          instances: fc.integer({ min: 0, max: 3 }),
          ioOps: fc.integer({ min: 0, max: 3 }),
        }),
        (usage, size, freed) => {
          const flavor = makeFlavor(size);
          const limits = { ...LIMITS, numInstances: 6, ioOps: 5 };
          const consumed = makeHost({
            ...usage,
            freeRamMb: usage.freeRamMb - size.memoryMb,
            freeDiskMb: usage.freeDiskMb - (size.rootGb + size.ephemeralGb) * 1024,
            vcpusUsed: usage.vcpusUsed + size.vcpus,
            numInstances: usage.numInstances + 1,
            numIoOps: usage.numIoOps + 1,
          });
          const host = makeHost(usage);
          const need = placementNeed(host, limits, flavor, freed);
          expect(need).toEqual(needOf(consumed, limits, {}, freed));
          expect(placementNeedsPreemption(host, limits, flavor, freed)).toBe(needsSomething(need));
        },
      ),
    );
  });
});
