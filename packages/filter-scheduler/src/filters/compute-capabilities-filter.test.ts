import { configValuesFrom, createRuntime } from '@opie/core';
import type { HostOverrides } from '@opie/testing';
import { makeFlavor, makeHost, makeRequest } from '@opie/testing';
import { describe, expect, it } from 'vitest';
import {
  computeCapabilitiesFilterPlugin,
  createComputeCapabilitiesFilter,
} from './compute-capabilities-filter.js';

const filter = createComputeCapabilitiesFilter();

const CPU_INFO =
  ' { "vendor": "Intel", "model": "core2duo", "arch": "i686","features": ["lahf_lm", "rdtscp"], ' +
  '"topology": {"cores": 1, "threads":1, "sockets": 1}} ';

function passes(host: HostOverrides, extraSpecs: Record<string, string>): boolean {
  const request = makeRequest({ flavor: makeFlavor({ memoryMb: 1024, extraSpecs }) });
  return filter.hostPasses(makeHost({ freeRamMb: 1024, ...host }), request);
}

describe('ComputeCapabilitiesFilter', () => {
  it('is nova ComputeCapabilitiesFilter, run once per request', () => {
    expect(filter.name).toBe('ComputeCapabilitiesFilter');
    expect(filter.runFilterOncePerRequest).toBe(true);
    expect(computeCapabilitiesFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.compute_capabilities_filter.ComputeCapabilitiesFilter',
    );
    const created = computeCapabilitiesFilterPlugin.create({
      conf: configValuesFrom([]),
      runtime: createRuntime(),
    });
    expect(created.name).toBe('ComputeCapabilitiesFilter');
  });

  it('test_compute_filter_passes_without_extra_specs (nova)', () => {
    expect(passes({}, {})).toBe(true);
  });

  it('test_compute_filter_fails_without_host_state (nova): nothing to read the capability from', () => {
    expect(passes({}, { 'capabilities:opts': '1' })).toBe(false);
  });

  it('test_compute_filter_fails_without_capabilites (nova)', () => {
    expect(passes({ cpuInfo: ' { } ' }, { 'capabilities:cpu_info:vendor': 'Intel' })).toBe(false);
  });

  it('test_compute_filter_pass_cpu_info_as_text_type (nova)', () => {
    expect(passes({ cpuInfo: CPU_INFO }, { 'capabilities:cpu_info:vendor': 'Intel' })).toBe(true);
  });

  it('test_compute_filter_pass_cpu_info_with_backward_compatibility (nova)', () => {
    expect(passes({ cpuInfo: CPU_INFO }, { cpu_info: CPU_INFO })).toBe(true);
  });

  it('test_compute_filter_fail_cpu_info_with_backward_compatibility (nova)', () => {
    expect(passes({ cpuInfo: CPU_INFO }, { cpu_info: '' })).toBe(false);
  });

  it('test_compute_filter_fail_cpu_info_as_text_type_not_valid (nova): bad JSON fails the host', () => {
    expect(passes({ cpuInfo: 'cpu_info' }, { 'capabilities:cpu_info:vendor': 'Intel' })).toBe(
      false,
    );
  });

  it('test_compute_filter_passes_extra_specs_simple (nova)', () => {
    expect(passes({ stats: { opt1: '1', opt2: '2' } }, { opt1: '1', opt2: '2' })).toBe(true);
  });

  it('test_compute_filter_fails_extra_specs_simple (nova)', () => {
    expect(passes({ stats: { opt1: '1', opt2: '2' } }, { opt1: '1', opt2: '222' })).toBe(false);
  });

  it('test_compute_filter_pass_extra_specs_simple_with_scope (nova)', () => {
    expect(passes({ stats: { opt1: '1', opt2: '2' } }, { 'capabilities:opt1': '1' })).toBe(true);
  });

  it('test_compute_filter_pass_extra_specs_same_as_scope (nova)', () => {
    expect(passes({ stats: { capabilities: '1' } }, { capabilities: '1' })).toBe(true);
  });

  it('test_compute_filter_extra_specs_simple_with_wrong_scope (nova)', () => {
    expect(passes({ stats: { opt1: '1' } }, { 'wrong_scope:opt1': '1' })).toBe(true);
  });

  it('test_compute_filter_extra_specs_pass_multi_level_with_scope (nova)', () => {
    const stats = { opt1: '{"a": 1, "b": {"aa": 2}}', opt2: '2' };
    expect(passes({ stats }, { 'opt1:a': '1', 'capabilities:opt1:b:aa': '2' })).toBe(true);
    expect(passes({ stats }, { 'capabilities:opt1:b:aa': '3' })).toBe(false);
  });

  it('test_compute_filter_pass_self_defined_specs (nova Mitaka+): Liberty fails the host instead', () => {
    // Liberty treats an un-namespaced key as a capability; nothing is named XXYY.
    expect(passes({}, { XXYY: '1' })).toBe(false);
  });

  it('test_compute_filter_pass_ram_with_backward_compatibility (nova)', () => {
    expect(passes({}, { free_ram_mb: '>= 300' })).toBe(true);
  });

  it('test_compute_filter_fail_ram_with_backward_compatibility (nova)', () => {
    expect(passes({}, { free_ram_mb: '<= 300' })).toBe(false);
  });

  it('test_compute_filter_pass_cpu_with_backward_compatibility (nova)', () => {
    expect(passes({ vcpusUsed: 0 }, { vcpus_used: '<= 20' })).toBe(true);
  });

  it('test_compute_filter_fail_cpu_with_backward_compatibility (nova)', () => {
    expect(passes({ vcpusUsed: 0 }, { vcpus_used: '>= 20' })).toBe(false);
  });

  it('test_compute_filter_pass_disk_with_backward_compatibility (nova)', () => {
    expect(passes({ freeDiskMb: 0 }, { free_disk_mb: '0' })).toBe(true);
  });

  it('test_compute_filter_fail_disk_with_backward_compatibility (nova)', () => {
    expect(passes({ freeDiskMb: 0 }, { free_disk_mb: '1' })).toBe(false);
  });

  it('matches str() of a list: cpu_info features with <in> and <all-in>', () => {
    const host = { cpuInfo: CPU_INFO };
    expect(passes(host, { 'capabilities:cpu_info:features': '<in> rdtscp' })).toBe(true);
    expect(passes(host, { 'capabilities:cpu_info:features': '<all-in> lahf_lm rdtscp' })).toBe(
      true,
    );
    expect(passes(host, { 'capabilities:cpu_info:features': "['lahf_lm', 'rdtscp']" })).toBe(true);
    expect(passes(host, { 'capabilities:cpu_info:features': '<in> avx' })).toBe(false);
  });

  it('falls back to stats when the attribute is None', () => {
    expect(passes({ stats: { hypervisor_type: 'QEMU' } }, { hypervisor_type: 'QEMU' })).toBe(true);
    expect(
      passes(
        { hypervisorType: 'kvm', stats: { hypervisor_type: 'QEMU' } },
        { hypervisor_type: 'QEMU' },
      ),
    ).toBe(false);
  });

  it('a None value fails the host', () => {
    expect(
      passes({ hypervisorVersion: undefined }, { 'capabilities:hypervisor_version': '= 1' }),
    ).toBe(false);
  });

  it('walking into a value that is neither a dict nor JSON text fails the host', () => {
    expect(passes({ freeRamMb: 1024 }, { 'capabilities:free_ram_mb:x': '1' })).toBe(false);
    expect(passes({ stats: { n: '5' } }, { 'capabilities:n:x': '5' })).toBe(false);
  });

  it('prints float attributes the Python way (16.0)', () => {
    expect(passes({ cpuAllocationRatio: 16 }, { cpu_allocation_ratio: '16.0' })).toBe(true);
    expect(passes({ cpuAllocationRatio: 16 }, { cpu_allocation_ratio: '= 16' })).toBe(true);
  });

  it('reads dict attributes with nova keys (service, stats)', () => {
    const service = { host: 'host1', disabled: false };
    expect(passes({ service }, { 'capabilities:service:disabled': 'False' })).toBe(true);
    expect(passes({ stats: { a: 'b' } }, { 'capabilities:stats:a': 'b' })).toBe(true);
  });

  it('uses the extra specs of each request', () => {
    const host = makeHost({ stats: { opt1: '1' } });
    const ok = makeRequest({ flavor: makeFlavor({ extraSpecs: { opt1: '1' } }) });
    const bad = makeRequest({ flavor: makeFlavor({ extraSpecs: { opt1: '2' } }) });
    expect(filter.hostPasses(host, ok)).toBe(true);
    expect(filter.hostPasses(host, bad)).toBe(false);
    expect(filter.hostPasses(host, ok)).toBe(true);
  });
});
