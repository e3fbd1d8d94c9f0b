import { describe, expect, it } from 'vitest';
import { NoValidHostError } from '@opie/core';
import {
  cloud,
  MINUTE,
  normal,
  NOW,
  preemptible,
  request,
  scheduler,
} from './__fixtures__/scheduler-cloud.js';
import { SchedulingFailure } from './filter-scheduler.js';

const uuids = (r: { preemptions: { victim: { uuid: string } }[] }) =>
  r.preemptions.map((p) => p.victim.uuid);

describe('issue 4 scenarios: cost-aware preemption', () => {
  it('a request needing two victims takes the two cheapest', async () => {
    const manager = cloud([
      {
        name: 'a',
        instances: [
          normal('n1', 1024),
          preemptible('p1', 1024, { createdAt: NOW - 50 * MINUTE }),
          preemptible('p2', 1024, { createdAt: NOW - 10 * MINUTE }),
          preemptible('p3', 1024, { createdAt: NOW - 5 * MINUTE }),
        ],
      },
    ]);
    const { s, compute, notifier } = scheduler(manager);
    const r = await s.selectDestinations(request(1800));
    expect(r.destinations.map((d) => d.host)).toEqual(['a']);
    // 4096 used + 1800 on 4096 MB: 1800 MB to free, two 1024 MB victims.
    expect(uuids(r)).toEqual(['p2', 'p3']);
    expect(compute.orders.map((o) => o.uuid)).toEqual(['p2', 'p3']);
    expect(r.preemptions[0]?.cost).toBeGreaterThan(0);
    expect(r.preemptions[0]?.terms?.map((t) => t.weigher)).toContain(
      'opie.scheduler.weights.victims.BillingRemainderVictimWeigher',
    );
    const events = notifier.notifications.filter((n) => n.eventType === 'scheduler.preemption');
    expect(events).toHaveLength(2);
    expect(events[0]?.payload).toMatchObject({
      victim: 'p2',
      host: 'a',
      nodename: 'a',
      request_id: 'req-1',
      grace_period: 0,
      action: 'delete',
      wasted: false,
    });
    expect((events[0]?.payload['cost_terms'] as unknown[]).length).toBe(5);
    expect(manager.hostStateFor('a', 'a', 'full')!.freeRamMb).toBe(4096 - 1024 - 1024 - 1800);
  });

  it('RAM freed but vCPU still short: the RAM-sized victim alone is not enough', async () => {
    const manager = cloud([
      {
        name: 'a',
        vcpus: 4,
        instances: [
          normal('n1', 1024),
          preemptible('pBig', 2048, { createdAt: NOW - 5 * MINUTE }),
          preemptible('pCpu', 512, { vcpus: 2, createdAt: NOW - 40 * MINUTE }),
        ],
      },
    ]);
    const { s } = scheduler(manager);
    const r = await s.selectDestinations(request(2048, {}, { vcpus: 2 }));
    // Need: 1536 MB and 2 vCPUs. pBig frees the RAM but only 1 vCPU.
    expect(uuids(r)).toEqual(['pBig', 'pCpu']);
    const verdict = r.explanation[0]?.hosts[0]?.preemption;
    expect(verdict?.need).toMatchObject({ memoryMb: 1536, vcpus: 2, diskGb: 0 });
    expect(verdict?.exact).toBe(true);
  });

  it('disk as the binding resource: the victim that frees the disk, not the cheapest', async () => {
    const manager = cloud([
      {
        name: 'a',
        memoryMb: 8192,
        instances: [
          normal('n1', 1024, { rootGb: 50 }),
          preemptible('p1', 512, { rootGb: 10, createdAt: NOW - 5 * MINUTE }),
          preemptible('p2', 512, { rootGb: 40, createdAt: NOW - 50 * MINUTE }),
        ],
      },
    ]);
    const { s } = scheduler(manager);
    const r = await s.selectDestinations(request(1024, {}, { rootGb: 40 }));
    expect(uuids(r)).toEqual(['p2']);
    expect(r.explanation[0]?.hosts[0]?.preemption?.need).toEqual({
      memoryMb: 0,
      diskGb: 40,
      vcpus: 0,
      instances: 0,
      ioOps: 0,
    });
    expect(r.preemptions[0]?.reason).toBe(
      'over limits after placing instance 1: disk_gb 140 > 100',
    );
  });

  it('no preemptible instance on any host: NoValidHost, nothing terminated', async () => {
    const manager = cloud([
      { name: 'a', instances: [normal('n1', 3584)] },
      { name: 'b', instances: [normal('n2', 3584)] },
    ]);
    const { s, compute } = scheduler(manager);
    const err = await s.selectDestinations(request(1024)).catch((e: unknown) => e);
    expect(NoValidHostError.isInstance(err)).toBe(true);
    expect((err as NoValidHostError).reason).toBe(
      'There are not enough hosts available. Instance 1 of 1: no host passed RamFilter.',
    );
    expect(compute.orders).toEqual([]);
  });

  it('a preemptible request never preempts (even with priority preemption on, without a priority)', async () => {
    const manager = cloud([{ name: 'a', instances: [preemptible('p1', 3584)] }]);
    for (const allowPriorityPreemption of [false, true]) {
      const { s, compute } = scheduler(manager, { allowPriorityPreemption });
      const err = await s
        .selectDestinations(request(1024, { preemptible: true }))
        .catch((e: unknown) => e);
      expect(SchedulingFailure.isInstance(err)).toBe(true);
      expect((err as SchedulingFailure).explanation[0]?.view).toBe('full');
      expect(compute.orders).toEqual([]);
    }
  });

  it('a multi-instance request failing on its third instance terminates nothing', async () => {
    const manager = cloud([
      { name: 'a', instances: [preemptible('p1', 2048)] },
      { name: 'b', instances: [preemptible('p2', 2048)] },
    ]);
    const { s, compute, notifier } = scheduler(manager);
    manager.getHostStates('full', NOW);
    const before = ['a', 'b'].map((h) => manager.hostStateFor(h, h, 'full')!.freeRamMb);
    const err = await s
      .selectDestinations(request(3000, { numInstances: 3 }))
      .catch((e: unknown) => e);
    expect(SchedulingFailure.isInstance(err)).toBe(true);
    const failure = err as SchedulingFailure;
    expect(failure.reason).toContain('Instance 3 of 3');
    // Instances 1 and 2 had planned their victims; none is terminated.
    expect(failure.explanation.map((e) => e.chosen?.host ?? null)).toEqual(['a', 'b', null]);
    expect(failure.wasted).toEqual([]);
    expect(compute.orders).toEqual([]);
    expect(notifier.notifications.map((n) => n.eventType)).toEqual([
      'scheduler.select_destinations.start',
    ]);
    expect(['a', 'b'].map((h) => manager.hostStateFor(h, h, 'full')!.freeRamMb)).toEqual(before);
    expect(manager.hostStateFor('a', 'a', 'full')!.instances.has('p1')).toBe(true);
    expect(manager.hostStateFor('b', 'b', 'full')!.instances.has('p2')).toBe(true);
  });
});

