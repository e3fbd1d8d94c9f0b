import { describe, expect, it } from 'vitest';
import { START, SPREAD_CONF, twoHosts, vm } from './__fixtures__/two-hosts.js';
import { loadPolicy } from './load-policy.js';
import { ReplayEngine } from './replay-engine.js';
import type { ReplayEvent } from './replay-event.js';
import type { ReplayPolicy } from './replay-policy.js';
import type { CloudRecords } from './simulated-cloud.js';
import { makeComputeNode, makeService } from '@opie/testing';

const spread = (): Promise<ReplayPolicy> =>
  loadPolicy({ files: [{ path: 'spread.conf', text: SPREAD_CONF }], name: 'spread' });

/**
 * Six VMs on two 4096 MB hosts (RAMWeigher spreads; ties go to h1):
 *   t=0    vm1 normal 2048 MB, lives 1000 s  -> h1 (tie)          h1 2048 free, h2 4096
 *   t=10   vm2 preemptible 2048, lives 5000  -> h2 (more free)    h1 2048, h2 2048
 *   t=20   vm3 preemptible 2048, lives 5000  -> h1 (tie)          h1 0, h2 2048
 *   t=100  vm4 normal 4096, lives 1000: counting preemptible as free, h1 has
 *          2048 (fails RamFilter) and h2 4096 (passes) -> h2, preempting vm2,
 *          the only preemptible there, which had run 90 s          h1 0, h2 0
 *   t=1000 vm1 leaves first (0 + 1000 <= 1000)                     h1 2048 free
 *          vm5 normal 1024, lives 100 -> h1, no preemption         h1 1024, h2 0
 *          vm6 preemptible 4096 -> no host has 4096 MB really free: NoValidHost
 */
const SCENARIO = [
  vm('vm1', 0, 1000, 2048, false),
  vm('vm2', 10, 5000, 2048, true),
  vm('vm3', 20, 5000, 2048, true),
  vm('vm4', 100, 1000, 4096, false),
  vm('vm5', 1000, 100, 1024, false),
  vm('vm6', 1000, 100, 4096, true),
];

async function replay(drain = false, sampleIntervalS = 250) {
  const policy = await spread();
  const engine = new ReplayEngine(policy, twoHosts(), {
    startMs: START,
    sampleIntervalS,
    billingPeriodS: 3600,
  });
  for (const row of SCENARIO) engine.arrive(row);
  return { engine, policy, result: engine.finish(drain) };
}

