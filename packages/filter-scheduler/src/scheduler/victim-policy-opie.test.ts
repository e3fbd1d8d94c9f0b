import { describe, expect, it } from 'vitest';
import {
  cloud,
  MINUTE,
  normal,
  NOW,
  preemptible,
  request,
  resourceFilters,
  scheduler,
} from './__fixtures__/scheduler-cloud.js';
import { createNumInstancesFilter } from '../filters/resource-filters.js';
import { SchedulingFailure } from './filter-scheduler.js';

describe("victim_policy = opie (opie's choice, for comparison)", () => {
  const twoHosts = () =>
    cloud([
      {
        name: 'a',
        memoryMb: 8192,
        instances: [normal('n1', 4096), preemptible('pS1', 512), preemptible('pS2', 512)],
      },
      { name: 'b', instances: [preemptible('p3', 2048)] },
    ]);

  it('takes the last-listed preemptible; when it frees too little the victim is lost and the next host is tried', async () => {
    const manager = twoHosts();
    const { s, compute } = scheduler(manager, { victimPolicy: 'opie' });
    const r = await s.selectDestinations(request(4096));
    // a weighs best (3072 MB free), needs 1024 MB; pS2 frees 512: wasted. b then fits with p3.
    expect(r.destinations.map((d) => d.host)).toEqual(['b']);
    expect(r.preemptions.map((p) => [p.victim.uuid, p.host, p.wasted === true])).toEqual([
      ['pS2', 'a', true],
      ['p3', 'b', false],
    ]);
    expect(r.preemptions[0]?.reason).toBe(
      'over limits after placing instance 1: memory_mb 9216 > 8192; attempt 1 wasted it (still memory_mb 8704 > 8192)',
    );
    expect(compute.orders.map((o) => o.uuid)).toEqual(['pS2', 'p3']);
    expect(r.explanation[0]?.preemption).toEqual({
      policy: 'opie',
      hostSelection: 'weight-only',
      plannedHosts: 0,
      attempts: [
        {
          attempt: 1,
          host: 'a',
          nodename: 'a',
          victim: 'pS2',
          failure: 'still over limits after terminating pS2: memory_mb 8704 > 8192',
        },
      ],
    });
    // The failed build's claim on a is gone.
    expect(manager.hostStateFor('a', 'a', 'full')!.freeRamMb).toBe(8192 - 4096 - 512);
  });

  it('never frees the instance-count limit (opie checked RAM, disk and vCPU only)', async () => {
    // max_instances_per_host = 2; a holds n1 and p1 (plenty of RAM, vCPU and disk). The free
    // view counts p1 as gone, so a passes; placing leaves 3 instances > 2 and nothing else over.
    const oneHost = () =>
      cloud([
        { name: 'a', memoryMb: 8192, instances: [normal('n1', 1024), preemptible('p1', 1024)] },
      ]);
    const filters = [...resourceFilters(), createNumInstancesFilter({ maxInstancesPerHost: 2 })];
    const opie = await scheduler(oneHost(), { victimPolicy: 'opie', filters }).s.selectDestinations(
      request(1024),
    );
    expect(opie.destinations.map((d) => d.host)).toEqual(['a']);
    expect(opie.preemptions).toEqual([]);
    // The limit stays in the destination's limits (what the filters set).
    expect(opie.destinations[0]?.limits.numInstances).toBe(2);
    // The cost policy frees it: p1 goes.
    const cost = await scheduler(oneHost(), { filters }).s.selectDestinations(request(1024));
    expect(cost.preemptions.map((p) => p.victim.uuid)).toEqual(['p1']);
    expect(cost.preemptions[0]?.reason).toBe(
      'over limits after placing instance 1: instances 3 > 2',
    );
  });

  it('the cost policy on the same cloud wastes nothing', async () => {
    const { s } = scheduler(twoHosts());
    const r = await s.selectDestinations(request(4096));
    expect(r.preemptions.every((p) => p.wasted === undefined)).toBe(true);
    expect(r.destinations).toHaveLength(1);
  });

  const oneHost = () =>
    cloud([
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

  it('after max_attempts: NoValidHost (MaxRetriesExceeded), and the wasted victims are still terminated', async () => {
    const manager = oneHost();
    const { s, compute } = scheduler(manager, { victimPolicy: 'opie', maxAttempts: 1 });
    const err = await s
      .selectDestinations(request(2048, {}, { vcpus: 2 }))
      .catch((e: unknown) => e);
    expect(SchedulingFailure.isInstance(err)).toBe(true);
    const failure = err as SchedulingFailure;
    expect(failure.reason).toBe(
      'Exceeded maximum number of retries. Exceeded max scheduling attempts 1 for instance 1 of 1. ' +
        'Last exception: a (a) still over limits: memory_mb 5120 > 4096.',
    );
    expect(failure.wasted.map((p) => p.victim.uuid)).toEqual(['pCpu']);
    expect(compute.orders.map((o) => o.uuid)).toEqual(['pCpu']);
    const full = manager.hostStateFor('a', 'a', 'full')!;
    expect(full.instances.has('pCpu')).toBe(false);
    // No claim stays: 4096 - 1024 - 2048 used by n1 and pBig.
    expect(full.freeRamMb).toBe(1024);
  });

  it('with more attempts and no other host, the retry finds no host', () => {
    const { s } = scheduler(oneHost(), { victimPolicy: 'opie' });
    let err: unknown;
    try {
      s.plan(request(2048, {}, { vcpus: 2 }));
    } catch (e) {
      err = e;
    }
    const failure = err as SchedulingFailure;
    expect(failure.reason).toContain('Instance 1 of 1: no host passed');
    expect(failure.wasted.map((p) => p.victim.uuid)).toEqual(['pCpu']);
    expect(failure.explanation.at(-1)?.preemption?.attempts).toHaveLength(1);
  });

  it('a host with no eligible preemptible fails at once, as opie', () => {
    const manager = cloud([
      { name: 'a', instances: [normal('n1', 3072), preemptible('pEq', 1024, { priority: 5 })] },
    ]);
    const { s } = scheduler(manager, { victimPolicy: 'opie', allowPriorityPreemption: true });
    expect(() => s.plan(request(1024, { preemptible: true, priority: 5 }))).toThrow(
      'Cannot terminate enough preemptible instances on a (a).',
    );
  });

  it('places without victims when the host has room', async () => {
    const { s, compute } = scheduler(cloud([{ name: 'a' }]), { victimPolicy: 'opie' });
    const r = await s.selectDestinations(request(1024));
    expect(r.destinations.map((d) => d.host)).toEqual(['a']);
    expect(compute.orders).toEqual([]);
  });
});