describe('issue 4 scenarios: priorities', () => {
  const hosts = () =>
    cloud([
      {
        name: 'a',
        instances: [
          normal('n1', 1024),
          preemptible('pLow', 1024, { priority: 1, createdAt: NOW - 55 * MINUTE }),
          preemptible('pEq', 1024, { priority: 5, createdAt: NOW - MINUTE }),
          preemptible('pHigh', 1024, { priority: 9, createdAt: NOW - MINUTE }),
        ],
      },
    ]);

  it('on: a preemptible request of priority 5 preempts only strictly lower priorities', async () => {
    const manager = hosts();
    const { s, compute } = scheduler(manager, { allowPriorityPreemption: true });
    const r = await s.selectDestinations(request(1024, { preemptible: true, priority: 5 }));
    expect(r.preemptible).toBe(true);
    expect(r.explanation[0]?.view).toBe('free');
    expect(uuids(r)).toEqual(['pLow']);
    expect(compute.orders.map((o) => o.uuid)).toEqual(['pLow']);
  });

  it('on: no lower-priority victim means the host is rejected, with why', async () => {
    const manager = hosts();
    const { s, compute } = scheduler(manager, { allowPriorityPreemption: true });
    const err = await s
      .selectDestinations(request(1024, { preemptible: true, priority: 1 }))
      .catch((e: unknown) => e);
    expect(SchedulingFailure.isInstance(err)).toBe(true);
    const failure = err as SchedulingFailure;
    expect(failure.reason).toBe(
      'There are not enough hosts available. Instance 1 of 1: 1 host passed the filters but none ' +
        'can free enough by preemption (a: cannot free enough: no preemptible instance of priority ' +
        'below 1 to terminate (memory_mb 1024 over)).',
    );
    expect(failure.explanation[0]?.hosts[0]?.preemption?.rejected).toContain(
      'no preemptible instance of priority below 1',
    );
    expect(compute.orders).toEqual([]);
  });

  it('off (the default): a preemptible request with a priority never preempts', async () => {
    const manager = hosts();
    const { s, compute } = scheduler(manager);
    await expect(
      s.selectDestinations(request(1024, { preemptible: true, priority: 9 })),
    ).rejects.toThrow(NoValidHostError);
    expect(compute.orders).toEqual([]);
  });

  it('a normal request may preempt any priority, and prefers the lowest', async () => {
    const manager = hosts();
    const { s } = scheduler(manager);
    const r = await s.selectDestinations(request(1024));
    expect(uuids(r)).toEqual(['pLow']);
  });
});
