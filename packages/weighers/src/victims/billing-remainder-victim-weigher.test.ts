import { describe, expect, it } from 'vitest';
import { ConfigError } from '@opie/core';
import { makeInstance, pluginContext } from '@opie/testing';
import { preemptibleBillingPeriodOption } from '../preemptible-duration-weigher.js';
import {
  BILLING_REMAINDER_VICTIM_WEIGHER,
  billingRemainderVictimWeigherPlugin,
  createBillingRemainderVictimWeigher,
} from './billing-remainder-victim-weigher.js';
import { costContext } from './__fixtures__/cost-context.js';

const at = (hour: number, minute: number, second = 0) =>
  Date.UTC(2015, 10, 5, hour, minute, second);

describe('BillingRemainderVictimWeigher', () => {
  const weigher = createBillingRemainderVictimWeigher();
  const cost = (createdAt: number, now: number) => {
    const victim = makeInstance({ createdAt });
    return weigher.cost(victim, costContext({ now, set: [victim] }));
  };

  it('costs the seconds run into the current hour (opie duration remainder, per victim)', () => {
    expect(weigher.name).toBe(BILLING_REMAINDER_VICTIM_WEIGHER);
    expect(weigher.multiplier).toBe(1.0);
    expect(weigher.setDependent).toBeUndefined();
    expect(cost(at(10, 0), at(11, 20))).toBe(1200);
    expect(cost(at(10, 1), at(11, 0))).toBe(3540);
    expect(cost(at(9, 0, 30), at(11, 0, 45))).toBe(15);
  });

  it('costs 0 at a period boundary', () => {
    expect(cost(at(9, 0), at(11, 0))).toBe(0);
    expect(cost(at(11, 0), at(11, 0))).toBe(0);
  });

  it('uses Python modulo for an instance created in the future (counts from the end of a period)', () => {
    expect(cost(at(11, 0, 10), at(11, 0))).toBe(3590);
    expect(cost(at(12, 30), at(11, 0))).toBe(1800);
  });

  it('uses a configured billing period', () => {
    const perMinute = createBillingRemainderVictimWeigher({ billingPeriod: 60, multiplier: 2 });
    const victim = makeInstance({ createdAt: at(10, 0) });
    expect(perMinute.cost(victim, costContext({ now: at(10, 2, 30), set: [victim] }))).toBe(30);
    expect(perMinute.multiplier).toBe(2);
  });

  it('rejects a billing period that is not an integer >= 1', () => {
    for (const billingPeriod of [0, -60, 1.5, null, Number.NaN]) {
      expect(() => createBillingRemainderVictimWeigher({ billingPeriod })).toThrow(ConfigError);
    }
    try {
      createBillingRemainderVictimWeigher({ billingPeriod: 0 });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).issues[0]).toMatchObject({
        section: 'DEFAULT',
        key: 'preemptible_billing_period',
      });
    }
  });

  it('rejects a negative or non-finite multiplier', () => {
    for (const multiplier of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createBillingRemainderVictimWeigher({ multiplier })).toThrow(
        /billing_remainder_weight_multiplier/,
      );
    }
    expect(createBillingRemainderVictimWeigher({ multiplier: 0 }).multiplier).toBe(0);
  });

  it('plugin: reuses the duration weigher billing period option and reads its options', () => {
    const plugin = billingRemainderVictimWeigherPlugin;
    expect(plugin.kind).toBe('victim-weigher');
    expect(plugin.options).toContain(preemptibleBillingPeriodOption);
    expect(plugin.options?.[0]).toMatchObject({
      group: 'preemptible_instances_scheduler',
      name: 'billing_remainder_weight_multiplier',
      type: 'float',
      default: 1.0,
    });
    const byDefault = plugin.create(pluginContext(plugin));
    expect(byDefault.multiplier).toBe(1.0);
    const configured = plugin.create(
      pluginContext(plugin, {
        'preemptible_instances_scheduler.billing_remainder_weight_multiplier': 0.5,
        'DEFAULT.preemptible_billing_period': 600,
      }),
    );
    const victim = makeInstance({ createdAt: 0 });
    expect(configured.multiplier).toBe(0.5);
    expect(configured.cost(victim, costContext({ now: 700_000, set: [victim] }))).toBe(100);
  });
});
