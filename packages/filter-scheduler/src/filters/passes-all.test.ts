import type { FilterRequest, HostFilter, HostState } from '@opie/core';
import { makeAggregate, makeFlavor, makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import { createAvailabilityZoneFilter } from './availability-zone-filter.js';
import { createComputeCapabilitiesFilter } from './compute-capabilities-filter.js';
import { createImagePropertiesFilter } from './image-properties-filter.js';
import { createRetryFilter } from './retry-filter.js';
import {
  createServerGroupAffinityFilter,
  createServerGroupAntiAffinityFilter,
} from './server-group-filter.js';

/** Hosts that differ in everything these filters read. */
const hosts: HostState[] = [
  makeHost({ host: 'h1', nodename: 'n1' }),
  makeHost({
    host: 'h2',
    nodename: 'n2',
    aggregates: [makeAggregate({ metadata: { availability_zone: 'az2' } })],
    supportedInstances: [['x86_64', 'kvm', 'hvm']],
    hypervisorType: 'QEMU',
  }),
  makeHost({ host: 'h3', nodename: 'n3', supportedInstances: [['i686', 'xen', 'xen']] }),
];

/** `passesAll` as the scheduler reads it, checked against `hostPasses` on every host. */
function skipped(filter: HostFilter, request: FilterRequest): boolean {
  const all = filter.passesAll?.(request) === true;
  if (all) for (const h of hosts) expect(filter.hostPasses(h, request)).toBe(true);
  return all;
}

describe('passesAll (the scheduler skips per-host calls)', () => {
  it('RetryFilter: no retry info, or no host tried yet', () => {
    const f = createRetryFilter();
    expect(skipped(f, makeRequest())).toBe(true);
    expect(skipped(f, makeRequest({ retry: { numAttempts: 1, hosts: [] } }))).toBe(true);
    expect(skipped(f, makeRequest({ retry: { numAttempts: 2, hosts: [['h1', 'n1']] } }))).toBe(
      false,
    );
  });

  it('AvailabilityZoneFilter: no zone, or an empty one', () => {
    const f = createAvailabilityZoneFilter();
    expect(skipped(f, makeRequest())).toBe(true);
    expect(skipped(f, makeRequest({ availabilityZone: '' }))).toBe(true);
    expect(skipped(f, makeRequest({ availabilityZone: 'nova' }))).toBe(false);
  });

  it('ServerGroupAntiAffinityFilter: without the anti-affinity policy', () => {
    const f = createServerGroupAntiAffinityFilter();
    const group = (policies: string[]) =>
      makeRequest({ instanceGroup: { policies, hosts: ['h1'] } });
    expect(skipped(f, makeRequest())).toBe(true);
    expect(skipped(f, group(['affinity']))).toBe(true);
    expect(skipped(f, group(['anti-affinity']))).toBe(false);
  });

  it('ServerGroupAffinityFilter: without the affinity policy, or while the group has no host', () => {
    const f = createServerGroupAffinityFilter();
    const group = (policies: string[], members: string[]) =>
      makeRequest({ instanceGroup: { policies, hosts: members } });
    expect(skipped(f, makeRequest())).toBe(true);
    expect(skipped(f, group(['anti-affinity'], ['h1']))).toBe(true);
    expect(skipped(f, group(['affinity'], []))).toBe(true);
    const request = group(['affinity'], []);
    request.groupHosts.add('h1'); // a member placed by this request
    expect(skipped(f, request)).toBe(false);
  });

  it('ComputeCapabilitiesFilter: no capability extra spec', () => {
    const f = createComputeCapabilitiesFilter();
    const specs = (extraSpecs: Record<string, string>) =>
      makeRequest({ flavor: makeFlavor({ extraSpecs }) });
    expect(skipped(f, makeRequest())).toBe(true);
    expect(skipped(f, specs({ 'hw:cpu_policy': 'dedicated' }))).toBe(true);
    expect(skipped(f, specs({ 'capabilities:hypervisor_type': 'QEMU' }))).toBe(false);
    expect(skipped(f, specs({ free_ram_mb: '>= 1' }))).toBe(false);
  });

  it('ImagePropertiesFilter: no architecture, hypervisor_type or vm_mode', () => {
    const f = createImagePropertiesFilter();
    const image = (properties: Record<string, unknown>) => makeRequest({ image: { properties } });
    expect(skipped(f, makeRequest())).toBe(true);
    expect(skipped(f, image({ hypervisor_version_requires: '>=6.0' }))).toBe(true);
    expect(skipped(f, image({ architecture: 'x86_64' }))).toBe(false);
    expect(skipped(f, image({ architecture: 'not-an-arch' }))).toBe(false);
  });
});
