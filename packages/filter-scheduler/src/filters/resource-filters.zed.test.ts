import { describe, expect, it } from 'vitest';
import type { HostFilter } from '@opie/core';
import { columnsOf } from '@opie/core';
import type { HostOverrides } from '@opie/testing';
import { makeAggregate, makeFlavor, makeHost, makeRequest, pluginContext } from '@opie/testing';
import { aggregateCoreFilterPlugin, coreFilterPlugin } from './core-filter.js';
import { aggregateDiskFilterPlugin, diskFilterPlugin, placementDiskMb } from './disk-filter.js';
import { aggregateRamFilterPlugin, ramFilterPlugin } from './ram-filter.js';
import {
  createAggregateCoreFilter,
  createAggregateDiskFilter,
  createAggregateRamFilter,
  createCoreFilter,
  createDiskFilter,
  createRamFilter,
} from './resource-filters.js';

/*
 * nova Zed has no RamFilter, CoreFilter or DiskFilter: placement checks each
 * resource class of the flavor against the node's inventory. Under
 * nova_version = zed the filters apply that check; the expected values below
 * are placement's arithmetic done by hand:
 *   amount == 0                      -> not requested, passes
 *   amount <= max_unit (= total)     and
 *   used + amount <= total * ratio   (used = total - free, reserved included)
 * (placement/objects/allocation_candidate.py, nova/virt/libvirt/driver.py
 * update_provider_tree: max_unit is the node's total for VCPU, MEMORY_MB,
 * DISK_GB).
 */

const flavor = (memoryMb: number, vcpus: number, rootGb: number, swap = 0, ephemeralGb = 0) =>
  makeRequest({ flavor: makeFlavor({ memoryMb, vcpus, rootGb, swap, ephemeralGb }) });
const passes = (filter: HostFilter, host: HostOverrides, request = flavor(1024, 1, 10)) =>
  filter.hostPasses(makeHost(host), request);

