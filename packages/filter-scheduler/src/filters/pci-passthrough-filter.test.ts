import { describe, expect, it } from 'vitest';
import { makeFlavor, makeHost, makeRequest, pluginContext, recordingLogger } from '@opie/testing';
import type { HostState } from '@opie/core';
import {
  createPciPassthroughFilter,
  pciNeeds,
  pciPassthroughFilterPlugin,
} from './pci-passthrough-filter.js';

const hosts: HostState[] = [makeHost({ host: 'h1' }), makeHost({ host: 'h2' })];

describe('PciPassthroughFilter', () => {
  it('test_pci_passthrough_no_pci_request (nova): every host passes', () => {
    const logger = recordingLogger();
    const filter = createPciPassthroughFilter({ logger });
    for (const request of [
      makeRequest(),
      makeRequest({ pciRequests: [] }),
      makeRequest({ pciRequests: { requests: [] } }),
      makeRequest({ pciRequests: null }),
    ]) {
      expect(pciNeeds(request)).toEqual([]);
      expect(filter.passesAll?.(request)).toBe(true);
      for (const h of hosts) expect(filter.hostPasses(h, request)).toBe(true);
      expect(filter.filterAll?.([...hosts], hosts.length, request)).toBe(hosts.length);
    }
    expect(logger.warnings).toEqual([]);
  });

  it.each([
    [
      makeRequest({ flavor: makeFlavor({ extraSpecs: { 'pci_passthrough:alias': 'a1:2' } }) }),
      ['flavor extra spec pci_passthrough:alias=a1:2'],
    ],
    [makeRequest({ pciRequests: [{ count: 1 }] }), ['PCI devices (pciRequests)']],
    [makeRequest({ pciRequests: { requests: [{ count: 1 }] } }), ['PCI devices (pciRequests)']],
  ])('a request with PCI needs fails every host and says why (%#)', (request, needs) => {
    const logger = recordingLogger();
    const filter = createPciPassthroughFilter({ logger });
    expect(pciNeeds(request)).toEqual(needs);
    expect(filter.passesAll?.(request)).toBe(false);
    for (const h of hosts) expect(filter.hostPasses(h, request)).toBe(false);
    expect(filter.filterAll?.([...hosts], hosts.length, request)).toBe(0);
    expect(logger.warnings.map((w) => w.message)).toEqual([
      `PciPassthroughFilter: the request asks for ${needs.join(', ')}, but opie does not model host PCI device pools; every host fails`,
    ]);
  });

  it('plugin definition: loads (no longer refused)', () => {
    expect(pciPassthroughFilterPlugin.classPath).toBe(
      'nova.scheduler.filters.pci_passthrough_filter.PciPassthroughFilter',
    );
    expect(pciPassthroughFilterPlugin.unsupported).toBeUndefined();
    const filter = pciPassthroughFilterPlugin.create(pluginContext(pciPassthroughFilterPlugin));
    expect(filter.name).toBe('PciPassthroughFilter');
    expect(filter.runFilterOncePerRequest).toBe(false);
  });
});
