import { describe, expect, it } from 'vitest';
import type { FilterRequest, HostFilter, HostState } from '@opie/core';
import { makeFlavor, makeHost, makeRequest, makeService } from '@opie/testing';
import { createComputeFilter } from './compute-filter.js';
import { createCoreFilter } from './core-filter.js';
import { createDiskFilter } from './disk-filter.js';
import { createImagePropertiesFilter } from './image-properties-filter.js';
import { createIoOpsFilter } from './io-ops-filter.js';
import { createRamFilter } from './ram-filter.js';

const now = 1_000_000_000;

/** Hosts that pass and fail each filter below, in a mixed order. */
function hosts(): HostState[] {
  return Array.from({ length: 16 }, (_, i) =>
    makeHost({
      host: `host${i}`,
      freeRamMb: (i * 211) % 1024,
      totalUsableRamMb: i % 7 === 0 ? 256 : 1024,
      ramAllocationRatio: i % 2 === 0 ? 1.0 : 1.5,
      freeDiskMb: (i * 6151) % 102400,
      diskAllocationRatio: i % 3 === 0 ? 1.0 : 2.0,
      vcpusTotal: i % 8 === 5 ? 0 : 4,
      vcpusUsed: i % 6,
      cpuAllocationRatio: i % 4 === 0 ? 1 : 2,
      numIoOps: i % 10,
      hypervisorVersion: 6000000 + i,
      supportedInstances:
        i % 5 === 0
          ? []
          : i % 5 === 1
            ? [['i686', 'kvm', 'hvm']]
            : [
                ['x86_64', 'xen', 'xen'],
                ['x86_64', 'qemu', 'hvm'],
              ],
      service:
        i % 9 === 4
          ? undefined
          : makeService({
              host: `host${i}`,
              disabled: i % 11 === 3,
              updatedAt: i % 6 === 2 ? now - 120_000 : now - 1_000,
            }),
    }),
  );
}

const flavor = makeFlavor({ memoryMb: 512, vcpus: 3, rootGb: 40, ephemeralGb: 0, swap: 0 });
const requests: [string, FilterRequest][] = [
  ['plain image', makeRequest({ flavor }, { now })],
  [
    'x86_64/qemu/hvm image',
    makeRequest(
      {
        flavor,
        image: {
          properties: { architecture: 'x86_64', hypervisor_type: 'qemu', vm_mode: 'hvm' },
        },
      },
      { now },
    ),
  ],
  [
    'versioned image',
    makeRequest(
      {
        flavor,
        image: {
          properties: { architecture: 'x86_64', hypervisor_version_requires: '>=6.0.8' },
        },
      },
      { now },
    ),
  ],
  [
    'invalid image',
    makeRequest({ flavor, image: { properties: { architecture: 'no-such-arch' } } }, { now }),
  ],
];

const filters: HostFilter[] = [
  createRamFilter(),
  createDiskFilter(),
  createCoreFilter(),
  createComputeFilter({ serviceDownTime: 60 }),
  createIoOpsFilter({ maxIoOpsPerHost: 8 }),
  createImagePropertiesFilter(),
];

describe('filterAll (batch filtering)', () => {
  for (const filter of filters) {
    for (const [what, request] of requests) {
      it(`${filter.name}, ${what}: filterAll keeps exactly the hosts hostPasses passes, with the same limits`, () => {
        const one = hosts();
        const passed = one.filter((h) => filter.hostPasses(h, request));
        const batch = hosts();
        expect(filter.filterAll).toBeTypeOf('function');
        const kept = filter.filterAll?.(batch, batch.length, request) ?? -1;
        expect(batch.slice(0, kept).map((h) => h.host)).toEqual(passed.map((h) => h.host));
        expect(batch.slice(0, kept).map((h) => h.limits)).toEqual(passed.map((h) => h.limits));
      });
    }
  }

  it('filterAll looks only at the first `count` hosts', () => {
    const list = hosts();
    const last = list[15] as HostState;
    const kept = createIoOpsFilter({ maxIoOpsPerHost: 100 }).filterAll?.(list, 3, makeRequest());
    expect(kept).toBe(3);
    expect(list[15]).toBe(last);
    expect(last.limits.ioOps).toBeUndefined();
  });
});
