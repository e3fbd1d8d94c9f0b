import { describe, expect, it } from 'vitest';
import type { HostState, Need } from '@opie/core';
import { makeHost } from '@opie/testing';
import { normalisedCost, PREEMPTION_COST_SCALE, selectHosts } from './host-selection.js';
import type { SelectHostsInput } from './host-selection.js';
import type { VictimPlan } from './victim-planner.js';

const NONE: Need = { memoryMb: 0, diskGb: 0, vcpus: 0, instances: 0, ioOps: 0 };
const SHORT: Need = { ...NONE, memoryMb: 100 };

/** Hosts h0.. with weights; `costs[i]`: undefined = fits, null = cannot free enough. */
function input(
  weights: number[],
  costs: (number | null | undefined)[],
  extra: Partial<SelectHostsInput> = {},
): SelectHostsInput & { plannedHosts: string[] } {
  const hosts = weights.map((_, i) => makeHost({ host: `h${i}` }));
  const index = new Map<HostState, number>(hosts.map((h, i) => [h, i]));
  const plannedHosts: string[] = [];
  return {
    plannedHosts,
    ordered: hosts.map((host, i) => ({ host, weight: weights[i] as number })),
    mode: 'prefer-no-preemption',
    subset: 1,
    maxPlannedHosts: 100,
    costMultiplier: 1,
    needOf: (h) => (costs[index.get(h) as number] === undefined ? NONE : SHORT),
    planOf: (h, need): VictimPlan | null => {
      plannedHosts.push(h.host);
      const cost = costs[index.get(h) as number];
      return cost === null || cost === undefined
        ? null
        : { victims: [], cost, terms: [], need, exact: true };
    },
    rejectionOf: (h) => `${h.host} cannot`,
    explain: true,
    ...extra,
  };
}

describe('selectHosts', () => {
  it('normalises cost as cost / (cost + 3600)', () => {
    expect(PREEMPTION_COST_SCALE).toBe(3600);
    expect(normalisedCost(0)).toBe(0);
    expect(normalisedCost(3600)).toBe(0.5);
  });

  it('prefer-no-preemption stops at the subset-th host needing none, planning nothing', () => {
    const i = input([3, 2, 1, 0], [10, undefined, undefined, undefined], { subset: 2 });
    const r = selectHosts(i);
    expect(r.options.map((o) => o.host.host)).toEqual(['h1', 'h2']);
    expect(i.plannedHosts).toEqual([]);
    expect(r.verdicts.size).toBe(3); // h0 (needs), h1, h2; h3 never looked at
  });

  it('prefer-no-preemption without such hosts: cheapest first, weight then rank break ties; rejected hosts are kept with why', () => {
    const r = selectHosts(input([5, 4, 3, 2], [50, null, 10, 10], { subset: 3 }));
    expect(r.options.map((o) => o.host.host)).toEqual(['h2', 'h3', 'h0']);
    expect(r.rejected).toBe(1);
    expect(r.firstRejection).toEqual({ host: 'h1', reason: 'h1 cannot' });
    expect([...r.verdicts.values()].find((v) => v.rejected !== undefined)).toEqual({
      needed: true,
      need: SHORT,
      rejected: 'h1 cannot',
    });
  });

  it('maxPlannedHosts counts successful plans only', () => {
    const i = input([5, 4, 3, 2], [null, 7, 1, 1], { maxPlannedHosts: 2 });
    const r = selectHosts(i);
    expect(i.plannedHosts).toEqual(['h0', 'h1', 'h2']);
    expect(r.planned).toBe(3);
    expect(r.options[0]?.host.host).toBe('h2');
  });

  it('weighted: stops once no later weight can beat the best score', () => {
    const i = input([10, 9.9, 1, 0.5], [3600, undefined, undefined, undefined], {
      mode: 'weighted',
      costMultiplier: 2,
    });
    const r = selectHosts(i);
    // h0: 10 - 2 x 0.5 = 9; h1: 9.9 (no preemption); h2 (1) cannot beat 9.9.
    expect(r.options.map((o) => [o.host.host, o.score])).toEqual([['h1', 9.9]]);
    expect(r.verdicts.size).toBe(2);
  });

  it('weighted: past maxPlannedHosts, hosts needing preemption are passed over', () => {
    const i = input([10, 9, 1], [36000, 1, undefined], {
      mode: 'weighted',
      maxPlannedHosts: 1,
      costMultiplier: 100,
    });
    const r = selectHosts(i);
    expect(i.plannedHosts).toEqual(['h0']);
    expect(r.options[0]?.host.host).toBe('h2');
  });

  it('weight-only: the first hosts that fit or can be freed, in weighed order', () => {
    const r = selectHosts(
      input([3, 2, 1], [null, 99, undefined], { mode: 'weight-only', subset: 2 }),
    );
    expect(r.options.map((o) => o.host.host)).toEqual(['h1', 'h2']);
    expect(r.rejected).toBe(1);
  });

  it('keeps no verdicts unless explaining, but still the first rejection', () => {
    const r = selectHosts(input([1], [null], { explain: false }));
    expect(r.options).toEqual([]);
    expect(r.verdicts.size).toBe(0);
    expect(r.firstRejection?.host).toBe('h0');
  });
});
