import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HostFilter, HostState, HostWeigher } from '@opie/core';
import { columnsOf, makeFilterRequest } from '@opie/core';
import {
  makeAggregate,
  makeFlavor,
  makeHost,
  makeInstance,
  makeService,
  makeSpec,
} from '@opie/testing';
import {
  createCpuWeigher,
  createDiskWeigher,
  createIoOpsWeigher,
  createPreemptibleCountWeigher,
  createPreemptibleDurationWeigher,
  createRamWeigher,
} from '@opie/weighers';
import {
  createAggregateImagePropertiesIsolationFilter,
  createAggregateInstanceExtraSpecsFilter,
  createAggregateMultiTenancyIsolationFilter,
  createAggregateTypeAffinityFilter,
  createIsolatedHostsFilter,
  createAvailabilityZoneFilter,
  createComputeFilter,
  createCoreFilter,
  createDiskFilter,
  createImagePropertiesFilter,
  createIoOpsFilter,
  createNumInstancesFilter,
  createRamFilter,
  createServerGroupAffinityFilter,
  createServerGroupAntiAffinityFilter,
} from '../index.js';
import { runFilterStage } from './filter-stage.js';
import { applyLimitDeclaration } from './limits.js';

/*
 * Every batch form against the filter's or weigher's own scalar form, on
 * random hosts: the kernels (`filterColumns`, `weighColumns`), the key
 * memoisation (`dependsOn`) and the limit declarations must give exactly
 * what `hostPasses` / `weigh` give and write, host by host.
 */

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

const hostArb = fc.record({
  totalUsableRamMb: fc.constantFrom(0, 1024, 4096, 8192),
  freeRamMb: fc.integer({ min: -4096, max: 8192 }),
  ramAllocationRatio: fc.constantFrom(0, 0.5, 1, 1.5, NaN),
  vcpusTotal: fc.constantFrom(0, 2, 8),
  vcpusUsed: fc.integer({ min: 0, max: 20 }),
  cpuAllocationRatio: fc.constantFrom(0, 1, 4, 16),
  totalUsableDiskGb: fc.constantFrom(0, 40, 100),
  freeDiskMb: fc.integer({ min: -10240, max: 102400 }),
  diskAllocationRatio: fc.constantFrom(0.7, 1, 1.1),
  numInstances: fc.integer({ min: 0, max: 12 }),
  numIoOps: fc.integer({ min: 0, max: 12 }),
  service: fc.constantFrom('up', 'down', 'disabled', 'forced', 'none', 'unknown'),
  zone: fc.constantFrom(undefined, 'az1', 'az1,az2', 'az2'),
  ssd: fc.boolean(),
  arch: fc.constantFrom('x86_64', 'aarch64'),
  name: fc.integer({ min: 0, max: 4 }),
  preemptible: fc.array(fc.integer({ min: 0, max: 7200 }), { maxLength: 4 }),
});

const AGG_SSD = makeAggregate({
  id: 9,
  name: 'ssd',
  metadata: {
    ssd: 'true',
    filter_tenant_id: 'p1,p2',
    instance_type: 'm1.small',
    os_distro: 'linux',
  },
});
const ZONES = new Map(
  ['az1', 'az1,az2', 'az2'].map((z, i) => [
    z,
    makeAggregate({ id: i + 1, name: z, metadata: { availability_zone: z } }),
  ]),
);

