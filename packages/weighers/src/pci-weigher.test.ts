import { describe, expect, it } from 'vitest';
import { makeAggregate, makeHost, makeRequest, pluginContext } from '@opie/testing';
import { createPciWeigher, pciWeigherPlugin, pciWeightMultiplierOption } from './pci-weigher.js';
import { weighHosts } from './weigh-hosts.js';

// nova Zed's test_weights_pci.py, the case opie has: hosts without PCI
// devices. Each weighs MAX_DEVS - min(0, 99) = 100, so all normalise to 0.
describe('PCIWeigher', () => {
  const hosts = () => [makeHost({ host: 'host1' }), makeHost({ host: 'host2' })];

  it('hosts without PCI devices all weigh 100 raw and 0 in total, with or without PCI requests', () => {
    for (const request of [makeRequest(), makeRequest({ pciRequests: [{ count: 1 }] })]) {
      const weighed = weighHosts([createPciWeigher({ multiplier: 5 })], hosts(), request);
      expect(weighed.map((w) => [w.terms[0]?.raw, w.weight])).toEqual([
        [100, 0],
        [100, 0],
      ]);
    }
  });

  it('the multiplier: configured, or the aggregate value (test_pci_weigher_multiplier)', () => {
    const w = createPciWeigher({ multiplier: 0 });
    expect(w.multiplierFor?.(makeHost())).toBe(0);
    const agg = [makeAggregate({ metadata: { pci_weight_multiplier: '2' } })];
    expect(w.multiplierFor?.(makeHost({ aggregates: agg }))).toBe(2);
  });

  it('plugin: [filter_scheduler] pci_weight_multiplier, Zed default 1.0, minimum 0', () => {
    expect(pciWeightMultiplierOption).toMatchObject({
      group: 'filter_scheduler',
      name: 'pci_weight_multiplier',
      default: 1.0,
    });
    expect(pciWeightMultiplierOption.schema?.safeParse(-1).success).toBe(false);
    expect(pciWeigherPlugin.create(pluginContext(pciWeigherPlugin)).multiplier).toBe(1);
  });
});