describe('resource filters under nova_version = zed (placement check)', () => {
  it('DiskFilter: a flavor disk larger than the whole disk fails, however large the ratio (Liberty passes)', () => {
    // 100 GB disk, ratio 2: capacity 200 GB, free; a 150 GB root disk exceeds max_unit 100 GB.
    const host = { totalUsableDiskGb: 100, freeDiskMb: 100 * 1024, diskAllocationRatio: 2 };
    const big = flavor(512, 1, 150);
    expect(passes(createDiskFilter({ novaVersion: 'zed' }), host, big)).toBe(false);
    expect(passes(createDiskFilter(), host, big)).toBe(true);
    // 100 GB fits exactly.
    expect(passes(createDiskFilter({ novaVersion: 'zed' }), host, flavor(512, 1, 100))).toBe(true);
  });

  it('DiskFilter: used + amount <= total * ratio; swap counts in whole GB', () => {
    // 100 GB, 90 GB used, ratio 1: 10 GB left. 9 GB root + 512 MB swap = 10 GB in placement.
    const host = { totalUsableDiskGb: 100, freeDiskMb: 10 * 1024, diskAllocationRatio: 1 };
    expect(placementDiskMb(makeFlavor({ rootGb: 9, swap: 512 }))).toBe(10 * 1024);
    expect(passes(createDiskFilter({ novaVersion: 'zed' }), host, flavor(512, 1, 9, 512))).toBe(
      true,
    );
    // 9 GB + 1025 MB swap is 11 GB in placement: fails (Liberty: 9216 + 1025 MB > 10240 MB too).
    expect(passes(createDiskFilter({ novaVersion: 'zed' }), host, flavor(512, 1, 9, 1025))).toBe(
      false,
    );
    // 10 GB + 1 MB swap: placement asks 11 GB (fails); Liberty asks 10241 MB (fails as well).
    expect(passes(createDiskFilter({ novaVersion: 'zed' }), host, flavor(512, 1, 10, 1))).toBe(
      false,
    );
  });

  it('DiskFilter: a flavor without disk (boot from volume) passes even a full host and writes the limit', () => {
    const full = makeHost({ totalUsableDiskGb: 10, freeDiskMb: -2048, diskAllocationRatio: 1.5 });
    const filter = createDiskFilter({ novaVersion: 'zed' });
    expect(filter.hostPasses(full, flavor(512, 1, 0))).toBe(true);
    // limit = total * ratio = 15 GB, as a passing host's limit always is.
    expect(full.limits.diskGb).toBe(15);
    expect(
      createDiskFilter().hostPasses(
        makeHost({ totalUsableDiskGb: 10, freeDiskMb: -2048, diskAllocationRatio: 1 }),
        flavor(512, 1, 0),
      ),
    ).toBe(false);
  });

  it('CoreFilter: a host reporting no vCPUs fails (no VCPU inventory; Liberty passes as a fail-safe)', () => {
    const none = { vcpusTotal: 0, vcpusUsed: 0, cpuAllocationRatio: 16 };
    expect(passes(createCoreFilter({ novaVersion: 'zed' }), none)).toBe(false);
    expect(passes(createCoreFilter(), none)).toBe(true);
  });

  it('CoreFilter: more vCPUs than the host has fail whatever the ratio; the capacity is total * ratio', () => {
    const host = { vcpusTotal: 4, vcpusUsed: 0, cpuAllocationRatio: 0 };
    // Ratio 0: capacity 0, fails (Liberty skips the max_unit check when the limit is 0).
    expect(passes(createCoreFilter({ novaVersion: 'zed' }), host, flavor(512, 2, 1))).toBe(false);
    const h16 = { vcpusTotal: 4, vcpusUsed: 60, cpuAllocationRatio: 16 };
    // 4 * 16 = 64 capacity, 60 used: 4 fit, 5 exceed max_unit 4.
    expect(passes(createCoreFilter({ novaVersion: 'zed' }), h16, flavor(512, 4, 1))).toBe(true);
    expect(passes(createCoreFilter({ novaVersion: 'zed' }), h16, flavor(512, 5, 1))).toBe(false);
    expect(
      passes(
        createCoreFilter({ novaVersion: 'zed' }),
        { ...h16, vcpusUsed: 61 },
        flavor(512, 4, 1),
      ),
    ).toBe(false);
  });

  it("RamFilter: the Liberty rule already is placement's (max_unit and capacity)", () => {
    const zed = createRamFilter({ novaVersion: 'zed' });
    const host = { totalUsableRamMb: 4096, freeRamMb: 1024, ramAllocationRatio: 1.5 };
    // capacity 6144, used 3072: 3072 left; 4096 is also the max_unit.
    expect(passes(zed, host, flavor(3072, 1, 1))).toBe(true);
    expect(passes(zed, host, flavor(3073, 1, 1))).toBe(false);
    expect(passes(zed, { ...host, freeRamMb: 4096 }, flavor(4097, 1, 1))).toBe(false);
  });

  it('the Aggregate variants take the aggregate ratio, then apply the same check', () => {
    const agg = makeAggregate({
      metadata: {
        cpu_allocation_ratio: '1',
        ram_allocation_ratio: '1',
        disk_allocation_ratio: '3',
      },
    });
    const host = {
      aggregates: [agg],
      vcpusTotal: 0,
      totalUsableDiskGb: 10,
      freeDiskMb: 10 * 1024,
      diskAllocationRatio: 1,
    };
    expect(passes(createAggregateCoreFilter({ novaVersion: 'zed' }), host)).toBe(false);
    expect(passes(createAggregateCoreFilter(), host)).toBe(true);
    // Aggregate disk ratio 3 gives room for 30 GB, but 20 GB exceed the 10 GB disk.
    expect(
      passes(createAggregateDiskFilter({ novaVersion: 'zed' }), host, flavor(512, 1, 20)),
    ).toBe(false);
    expect(passes(createAggregateDiskFilter(), host, flavor(512, 1, 20))).toBe(true);
    const ram = { aggregates: [agg], totalUsableRamMb: 2048, freeRamMb: 2048 };
    expect(passes(createAggregateRamFilter({ novaVersion: 'zed' }), ram, flavor(2048, 1, 1))).toBe(
      true,
    );
  });

  it('rejections explain the max_unit failure', () => {
    const host = makeHost({
      totalUsableDiskGb: 100,
      freeDiskMb: 100 * 1024,
      diskAllocationRatio: 2,
    });
    expect(
      createDiskFilter({ novaVersion: 'zed' }).rejection?.(host, flavor(512, 1, 150)),
    ).toMatchObject({
      filter: 'DiskFilter',
      resource: 'disk_mb',
      requested: 150 * 1024,
      reason: `insufficient disk: ${150 * 1024} MB requested, host total ${100 * 1024} MB`,
    });
    const cpu = makeHost({ vcpusTotal: 0 });
    expect(
      createCoreFilter({ novaVersion: 'zed' }).rejection?.(cpu, flavor(512, 1, 1)),
    ).toMatchObject({
      reason: 'insufficient vCPUs: 1 requested, host total 0',
    });
    expect(createCoreFilter().rejection?.(cpu, flavor(512, 1, 1))).toBeUndefined();
  });

  it('the kernels keep exactly the rows the scalar check passes', () => {
    const states = [
      makeHost({
        vcpusTotal: 0,
        totalUsableDiskGb: 100,
        freeDiskMb: 102400,
        diskAllocationRatio: 2,
      }),
      makeHost({
        vcpusTotal: 2,
        vcpusUsed: 0,
        cpuAllocationRatio: 16,
        totalUsableDiskGb: 200,
        freeDiskMb: 0,
        diskAllocationRatio: 2,
      }),
      makeHost({
        vcpusTotal: 8,
        vcpusUsed: 7,
        cpuAllocationRatio: 1,
        totalUsableDiskGb: 160,
        freeDiskMb: 163840,
        diskAllocationRatio: 1,
      }),
    ];
    const request = flavor(512, 1, 150);
    for (const filter of [
      createCoreFilter({ novaVersion: 'zed' }),
      createDiskFilter({ novaVersion: 'zed' }),
    ]) {
      const rows = Int32Array.from([0, 1, 2]);
      const kept = filter.filterColumns?.(columnsOf(states, 'full'), rows, 3, request) ?? -1;
      const expected = [0, 1, 2].filter((i) =>
        filter.hostPasses(makeHost({ ...states[i] }), request),
      );
      expect([...rows.subarray(0, kept)]).toEqual(expected);
    }
  });

  it('every plugin follows [opie] nova_version', () => {
    const big = flavor(512, 1, 150);
    const host = {
      totalUsableDiskGb: 100,
      freeDiskMb: 100 * 1024,
      diskAllocationRatio: 2,
      vcpusTotal: 0,
    };
    const plugins = [
      ramFilterPlugin,
      coreFilterPlugin,
      diskFilterPlugin,
      aggregateRamFilterPlugin,
      aggregateCoreFilterPlugin,
      aggregateDiskFilterPlugin,
    ];
    for (const plugin of plugins) {
      expect(plugin.options?.map((o) => `${o.group}.${o.name}`)).toEqual(['opie.nova_version']);
    }
    const make = (plugin: (typeof plugins)[number], values: Record<string, string>) =>
      plugin.create(pluginContext(plugin, values));
    expect(passes(make(diskFilterPlugin, { 'opie.nova_version': 'zed' }), host, big)).toBe(false);
    expect(passes(make(diskFilterPlugin, {}), host, big)).toBe(true);
    expect(passes(make(coreFilterPlugin, { 'opie.nova_version': 'zed' }), host)).toBe(false);
    expect(passes(make(coreFilterPlugin, {}), host)).toBe(true);
  });
});
