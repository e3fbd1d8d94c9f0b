import { describe, expect, it } from 'vitest';
import type { HostOverrides } from '@opie/testing';
import { makeFlavor, makeHost, makeRequest, pluginContext } from '@opie/testing';
import {
  computeCapabilitiesFilterPlugin,
  createComputeCapabilitiesFilter,
} from './compute-capabilities-filter.js';

/*
 * nova Zed's ComputeCapabilitiesFilter, ported by behaviour from
 * nova/tests/unit/scheduler/filters/test_compute_capabilities_filters.py
 * (stable/zed). Expected values follow from Zed's rule: a `capabilities:`
 * key, or an un-namespaced key that is a HostState attribute or a stats key
 * of the host, is matched against `str()` of the host's value; any other
 * un-namespaced key is ignored; other namespaces are ignored.
 */

const zed = createComputeCapabilitiesFilter({ novaVersion: 'zed' });
const liberty = createComputeCapabilitiesFilter();

function passes(
  filter: typeof zed,
  host: HostOverrides,
  extraSpecs: Record<string, string>,
): boolean {
  const request = makeRequest({ flavor: makeFlavor({ memoryMb: 1024, extraSpecs }) });
  return filter.hostPasses(makeHost({ freeRamMb: 1024, ...host }), request);
}

describe('ComputeCapabilitiesFilter (nova Zed)', () => {
  it('test_compute_filter_pass_self_defined_specs: an unknown bare key is ignored (Liberty fails)', () => {
    const host = { stats: { opt1: '1', opt2: '2' } };
    expect(passes(zed, host, { XXYY: '1' })).toBe(true);
    expect(passes(liberty, host, { XXYY: '1' })).toBe(false);
  });

  it('test_compute_filter_fails_without_capabilities: a bare key found in stats is checked', () => {
    expect(passes(zed, { stats: { capabilities: '1' } }, { capabilities: '1' })).toBe(true);
    expect(passes(zed, { stats: { capabilities: '1' } }, { capabilities: '2' })).toBe(false);
    expect(passes(zed, { cpuInfo: ' { } ' }, { 'capabilities:cpu_info:vendor': 'Intel' })).toBe(
      false,
    );
  });

  it("per host: a bare key in one host's stats is checked there and ignored on a host without it", () => {
    expect(passes(zed, { stats: { gpu: 'a100' } }, { gpu: 'a100' })).toBe(true);
    expect(passes(zed, { stats: { gpu: 't4' } }, { gpu: 'a100' })).toBe(false);
    expect(passes(zed, { stats: {} }, { gpu: 'a100' })).toBe(true);
  });

  it('test_compute_filter_extra_specs_simple_with_wrong_scope / _multi_level_with_scope: other namespaces are ignored', () => {
    const stats = { opt1: '{"a": 1, "b": {"aa": 2}}', opt2: '2' };
    expect(passes(zed, { stats }, { 'wrong_scope:opt1': '1' })).toBe(true);
    expect(passes(zed, { stats }, { 'opt1:a': '1', 'capabilities:opt1:b:aa': '2' })).toBe(true);
    expect(passes(zed, { stats }, { 'capabilities:opt1:b:aa': '3' })).toBe(false);
  });

  it('the _backward_compatibility cases: bare HostState attributes are still checked', () => {
    expect(passes(zed, {}, { free_ram_mb: '>= 300' })).toBe(true);
    expect(passes(zed, {}, { free_ram_mb: '<= 300' })).toBe(false);
    expect(passes(zed, { vcpusUsed: 0 }, { vcpus_used: '<= 20' })).toBe(true);
    expect(passes(zed, { vcpusUsed: 0 }, { vcpus_used: '>= 20' })).toBe(false);
    expect(passes(zed, { freeDiskMb: 0 }, { free_disk_mb: '0' })).toBe(true);
    expect(passes(zed, { freeDiskMb: 0 }, { free_disk_mb: '1' })).toBe(false);
  });

  it('a Zed attribute opie does not model (uuid, pci_stats, ...) is checked, found only in stats', () => {
    // hasattr() is true in Zed, its value here is None: the stats fallback decides.
    expect(passes(zed, {}, { cell_uuid: 'c1' })).toBe(false);
    expect(passes(zed, { stats: { cell_uuid: 'c1' } }, { cell_uuid: 'c1' })).toBe(true);
  });

  it('reads failed_builds as Zed does: int(stats.get("failed_builds", 0))', () => {
    expect(passes(zed, {}, { failed_builds: '0' })).toBe(true);
    expect(passes(zed, { stats: { failed_builds: '3' } }, { failed_builds: '>= 2' })).toBe(true);
    expect(passes(zed, { stats: { failed_builds: '1' } }, { failed_builds: '>= 2' })).toBe(false);
  });

  it('reads the node disk ratio, which Zed HostState has (printed as a float)', () => {
    expect(passes(zed, { diskAllocationRatio: 1 }, { disk_allocation_ratio: '1.0' })).toBe(true);
    expect(passes(zed, { diskAllocationRatio: 1.5 }, { disk_allocation_ratio: '<= 1.0' })).toBe(
      false,
    );
    // Liberty's HostState has no such attribute: the bare key fails the host.
    expect(passes(liberty, { diskAllocationRatio: 1 }, { disk_allocation_ratio: '1.0' })).toBe(
      false,
    );
  });

  it('the plugin follows [opie] nova_version', () => {
    const request = makeRequest({ flavor: makeFlavor({ extraSpecs: { XXYY: '1' } }) });
    const make = (values: Record<string, string>) =>
      computeCapabilitiesFilterPlugin.create(
        pluginContext(computeCapabilitiesFilterPlugin, values),
      );
    expect(make({ 'opie.nova_version': 'zed' }).hostPasses(makeHost(), request)).toBe(true);
    expect(make({}).hostPasses(makeHost(), request)).toBe(false);
  });
});