function hostOf(h: typeof hostArb extends fc.Arbitrary<infer T> ? T : never, i: number): HostState {
  const services = {
    up: makeService({ host: `h${i}`, lastSeenUp: NOW - 1000 }),
    down: makeService({ host: `h${i}`, lastSeenUp: NOW - 3600_000 }),
    disabled: makeService({ host: `h${i}`, disabled: true, lastSeenUp: NOW }),
    forced: makeService({ host: `h${i}`, forcedDown: true, lastSeenUp: NOW }),
    unknown: { host: `h${i}`, disabled: false },
    none: undefined,
  } as const;
  const aggregates = [
    ...(h.zone !== undefined ? [ZONES.get(h.zone)!] : []),
    ...(h.ssd ? [AGG_SSD] : []),
  ];
  return makeHost({
    host: `h${h.name}`,
    nodename: `n${i}`,
    totalUsableRamMb: h.totalUsableRamMb,
    freeRamMb: h.freeRamMb,
    ramAllocationRatio: h.ramAllocationRatio,
    vcpusTotal: h.vcpusTotal,
    vcpusUsed: h.vcpusUsed,
    cpuAllocationRatio: h.cpuAllocationRatio,
    totalUsableDiskGb: h.totalUsableDiskGb,
    freeDiskMb: h.freeDiskMb,
    diskAllocationRatio: h.diskAllocationRatio,
    numInstances: h.numInstances,
    numIoOps: h.numIoOps,
    service: services[h.service],
    aggregates,
    supportedInstances: [[h.arch, 'qemu', 'hvm']],
    instances: h.preemptible.map((age, k) =>
      makeInstance({
        uuid: `p${i}-${k}`,
        preemptible: true,
        systemMetadata: { preemptible: 'True' },
        createdAt: NOW - age * 1000,
      }),
    ),
  });
}

const requestArb = fc.record({
  memoryMb: fc.constantFrom(0, 512, 2048, 8192),
  vcpus: fc.constantFrom(0, 1, 4, 9),
  rootGb: fc.constantFrom(0, 10, 50),
  swap: fc.constantFrom(0, 512),
  zone: fc.constantFrom(undefined, 'az1', 'az2', 'nova'),
  arch: fc.constantFrom(undefined, 'x86_64', 'aarch64', 'bogus-arch'),
  ssd: fc.boolean(),
  group: fc.constantFrom(undefined, 'affinity', 'anti-affinity'),
  groupHost: fc.integer({ min: 0, max: 4 }),
  project: fc.constantFrom(undefined, 'p1', 'p3'),
  flavorName: fc.constantFrom('m1.small', 'm1.large'),
  imageId: fc.constantFrom('img', 'img-iso'),
  distro: fc.constantFrom(undefined, 'linux', 'windows'),
});

function requestOf(r: typeof requestArb extends fc.Arbitrary<infer T> ? T : never) {
  return makeFilterRequest(
    makeSpec({
      ...(r.project !== undefined ? { projectId: r.project } : {}),
      flavor: makeFlavor({
        name: r.flavorName,
        memoryMb: r.memoryMb,
        vcpus: r.vcpus,
        rootGb: r.rootGb,
        swap: r.swap,
        extraSpecs: r.ssd ? { 'aggregate_instance_extra_specs:ssd': 'true' } : {},
      }),
      image: {
        id: r.imageId,
        properties: {
          ...(r.arch !== undefined ? { architecture: r.arch } : {}),
          ...(r.distro !== undefined ? { os_distro: r.distro } : {}),
        },
      },
      ...(r.zone !== undefined ? { availabilityZone: r.zone } : {}),
      ...(r.group !== undefined
        ? { instanceGroup: { policies: [r.group], hosts: [`h${r.groupHost}`] } }
        : {}),
    }),
    NOW,
  );
}

const FILTERS: (() => HostFilter)[] = [
  () => createRamFilter(),
  () => createCoreFilter(),
  () => createDiskFilter(),
  () => createComputeFilter({ serviceDownTime: 60 }),
  () => createNumInstancesFilter({ maxInstancesPerHost: 6 }),
  () => createNumInstancesFilter({ maxInstancesPerHost: null }),
  () => createIoOpsFilter({ maxIoOpsPerHost: 8 }),
  () => createAvailabilityZoneFilter(),
  () => createAggregateInstanceExtraSpecsFilter(),
  () => createImagePropertiesFilter(),
  () => createServerGroupAffinityFilter(),
  () => createServerGroupAntiAffinityFilter(),
  () => createAggregateMultiTenancyIsolationFilter(),
  () => createAggregateImagePropertiesIsolationFilter(),
  () => createAggregateTypeAffinityFilter(),
  () => createIsolatedHostsFilter({ isolatedHosts: ['h1'], isolatedImages: ['img-iso'] }),
  () => createIsolatedHostsFilter({ isolatedHosts: ['h1', 'h2'] }),
];

