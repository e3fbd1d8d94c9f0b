import { describe, expect, it } from 'vitest';
import type { HostState } from '@opie/core';
import { makeHost, makeInstance, makeRequest, pluginContext } from '@opie/testing';
import {
  createPreemptibleCountWeigher,
  preemptibleCountWeigherPlugin,
  preemptibleCountWeightMultiplierOption,
} from './preemptible-count-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const request = makeRequest();

/** host1..host4 with one normal instance each and 0, 1, 2, 3 preemptible ones. */
function hosts(): HostState[] {
  return [0, 1, 2, 3].map((count, idx) =>
    makeHost({
      host: `host${idx + 1}`,
      instances: [
        makeInstance({ systemMetadata: {} }),
        ...Array.from({ length: count }, () =>
          makeInstance({ systemMetadata: { preemptible: 'True' } }),
        ),
      ],
    }),
  );
}

const result = (multiplier?: number) =>
  weighHosts([createPreemptibleCountWeigher({ multiplier })], hosts(), request).map((w) => [
    w.host.host,
    w.weight,
  ]);

describe('PreemptibleCountWeigher', () => {
  it('test_default (opie): 0..3 preemptibles give 1000, 666.67, 333.33, 0 (opie/scheduler/weights/preemptible.py)', () => {
    const weighed = result();
    expect(weighed.map(([h]) => h)).toEqual(['host1', 'host2', 'host3', 'host4']);
    expect(weighed[0]![1]).toBe(1000.0);
    expect(weighed[1]![1]).toBeCloseTo(666.67, 2);
    expect(weighed[2]![1]).toBeCloseTo(333.33, 2);
    expect(weighed[3]![1]).toBe(0.0);
  });

  it('test_negative_multiplier (opie)', () => {
    const weighed = result(-1.0);
    expect(weighed.map(([h]) => h)).toEqual(['host4', 'host3', 'host2', 'host1']);
    expect(weighed[0]![1]).toBe(0.0);
    expect(weighed[3]![1]).toBe(-1.0);
  });

  it('test_multiplier (opie)', () => {
    const weighed = result(2.0);
    expect(weighed.map(([h]) => h)).toEqual(['host1', 'host2', 'host3', 'host4']);
    expect(weighed[0]![1]).toBe(2.0);
    expect(weighed[3]![1]).toBe(0.0);
  });

  it('test_multiplier_zero (opie)', () => {
    expect(result(0).every(([, weight]) => weight === 0)).toBe(true);
  });

  it('hosts without preemptible instances all weigh 0 (min = max = 0)', () => {
    const plain = [makeHost({ host: 'a' }), makeHost({ host: 'b', instances: [makeInstance()] })];
    const weighed = weighHosts([createPreemptibleCountWeigher()], plain, request);
    expect(weighed.map((w) => [w.host.host, w.weight])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('raw weight is minus the preemptible count, class maxval 0', () => {
    const weigher = createPreemptibleCountWeigher();
    expect(weigher.maxval).toBe(0);
    expect(weigher.minval).toBeUndefined();
    expect(weigher.weigh(hosts()[3]!, request)).toBe(-3);
    expect(Object.is(weigher.weigh(hosts()[0]!, request), 0)).toBe(true);
  });

  it('counts instances marked preemptible strictly (the explicit flag or a true system_metadata value)', () => {
    const host = makeHost({
      instances: [
        makeInstance({ preemptible: true }),
        makeInstance({ systemMetadata: { preemptible: 'yes' } }),
        makeInstance({ systemMetadata: { preemptible: 'false' } }), // opie counted this one
        makeInstance({ preemptible: false, systemMetadata: { preemptible: 'True' } }),
      ],
    });
    expect(createPreemptibleCountWeigher().weigh(host, request)).toBe(-2);
  });

  it("reads the host's cached preemptible list when it has one (the host manager keeps it)", () => {
    const spots = [makeInstance({ preemptible: true }), makeInstance({ preemptible: true })];
    const host = makeHost({ instances: spots, preemptibleInstances: spots.slice(1) });
    expect(createPreemptibleCountWeigher().weigh(host, request)).toBe(-1);
  });

  it('plugin reads [DEFAULT] preemptible_count_weight_multiplier (default 1000.0)', () => {
    const plugin = preemptibleCountWeigherPlugin;
    expect(plugin.classPath).toBe('opie.scheduler.weights.preemptible.PreemptibleCountWeigher');
    expect(plugin.create(pluginContext(plugin)).multiplier).toBe(1000.0);
    const ctx = pluginContext(plugin, { 'DEFAULT.preemptible_count_weight_multiplier': 5 });
    expect(plugin.create(ctx).multiplier).toBe(5);
    expect(preemptibleCountWeightMultiplierOption).toMatchObject({
      group: 'DEFAULT',
      type: 'float',
      default: 1000.0,
    });
  });
});
