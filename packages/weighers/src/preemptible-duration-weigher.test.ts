import { describe, expect, it } from 'vitest';
import type { HostState } from '@opie/core';
import { ConfigError } from '@opie/core';
import { makeHost, makeInstance, makeRequest, pluginContext } from '@opie/testing';
import {
  createPreemptibleDurationWeigher,
  preemptibleBillingPeriodOption,
  preemptibleDurationWeigherPlugin,
  preemptibleDurationWeightMultiplierOption,
} from './preemptible-duration-weigher.js';
import { weighHosts } from './weigh-hosts.js';

const MINUTE = 60_000;
const at = (hour: number, minute: number, second = 0) =>
  Date.UTC(2015, 10, 5, hour, minute, second);
const now = at(11, 0);
const request = makeRequest({}, { now });

/** host1..host4: one normal instance and one preemptible created at 10:00, 10:01, 10:02, 10:03. */
function hosts(): HostState[] {
  return [0, 1, 2, 3].map((idx) =>
    makeHost({
      host: `host${idx + 1}`,
      instances: [
        makeInstance({ systemMetadata: {}, createdAt: at(9, 0) }),
        makeInstance({ systemMetadata: { preemptible: 'True' }, createdAt: at(10, idx) }),
      ],
    }),
  );
}

const result = (multiplier?: number) =>
  weighHosts([createPreemptibleDurationWeigher({ multiplier })], hosts(), request).map((w) => ({
    host: w.host.host,
    weight: w.weight,
  }));

