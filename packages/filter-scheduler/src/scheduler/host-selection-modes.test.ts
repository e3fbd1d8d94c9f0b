import { describe, expect, it } from 'vitest';
import {
  createBillingRemainderVictimWeigher,
  createRamWeigher,
  createVictimCountWeigher,
} from '@opie/weighers';
import type { HostSelection } from '../preemption/host-selection.js';
import type { HostSpec } from './__fixtures__/scheduler-cloud.js';
import {
  cloud,
  MINUTE,
  normal,
  NOW,
  preemptible,
  request,
  scheduler,
} from './__fixtures__/scheduler-cloud.js';

// RAMWeigher x -1 stacks: the fuller host weighs more (free RAM / 3072, minval 0).
// With a 2048 MB request:
// h1 (1024 MB free) weighs -1/3 and needs 1024 MB: victim p1, 50 min into its hour (cost 3300);
// h3 (1536 free) weighs -0.5 and needs 512 MB: victim p3, 1 min in (cost 360);
// h2 (3072 free) weighs -1 and needs no preemption.
const h1: HostSpec = {
  name: 'h1',
  instances: [normal('n1', 2048), preemptible('p1', 1024, { createdAt: NOW - 50 * MINUTE })],
};
const h2: HostSpec = { name: 'h2', instances: [normal('n2', 1024)] };
const h3: HostSpec = {
  name: 'h3',
  instances: [normal('n3', 1536), preemptible('p3', 1024, { createdAt: NOW - MINUTE })],
};

function choose(hosts: HostSpec[], hostSelection: HostSelection, multiplier = 1) {
  const { s } = scheduler(cloud(hosts), {
    weighers: [createRamWeigher({ multiplier: -1 })],
    victimWeighers: [
      createVictimCountWeigher({ multiplier: 300 }),
      createBillingRemainderVictimWeigher({ multiplier: 1 }),
    ],
    hostSelection,
    preemptionCostMultiplier: multiplier,
  });
  const r = s.plan(request(2048)).result;
  return {
    host: r.destinations[0]?.host,
    victims: r.preemptions.map((p) => p.victim.uuid),
    inst: r.explanation[0]!,
  };
}

describe('host_selection', () => {
  it('prefer-no-preemption (default): the host needing none wins over heavier ones', () => {
    const { host, victims, inst } = choose([h1, h2, h3], 'prefer-no-preemption');
    expect(host).toBe('h2');
    expect(victims).toEqual([]);
    expect(inst.preemption).toEqual({
      policy: 'cost',
      hostSelection: 'prefer-no-preemption',
      plannedHosts: 0,
    });
    const h1Verdict = inst.hosts.find((h) => h.host === 'h1')?.preemption;
    expect(h1Verdict?.needed).toBe(true);
    expect(h1Verdict?.need?.memoryMb).toBe(1024);
    expect(h1Verdict?.victims).toBeUndefined();
  });

  it('prefer-no-preemption without such a host: the cheapest preemption, not the heaviest host', () => {
    const { host, victims, inst } = choose([h1, h3], 'prefer-no-preemption');
    expect(host).toBe('h3');
    expect(victims).toEqual(['p3']);
    expect(inst.preemption?.plannedHosts).toBe(2);
    expect(inst.hosts.find((h) => h.host === 'h1')?.preemption?.cost).toBe(3300);
    expect(inst.hosts.find((h) => h.host === 'h3')?.preemption).toMatchObject({
      needed: true,
      cost: 360,
      exact: true,
      victims: [{ uuid: 'p3', cost: 360 }],
    });
  });

  it('weight-only (opie): the heaviest host, whatever its victims cost', () => {
    const { host, victims } = choose([h1, h2, h3], 'weight-only');
    expect(host).toBe('h1');
    expect(victims).toEqual(['p1']);
  });

  it('weighted: weight minus multiplier x cost / (cost + 3600), stopping the walk early', () => {
    // h1: -1/3 - 3300/6900 = -0.812; h3: -0.5 - 360/3960 = -0.591; h2: -1.
    const one = choose([h1, h2, h3], 'weighted', 1);
    expect(one.host).toBe('h3');
    expect(one.inst.hosts.find((h) => h.host === 'h3')?.preemption?.score).toBeCloseTo(
      -0.5 - 360 / 3960,
      9,
    );
    // h2 (weight -1) cannot beat -0.591: never looked at.
    expect(one.inst.hosts.find((h) => h.host === 'h2')?.preemption).toBeUndefined();
    expect(one.inst.preemption?.plannedHosts).toBe(2);
    expect(choose([h1, h2, h3], 'weighted', 0).host).toBe('h1');
    expect(choose([h1, h2, h3], 'weighted', 10).host).toBe('h2');
  });

  it('max_planned_hosts bounds the victim plans per instance', () => {
    const hosts: HostSpec[] = [0, 1, 2, 3, 4].map((i) => ({
      name: `x${i}`,
      instances: [normal(`xn${i}`, 2048), preemptible(`xp${i}`, 2048)],
    }));
    const { s } = scheduler(cloud(hosts), { maxPlannedHosts: 2 });
    const r = s.plan(request(2048)).result;
    expect(r.explanation[0]?.preemption?.plannedHosts).toBe(2);
    expect(r.explanation[0]?.hosts.filter((h) => h.preemption?.victims !== undefined)).toHaveLength(
      2,
    );
  });

  it('without explaining, the best hosts needing no preemption are chosen without planning', () => {
    const { s } = scheduler(cloud([h1, h2, h3]), {
      explain: false,
      weighers: [createRamWeigher({ multiplier: 1 })],
    });
    const r = s.plan(request(2048)).result;
    expect(r.destinations[0]?.host).toBe('h2');
    expect(r.explanation).toEqual([]);
  });

  it('without explaining, a heavy host needing preemption sends the choice through selection', () => {
    const { s } = scheduler(cloud([h1, h2, h3]), {
      explain: false,
      weighers: [createRamWeigher({ multiplier: -1 })],
    });
    expect(s.plan(request(2048)).result.destinations[0]?.host).toBe('h2');
  });
});
