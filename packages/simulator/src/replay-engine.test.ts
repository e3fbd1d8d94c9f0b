import { describe, expect, it } from 'vitest';
import { START, SPREAD_CONF, twoHosts, vm } from './__fixtures__/two-hosts.js';
import { loadPolicy } from './load-policy.js';
import { ReplayEngine } from './replay-engine.js';
import type { ReplayPolicy } from './replay-policy.js';

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
    const make = (sampleIntervalS: number, billingPeriodS: number) => () =>
      new ReplayEngine(policy, twoHosts(), { startMs: 0, sampleIntervalS, billingPeriodS });
    expect(make(0, 3600)).toThrow(/sampleIntervalS/);
    expect(make(60, -1)).toThrow(/billingPeriodS/);
  });
});
