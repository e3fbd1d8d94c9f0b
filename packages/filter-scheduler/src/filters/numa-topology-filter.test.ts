import { describe, expect, it } from 'vitest';
import { makeFlavor, makeHost, makeRequest, pluginContext, recordingLogger } from '@opie/testing';
import type { HostState } from '@opie/core';
import {
  createNumaTopologyFilter,
  numaNeeds,
  numaTopologyFilterPlugin,
} from './numa-topology-filter.js';

const hosts: HostState[] = [makeHost({ host: 'h1' }), makeHost({ host: 'h2', freeRamMb: -1 })];

function flavorRequest(extraSpecs: Record<string, string>) {
  return makeRequest({ flavor: makeFlavor({ extraSpecs }) });
}

describe('NUMATopologyFilter', () => {
  it('test_numa_topology_filter_pass (nova): a request without NUMA needs passes every host', () => {
    // nova: a request without a NUMA topology passes every host, whatever the host has.
    const logger = recordingLogger();
    const filter = createNumaTopologyFilter({ logger });
    const request = flavorRequest({
      'hw:cpu_policy': 'shared',
      'aggregate_instance_extra_specs:x': '1',
    });
    expect(filter.passesAll?.(request)).toBe(true);
    for (const h of hosts) expect(filter.hostPasses(h, request)).toBe(true);
    expect(filter.filterAll?.([...hosts], hosts.length, request)).toBe(hosts.length);
    expect(logger.warnings).toEqual([]);
  });

  it.each([
    [{ 'hw:numa_nodes': '2' }, {}, ['flavor extra spec hw:numa_nodes=2']],
    [{ 'hw:numa_cpus.0': '0,1' }, {}, ['flavor extra spec hw:numa_cpus.0=0,1']],
    [{ 'hw:cpu_policy': 'dedicated' }, {}, ['flavor extra spec hw:cpu_policy=dedicated']],
    [{ 'hw:mem_page_size': 'large' }, {}, ['flavor extra spec hw:mem_page_size=large']],
    [{}, { hw_numa_nodes: '1' }, ['image property hw_numa_nodes=1']],
    [{}, { hw_cpu_policy: 'dedicated' }, ['image property hw_cpu_policy=dedicated']],
    [{}, { hw_mem_page_size: '2048' }, ['image property hw_mem_page_size=2048']],
  ])('a request with %j / %j fails every host and says why', (extraSpecs, properties, needs) => {
    const logger = recordingLogger();
    const filter = createNumaTopologyFilter({ logger });
    const request = makeRequest({ flavor: makeFlavor({ extraSpecs }), image: { properties } });
    expect(numaNeeds(request)).toEqual(needs);
    expect(filter.passesAll?.(request)).toBe(false);
    for (const h of hosts) expect(filter.hostPasses(h, request)).toBe(false);
    expect(filter.filterAll?.([...hosts], hosts.length, request)).toBe(0);
    // Worked out once per request: one warning, naming the filter and what is not modelled.
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.message).toBe(
      `NUMATopologyFilter: the request asks for ${needs.join(', ')}, but opie does not model ` +
        'host NUMA topologies (cells, CPU pinning, huge pages); every host fails',
    );
  });

  it('a request carrying a numaTopology fails', () => {
    const filter = createNumaTopologyFilter();
    const request = makeRequest({ numaTopology: { cells: [] } });
    expect(numaNeeds(request)).toEqual(['a NUMA topology (numaTopology)']);
    expect(filter.hostPasses(makeHost(), request)).toBe(false);
  });

  it('plugin definition: loads (no longer refused) and logs through the runtime logger', () => {
    expect(numaTopologyFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.numa_topology_filter.NUMATopologyFilter',
    );
    expect(numaTopologyFilterPlugin.unsupported).toBeUndefined();
    const logger = recordingLogger();
    const filter = numaTopologyFilterPlugin.create(
      pluginContext(numaTopologyFilterPlugin, {}, logger),
    );
    expect(filter.name).toBe('NUMATopologyFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
    expect(filter.hostPasses(makeHost(), flavorRequest({ 'hw:numa_nodes': '1' }))).toBe(false);
    expect(logger.warnings).toHaveLength(1);
  });
});