describe('ReplayEngine on a hand-checked trace', () => {
  it('places, preempts and rejects exactly as computed by hand', async () => {
    const { result, engine } = await replay();
    expect(result.requests).toEqual({ normal: 3, preemptible: 3 });
    expect(result.placed).toEqual({ normal: 3, preemptible: 2 });
    expect(result.rejected).toEqual({ normal: 0, preemptible: 1 });
    expect(result.departures).toBe(1);
    expect(result.preemptions).toEqual({
      count: 1,
      victims: 1,
      victimsOfFailedRequests: 0,
      victimsPerPreemption: 1,
      maxVictims: 1,
      histogram: { '1': 1 },
    });
    // vm2 ran from t=10 to t=100: 90 s of work, 90 s into its paid hour.
    expect(result.lostWork).toEqual({ instanceSeconds: 90, paidPeriodSeconds: 90 });
    expect(result.placementsOverLimits).toBe(0);
    expect(engine.events).toBe(7); // 6 arrivals + vm1's departure
    expect(engine.liveInstances).toBe(3); // vm3, vm4, vm5
  });

  it('leaves the cloud as computed: records rewritten with updatedAt = now', async () => {
    const { engine } = await replay();
    const h1 = engine.cloud.record('h1', 'h1');
    const h2 = engine.cloud.record('h2', 'h2');
    // h1: vm3 (2048) + vm5 (1024); h2: vm4 (4096).
    expect(h1).toMatchObject({ freeRamMb: 1024, vcpusUsed: 2, updatedAt: START + 1_000_000 });
    expect(h1?.stats).toMatchObject({ num_instances: '2', num_vm_active: '2' });
    expect(h2).toMatchObject({ freeRamMb: 0, vcpusUsed: 1, updatedAt: START + 100_000 });
    const onH2 = [...engine.cloud.source.listInstances('h2', 'h2')].map((i) => i.uuid);
    expect(onH2).toEqual(['vm4']);
    expect(engine.policy.clock.now()).toBe(START + 1_000_000);
  });

  it('measures utilisation over time and on average (time-weighted), by hand', async () => {
    const { result } = await replay();
    // RAM in use: 2048 on [0,10), 4096 on [10,20), 6144 on [20,100), 8192 on [100,1000], of 8192.
    const ramAverage = (2048 * 10 + 4096 * 10 + 6144 * 80 + 8192 * 900) / 1000 / 8192;
    // vCPUs in use: 1, 2, 3, then 3 (vm4 in, vm2 out), of 16 (2 x 8 x ratio 1.0).
    const vcpuAverage = (1 * 10 + 2 * 10 + 3 * 80 + 3 * 900) / 1000 / 16;
    expect(result.utilisation.ram.average).toBeCloseTo(ramAverage, 6);
    expect(result.utilisation.vcpu.average).toBeCloseTo(vcpuAverage, 6);
    expect(result.utilisation.ram.peak).toBe(1);
    expect(result.utilisation.vcpu.peak).toBeCloseTo(3 / 16, 6);
    // Samples every 250 s show the state after the events at that time.
    expect(result.series.t).toEqual([0, 250, 500, 750, 1000]);
    expect(result.series.ram).toEqual([0.25, 1, 1, 1, (8192 - 1024) / 8192]);
    expect(result.series.victims).toEqual([1, 0, 0, 0, 0]);
    expect(result.series.preemptions).toEqual([1, 0, 0, 0, 0]);
  });

  it('replays the departures after the last arrival with drain', async () => {
    const { result, engine } = await replay(true, 1000);
    // vm4 and vm5 leave at 1100, vm3 at 5020 (vm2 was preempted: it never departs).
    expect(result.departures).toBe(4);
    expect(engine.liveInstances).toBe(0);
    expect(engine.spanS).toBe(5020);
    expect(result.series.t).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    // From 1100 to 5020 only vm3 (2048 MB) runs.
    expect(result.series.ram.slice(2)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('counts scheduler time per decision', async () => {
    const { result } = await replay();
    expect(result.timing.count).toBe(6);
    expect(result.timing.meanUs).toBeGreaterThan(0);
    expect(result.timing.maxUs).toBeGreaterThanOrEqual(result.timing.p50Us);
  });

  it('gives a repeated live id a fresh uuid and keeps an instance that never leaves', async () => {
    const policy = await spread();
    const engine = new ReplayEngine(policy, twoHosts(), {
      startMs: START,
      sampleIntervalS: 3600,
      billingPeriodS: 3600,
    });
    engine.arrive(vm('a', 0, Infinity, 1024, false));
    engine.arrive(vm('a', 5, Infinity, 1024, false));
    const result = engine.finish(true);
    expect(result.placed.normal).toBe(2);
    expect(result.departures).toBe(0);
    const uuids = [
      ...engine.cloud.source.listInstances('h1', 'h1'),
      ...engine.cloud.source.listInstances('h2', 'h2'),
    ].map((i) => i.uuid);
    expect(uuids.sort()).toEqual(['a', 'a#0']);
    // Not silently: a warning per duplicate, counted.
    expect(result.duplicateLiveIds).toBe(1);
    expect(result.warnings).toEqual([
      'id "a" arrives while an instance of that id is still live; replayed as "a#0"',
    ]);
  });

  it('keeps compute services up through virtual time (heartbeats)', async () => {
    const policy = await spread();
    const engine = new ReplayEngine(policy, twoHosts(), {
      startMs: START,
      sampleIntervalS: 3600,
      billingPeriodS: 3600,
    });
    // Two days later ComputeFilter would reject both hosts without heartbeats.
    engine.arrive(vm('late', 2 * 86400, 10, 1024, false));
    expect(engine.finish().placed.normal).toBe(1);
  });

  it('counts lost work and paid time of a victim from the starting cloud', async () => {
    const policy = await spread();
    const cloud = twoHosts();
    // h1 holds a preemptible 4096 MB instance created 2 h 10 min before START.
    const created = START - 7800_000;
    cloud.instances = [
      {
        uuid: 'old',
        host: 'h1',
        node: 'h1',
        memoryMb: 4096,
        vcpus: 1,
        rootGb: 0,
        ephemeralGb: 0,
        systemMetadata: { preemptible: 'True' },
        createdAt: created,
      },
    ];
    cloud.nodes = cloud.nodes.map((n) =>
      n.host === 'h1' ? { ...n, freeRamMb: 0, vcpusUsed: 1 } : n,
    );
    const engine = new ReplayEngine(policy, cloud, {
      startMs: START,
      sampleIntervalS: 3600,
      billingPeriodS: 3600,
    });
    engine.arrive(vm('big', 0, 1000, 4096, false)); // h2 (all free)
    engine.arrive(vm('big2', 60, 60, 4096, false)); // h1 only, after preempting `old`
    const result = engine.finish();
    expect(result.preemptions.victims).toBe(1);
    // `old` ran 7800 + 60 s; 7860 mod 3600 = 660 s into its third paid hour.
    expect(result.lostWork).toEqual({ instanceSeconds: 7860, paidPeriodSeconds: 660 });
  });

  it('rejects bad settings', async () => {
    const policy = await spread();
    const make = (sampleIntervalS: number, billingPeriodS: number, resubmit?: number) => () =>
      new ReplayEngine(policy, twoHosts(), {
        startMs: 0,
        sampleIntervalS,
        billingPeriodS,
        ...(resubmit !== undefined ? { resubmitVictimsS: resubmit } : {}),
      });
    expect(make(0, 3600)).toThrow(/sampleIntervalS/);
    expect(make(60, -1)).toThrow(/billingPeriodS/);
    expect(make(60, 3600, -5)).toThrow(/resubmitVictimsS must be a number of seconds >= 0, got -5/);
    expect(make(60, 3600, Number.NaN)).toThrow(/resubmitVictimsS/);
  });

  it('logs every event in order: arrive, preempts, place/reject; departures first', async () => {
    const policy = await spread();
    const events: ReplayEvent[] = [];
    const engine = new ReplayEngine(
      policy,
      twoHosts(),
      { startMs: START, sampleIntervalS: 250, billingPeriodS: 3600 },
      { onEvent: (e) => events.push(e) },
    );
    for (const row of SCENARIO) engine.arrive(row);
    engine.finish();
    // The scenario above, step by step (hosts as computed there).
    const t = (s: number): number => START + s * 1000;
    expect(events).toEqual([
      { timeMs: t(0), type: 'arrive', id: 'vm1', preemptible: false },
      { timeMs: t(0), type: 'place', id: 'vm1', preemptible: false, host: 'h1' },
      { timeMs: t(10), type: 'arrive', id: 'vm2', preemptible: true },
      { timeMs: t(10), type: 'place', id: 'vm2', preemptible: true, host: 'h2' },
      { timeMs: t(20), type: 'arrive', id: 'vm3', preemptible: true },
      { timeMs: t(20), type: 'place', id: 'vm3', preemptible: true, host: 'h1' },
      { timeMs: t(100), type: 'arrive', id: 'vm4', preemptible: false },
      {
        timeMs: t(100),
        type: 'preempt',
        id: 'vm2',
        preemptible: true,
        host: 'h2',
        by: 'vm4',
        failedRequest: false,
      },
      { timeMs: t(100), type: 'place', id: 'vm4', preemptible: false, host: 'h2' },
      { timeMs: t(1000), type: 'depart', id: 'vm1', preemptible: false, host: 'h1' },
      { timeMs: t(1000), type: 'arrive', id: 'vm5', preemptible: false },
      { timeMs: t(1000), type: 'place', id: 'vm5', preemptible: false, host: 'h1' },
      { timeMs: t(1000), type: 'arrive', id: 'vm6', preemptible: true },
      {
        timeMs: t(1000),
        type: 'reject',
        id: 'vm6',
        preemptible: true,
        reason: expect.stringMatching(/\S/) as unknown as string,
      },
    ]);
  });
});

/**
 * The opie-compat reproduction (issue 10, item 1): one 8192 MB host, no
 * reserved memory; RamFilter, CoreFilter, ComputeFilter; victim_policy = opie.
 *   t=0    A  normal 4096        -> host (4096 used)
 *   t=10   P1 preemptible 2048   -> host (6144)
 *   t=20   P2 preemptible 2048   -> host (8192, full)
 *   t=100  N  normal 4096: the preemptible-as-free view has 8192 - 4096 = 4096
 *          free, so the host passes; placed, it is 4096 over. opie takes the
 *          last-listed preemptible, P2 (ran 100 - 20 = 80 s): still 2048 over,
 *          so the build fails there, P2 is lost anyway, and no other host is
 *          left: N is rejected with 1 victim (a victim of a failed request).
 *   t=200  P3 preemptible 2048: A + P1 = 6144 used, 2048 really free -> placed.
 * Before the fix P2 stayed on the simulated host, so P3 found no room.
 */
const OPIE_CONF = `
[DEFAULT]
ram_allocation_ratio = 1.0
cpu_allocation_ratio = 1.0

[scheduler]
driver = opie.scheduler.filter_scheduler.FilterScheduler
host_manager = opie.scheduler.host_manager.HostManager

[filter_scheduler]
enabled_filters = RamFilter, CoreFilter, ComputeFilter

[preemptible_instances_scheduler]
victim_policy = opie
`;

function oneHost(): CloudRecords {
  return {
    nodes: [
      makeComputeNode({
        host: 'h',
        hypervisorHostname: 'h',
        memoryMb: 8192,
        freeRamMb: 8192,
        vcpus: 16,
        vcpusUsed: 0,
        localGb: 100,
        localGbUsed: 0,
        freeDiskGb: 100,
        stats: { num_instances: '0', io_workload: '0' },
        updatedAt: START,
      }),
    ],
    services: [makeService({ host: 'h', binary: 'nova-compute', lastSeenUp: START })],
    aggregates: [],
    instances: [],
  };
}

const REPRODUCTION = [
  vm('A', 0, Infinity, 4096, false),
  vm('P1', 10, Infinity, 2048, true),
  vm('P2', 20, Infinity, 2048, true),
  vm('N', 100, Infinity, 4096, false),
  vm('P3', 200, Infinity, 2048, true),
];

describe('opie-compat: victims of failed requests', () => {
  it('terminates them, counts them as victims and lost work, and places P3', async () => {
    const policy = await loadPolicy({ files: [{ path: 'opie.conf', text: OPIE_CONF }] });
    const events: ReplayEvent[] = [];
    const engine = new ReplayEngine(
      policy,
      oneHost(),
      { startMs: START, sampleIntervalS: 3600, billingPeriodS: 3600 },
      { onEvent: (e) => events.push(e) },
    );
    for (const row of REPRODUCTION) engine.arrive(row);
    const result = engine.finish();
    expect(result.rejected).toEqual({ normal: 1, preemptible: 0 });
    expect(result.placed).toEqual({ normal: 1, preemptible: 3 });
    expect(result.preemptions).toMatchObject({ victims: 1, victimsOfFailedRequests: 1, count: 1 });
    expect(result.lostWork.instanceSeconds).toBe(80);
    // Every other figure, by hand: 80 s mod 3600 = 80 s into P2's paid hour; one preemption
    // (N's failed request) with 1 victim; nothing departs (no lifetimes).
    expect(result.lostWork.paidPeriodSeconds).toBe(80);
    expect(result.preemptions).toEqual({
      count: 1,
      victims: 1,
      victimsOfFailedRequests: 1,
      victimsPerPreemption: 1,
      maxVictims: 1,
      histogram: { '1': 1 },
    });
    expect(result.departures).toBe(0);
    expect(result.placementsOverLimits).toBe(0);
    // RAM in use of 8192: 4096 on [0,10), 6144 on [10,20), 8192 on [20,100) (N never joins,
    // P2 leaves at 100), 6144 on [100,200), 8192 at 200 (P3 joins); span 0..200 s.
    const ram = (4096 * 10 + 6144 * 10 + 8192 * 80 + 6144 * 100) / 200 / 8192;
    expect(result.utilisation.ram.average).toBeCloseTo(ram, 6);
    expect(result.utilisation.ram.peak).toBe(1);
    // vCPUs in use of 16 (ratio 1.0): 1, 2, 3, then 2 (P2 gone), then 3.
    expect(result.utilisation.vcpu.average).toBeCloseTo(
      (1 * 10 + 2 * 10 + 3 * 80 + 2 * 100) / 200 / 16,
      6,
    );
    expect(result.series.victims).toEqual([1]);
    const preempt = events.find((e) => e.type === 'preempt');
    expect(preempt).toEqual({
      timeMs: START + 100_000,
      type: 'preempt',
      id: 'P2',
      preemptible: true,
      host: 'h',
      by: 'N',
      failedRequest: true,
    });
    const n = events.filter((e) => e.id === 'N').map((e) => e.type);
    expect(n).toEqual(['arrive', 'reject']);
    expect([...engine.cloud.source.listInstances('h', 'h')].map((i) => i.uuid)).toEqual([
      'A',
      'P1',
      'P3',
    ]);
  });
});

describe('re-submitted victims', () => {
  /**
   * The SCENARIO on two hosts, vm2 (preempted at t=100, lifetime 5000 s)
   * re-submitted 50 s later:
   *   t=150: h1 holds vm1 + vm3 (4096, full), h2 holds vm4 (4096, full) -> rejected;
   *   t=200, 250, ... rejected again every 50 s until vm1 leaves at t=1000;
   *   t=1000: vm1's departure comes first (equal times), then the retry: h1
   *   has 2048 free -> placed on h1 (drained: no arrival comes after it).
   * Attempts: t=150, 200, ..., 1000 = (1000 - 150) / 50 + 1 = 18, the last
   * placed; wait 1000 - 100 = 900 s.
   */
  it('tries again after the delay until placed, and reports the wait', async () => {
    const policy = await spread();
    const events: ReplayEvent[] = [];
    const engine = new ReplayEngine(
      policy,
      twoHosts(),
      { startMs: START, sampleIntervalS: 3600, billingPeriodS: 3600, resubmitVictimsS: 50 },
      { onEvent: (e) => events.push(e) },
    );
    for (const row of SCENARIO.slice(0, 4)) engine.arrive(row);
    const result = engine.finish(true);
    expect(result.resubmissions).toEqual({
      delayS: 50,
      victims: 1,
      attempts: 18,
      ran: 1,
      rejectedAttempts: 17,
      waitingAtEnd: 0,
      meanWaitS: 900,
      maxWaitS: 900,
    });
    // The figures of the trace's own requests are unchanged by re-submissions.
    expect(result.requests).toEqual({ normal: 2, preemptible: 2 });
    const again = events.filter((e) => e.resubmission === true);
    expect(again.filter((e) => e.type === 'arrive')).toHaveLength(18);
    expect(again.at(-1)).toMatchObject({ type: 'place', id: 'vm2', host: 'h1' });
  });

  it('stops trying after the last arrival once nothing is left to depart', async () => {
    const policy = await spread();
    const engine = new ReplayEngine(policy, twoHosts(), {
      startMs: START,
      sampleIntervalS: 3600,
      billingPeriodS: 3600,
      resubmitVictimsS: 10,
    });
    // Both hosts filled by normal VMs that never leave, after a spot VM on h1 is preempted:
    //   t=0 s1 spot 4096 -> h1; t=1 n1 4096 -> h2; t=2 n2 4096 -> h1, preempting s1;
    //   t=12 s1 comes back: no room, and nothing will ever leave -> not tried again.
    engine.arrive(vm('s1', 0, 100, 4096, true));
    engine.arrive(vm('n1', 1, Infinity, 4096, false));
    engine.arrive(vm('n2', 2, Infinity, 4096, false));
    const result = engine.finish(true);
    expect(result.resubmissions).toMatchObject({
      victims: 1,
      attempts: 1,
      ran: 0,
      rejectedAttempts: 1,
      waitingAtEnd: 1,
      meanWaitS: 0,
    });
  });

  it('is off by default', async () => {
    const { result } = await replay();
    expect(result.resubmissions).toBeUndefined();
  });
});