describe('PreemptibleDurationWeigher', () => {
  it('test_default (opie): weights 1000, 0, 16.95, 33.90; order host1, host4, host3, host2 (opie/scheduler/weights/preemptible.py)', () => {
    const weighed = result();
    expect(weighed.map((w) => w.host)).toEqual(['host1', 'host4', 'host3', 'host2']);
    expect(weighed[0]!.weight).toBe(1000.0);
    expect(weighed[1]!.weight).toBeCloseTo(33.9, 2);
    expect(weighed[2]!.weight).toBeCloseTo(16.95, 2);
    expect(weighed[3]!.weight).toBe(0.0);
  });

  it('test_negative_multiplier (opie)', () => {
    const weighed = result(-1.0);
    expect(weighed.map((w) => w.host)).toEqual(['host2', 'host3', 'host4', 'host1']);
    expect(weighed[0]!.weight).toBe(0.0);
    expect(weighed[3]!.weight).toBe(-1.0);
  });

  it('test_multiplier (opie)', () => {
    const weighed = result(2.0);
    expect(weighed.map((w) => w.host)).toEqual(['host1', 'host4', 'host3', 'host2']);
    expect(weighed[0]!.weight).toBe(2.0);
    expect(weighed[3]!.weight).toBe(0.0);
  });

  it('test_multiplier_zero (opie)', () => {
    expect(result(0).every((w) => w.weight === 0)).toBe(true);
  });

  it('raw weight is minus the seconds into the current hour, summed over preemptibles', () => {
    const weigher = createPreemptibleDurationWeigher();
    expect(weigher.maxval).toBe(0);
    expect(weigher.minval).toBeUndefined();
    const raws = hosts().map((h) => weigher.weigh(h, request));
    expect(raws).toEqual([0, -3540, -3480, -3420]);
    const two = makeHost({
      instances: [
        makeInstance({ preemptible: true, createdAt: now - 90 * MINUTE }), // 1800 s into its hour
        makeInstance({ preemptible: true, createdAt: now - 1500 }), // 1.5 s
      ],
    });
    expect(weigher.weigh(two, request)).toBe(-1801.5);
  });

  it('an instance created in the future counts from the end of a period (Python modulo)', () => {
    const weigher = createPreemptibleDurationWeigher();
    const future = makeHost({
      instances: [makeInstance({ preemptible: true, createdAt: now + MINUTE })],
    });
    expect(weigher.weigh(future, request)).toBe(-3540);
    const farFuture = makeHost({
      instances: [makeInstance({ preemptible: true, createdAt: now + 2 * 3600_000 + 1000 })],
    });
    expect(weigher.weigh(farFuture, request)).toBe(-3599);
  });

  it('uses a custom billing period', () => {
    const weigher = createPreemptibleDurationWeigher({ billingPeriod: 60 });
    const host = makeHost({
      instances: [makeInstance({ preemptible: true, createdAt: now - 29.5 * MINUTE })],
    });
    expect(weigher.weigh(host, request)).toBe(-30);
    // 10:01 is 59 minutes before now: a whole number of one-minute periods.
    expect(weigher.weigh(hosts()[1]!, request)).toBe(0);
  });

  it('reads now from the request, not a clock', () => {
    const weigher = createPreemptibleDurationWeigher();
    const host = hosts()[0]!;
    expect(weigher.weigh(host, makeRequest({}, { now: now + 10 * MINUTE }))).toBe(-600);
  });

  it("reads the host's cached preemptible list when it has one; the sum follows now", () => {
    const weigher = createPreemptibleDurationWeigher();
    const early = makeInstance({ preemptible: true, createdAt: at(10, 10) });
    const late = makeInstance({ preemptible: true, createdAt: at(10, 20) });
    const host = makeHost({ instances: [early, late], preemptibleInstances: [late] });
    expect(weigher.weigh(host, request)).toBe(-40 * 60);
    expect(weigher.weigh(host, makeRequest({}, { now: now + MINUTE }))).toBe(-41 * 60);
  });

  it("reads the host's compact creation times when it has them", () => {
    const weigher = createPreemptibleDurationWeigher();
    const spot = makeInstance({ preemptible: true, createdAt: at(10, 10) });
    const host = makeHost({
      instances: [spot],
      preemptibleInstances: [spot],
      preemptibleCreatedAt: Float64Array.of(at(10, 50), at(9, 30)),
    });
    expect(weigher.weigh(host, request)).toBe(-(10 * 60 + 30 * 60));
  });

  it('hosts without preemptible instances all weigh +0', () => {
    const weigher = createPreemptibleDurationWeigher();
    const host = makeHost({ instances: [makeInstance({ createdAt: at(10, 30) })] });
    expect(Object.is(weigher.weigh(host, request), 0)).toBe(true);
    const weighed = weighHosts([weigher], [host, makeHost({ host: 'other' })], request);
    expect(weighed.map((w) => w.weight)).toEqual([0, 0]);
  });

  it.each([0, -5, 1.5, null, Number.NaN])('rejects billing period %s with a ConfigError', (p) => {
    let caught: unknown;
    try {
      createPreemptibleDurationWeigher({ billingPeriod: p });
    } catch (error) {
      caught = error;
    }
    expect(ConfigError.isInstance(caught)).toBe(true);
    expect((caught as ConfigError).issues[0]).toMatchObject({
      section: 'DEFAULT',
      key: 'preemptible_billing_period',
    });
  });

  it('plugin reads the multiplier and billing period from [DEFAULT]', () => {
    const plugin = preemptibleDurationWeigherPlugin;
    expect(plugin.classPath).toBe('opie.scheduler.weights.preemptible.PreemptibleDurationWeigher');
    expect(plugin.create(pluginContext(plugin)).multiplier).toBe(1000.0);
    const weigher = plugin.create(
      pluginContext(plugin, {
        'DEFAULT.preemptible_duration_weight_multiplier': 3,
        'DEFAULT.preemptible_billing_period': 60,
      }),
    );
    expect(weigher.multiplier).toBe(3);
    expect(weigher.weigh(hosts()[1]!, request)).toBe(0);
    expect(() =>
      plugin.create(pluginContext(plugin, { 'DEFAULT.preemptible_billing_period': 0 })),
    ).toThrow(ConfigError);
  });

  it('declares its options', () => {
    expect(preemptibleDurationWeightMultiplierOption).toMatchObject({
      group: 'DEFAULT',
      name: 'preemptible_duration_weight_multiplier',
      type: 'float',
      default: 1000.0,
    });
    expect(preemptibleBillingPeriodOption).toMatchObject({
      group: 'DEFAULT',
      name: 'preemptible_billing_period',
      type: 'int',
      default: 3600,
    });
  });
});