describe('filter kernels and key memoisation equal hostPasses (property)', () => {
  for (const make of FILTERS) {
    it(`${make().name} (${make().filterColumns !== undefined ? 'kernel' : `key ${make().dependsOn}`})`, () => {
      fc.assert(
        fc.property(fc.array(hostArb, { minLength: 1, maxLength: 12 }), requestArb, (hs, r) => {
          const request = requestOf(r);
          const scalar = make();
          // Expected: hostPasses host by host (on copies, which it may write limits on).
          const expected = hs
            .map((h, i) => [i, scalar.hostPasses(hostOf(h, i), request)] as const)
            .filter(([, ok]) => ok)
            .map(([i]) => i);
          const states = hs.map(hostOf);
          const cols = columnsOf(states, 'full');
          const rows = Int32Array.from(states.keys());
          const batch = make();
          const result = runFilterStage([batch], cols, rows, rows.length, request);
          expect([...rows.subarray(0, result.count)]).toEqual(expected);
        }),
        { numRuns: 300, seed: 42 },
      );
    });
  }

  it('limit declarations write exactly what hostPasses writes on a passing host', () => {
    const declared = FILTERS.map((m) => m()).filter((f) => f.limitDeclarations !== undefined);
    expect(declared.map((f) => f.name)).toEqual([
      'RamFilter',
      'CoreFilter',
      'DiskFilter',
      'NumInstancesFilter',
      'IoOpsFilter',
    ]);
    fc.assert(
      fc.property(hostArb, requestArb, (h, r) => {
        const request = requestOf(r);
        for (const filter of declared) {
          const passed = hostOf(h, 0);
          if (!filter.hostPasses(passed, request)) continue;
          const viaDeclaration = hostOf(h, 0);
          for (const d of filter.limitDeclarations ?? []) {
            applyLimitDeclaration(d, viaDeclaration, viaDeclaration.limits);
          }
          expect(viaDeclaration.limits).toEqual(passed.limits);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});

/*
 * The same properties under `[opie] nova_version = zed`: the Zed rules'
 * kernels and key forms must equal their own scalar rule. The Zed requests
 * add what those rules read (Zed image names, group members and rules, the
 * request's placements so far); a request nova Zed refuses (an invalid image
 * property) must be refused by both forms with the same error.
 */
const zedRequestArb = fc.record({
  base: requestArb,
  hwArch: fc.constantFrom(undefined, 'x86_64', 'aarch64', 'AMD64', 'bogus-arch'),
  hvType: fc.constantFrom(undefined, 'qemu', 'kvm'),
  vmMode: fc.constantFrom(undefined, 'hvm', 'xen', 'pv'),
  members: fc.subarray(['p0-0', 'p1-0', 'p2-1', 'p3-0', 'p5-2', 'x'], { maxLength: 4 }),
  maxServerPerHost: fc.constantFrom(undefined, 1, 2, 3),
  placed: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 3 }),
  index: fc.integer({ min: 0, max: 2 }),
});

function zedRequestOf(
  z: typeof zedRequestArb extends fc.Arbitrary<infer T> ? T : never,
  hs: readonly unknown[],
) {
  const base = requestOf(z.base);
  const properties: Record<string, unknown> = { ...base.spec.image.properties };
  if (z.hwArch !== undefined) properties['hw_architecture'] = z.hwArch;
  if (z.hvType !== undefined) properties['img_hv_type'] = z.hvType;
  if (z.vmMode !== undefined) properties['hw_vm_mode'] = z.vmMode;
  const group = base.spec.instanceGroup;
  const spec = {
    ...base.spec,
    image: { ...base.spec.image, properties },
    instanceUuids: ['me-0', 'me-1', 'me-2'],
    numInstances: 3,
    ...(group !== undefined
      ? {
          instanceGroup: {
            ...group,
            members: z.members,
            ...(z.maxServerPerHost !== undefined
              ? { rules: { max_server_per_host: z.maxServerPerHost } }
              : {}),
          },
        }
      : {}),
  };
  const request = makeFilterRequest(spec, NOW);
  request.index = z.index;
  // Instances of this request already placed: on nodes of the cloud (row i is node n<i>).
  for (const row of z.placed) {
    if (row >= hs.length) continue;
    const h = hs[row] as { name: number };
    request.placements?.push({ host: `h${h.name}`, nodename: `n${row}`, uuid: `me-${row % 3}` });
  }
  return request;
}

/** What a call gives: its value, or the class and message of what it threw. */
function outcome<T>(run: () => T): { value: T } | { error: string } {
  try {
    return { value: run() };
  } catch (e) {
    return { error: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e) };
  }
}

const ZED_FILTERS: (() => HostFilter)[] = [
  () => createRamFilter({ novaVersion: 'zed' }),
  () => createCoreFilter({ novaVersion: 'zed' }),
  () => createDiskFilter({ novaVersion: 'zed' }),
  () => createImagePropertiesFilter({ novaVersion: 'zed' }),
  () => createImagePropertiesFilter({ novaVersion: 'zed', defaultArchitecture: 'x86_64' }),
  () => createServerGroupAffinityFilter(), // the same rule in nova Zed
  () => createServerGroupAntiAffinityFilter({ novaVersion: 'zed' }),
  () => createAggregateImagePropertiesIsolationFilter({ novaVersion: 'zed' }),
];

describe('filter kernels and key memoisation equal hostPasses under nova_version = zed (property)', () => {
  for (const make of ZED_FILTERS) {
    it(`${make().name} (${make().filterColumns !== undefined ? 'kernel' : `key ${make().dependsOn}`})`, () => {
      fc.assert(
        fc.property(fc.array(hostArb, { minLength: 1, maxLength: 12 }), zedRequestArb, (hs, z) => {
          const request = zedRequestOf(z, hs);
          const scalar = make();
          // Expected: hostPasses host by host (on copies), or the error it throws; a
          // once-per-request filter is not run for a later instance (every host stays).
          const skipped = scalar.runFilterOncePerRequest && request.index > 0;
          const expected = outcome(() =>
            hs
              .map((h, i) => [i, skipped || scalar.hostPasses(hostOf(h, i), request)] as const)
              .filter(([, ok]) => ok)
              .map(([i]) => i),
          );
          const states = hs.map(hostOf);
          const cols = columnsOf(states, 'full');
          const rows = Int32Array.from(states.keys());
          const batch = make();
          const got = outcome(() => {
            const result = runFilterStage([batch], cols, rows, rows.length, request);
            return [...rows.subarray(0, result.count)];
          });
          expect(got).toEqual(expected);
        }),
        { numRuns: 300, seed: 42 },
      );
    });
  }

  it('limit declarations write exactly what hostPasses writes on a passing host', () => {
    const declared = ZED_FILTERS.map((m) => m()).filter(
      (f) => f.limitDeclarations !== undefined && f.limitDeclarations.length > 0,
    );
    expect(declared.map((f) => f.name)).toEqual(['RamFilter', 'CoreFilter', 'DiskFilter']);
    fc.assert(
      fc.property(hostArb, requestArb, (h, r) => {
        const request = requestOf(r);
        for (const filter of declared) {
          const passed = hostOf(h, 0);
          if (!filter.hostPasses(passed, request)) continue;
          const viaDeclaration = hostOf(h, 0);
          for (const d of filter.limitDeclarations ?? []) {
            applyLimitDeclaration(d, viaDeclaration, viaDeclaration.limits);
          }
          expect(viaDeclaration.limits).toEqual(passed.limits);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});

const WEIGHERS: (() => HostWeigher)[] = [
  () => createRamWeigher(),
  () => createCpuWeigher(),
  () => createDiskWeigher(),
  () => createIoOpsWeigher(),
  () => createPreemptibleCountWeigher(),
  () => createPreemptibleDurationWeigher({ billingPeriod: 600 }),
];

describe('weigher kernels equal weigh (property)', () => {
  for (const make of WEIGHERS) {
    it(make().name, () => {
      fc.assert(
        fc.property(fc.array(hostArb, { minLength: 1, maxLength: 12 }), (hs) => {
          const w = make();
          const states = hs.map(hostOf);
          const request = makeFilterRequest(makeSpec(), NOW);
          const cols = columnsOf(states, 'full');
          // A subset of rows in another order: the kernel must follow `rows`.
          const rows = Int32Array.from([...states.keys()].reverse().filter((i) => i % 3 !== 1));
          const out = new Float64Array(rows.length);
          w.weighColumns?.(cols, rows, rows.length, request, out);
          expect([...out]).toEqual([...rows].map((i) => w.weigh(states[i]!, request)));
        }),
        { numRuns: 200, seed: 3 },
      );
    });
  }
});
