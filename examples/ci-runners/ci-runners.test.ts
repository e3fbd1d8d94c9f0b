import { describe, expect, it } from 'vitest';
import type { Job } from './ci-runners.js';
import {
  createRunnerScheduler,
  demoFleet,
  demoJobs,
  jobRequest,
  main,
  placeJobs,
  rankRunners,
} from './ci-runners.js';

const NOW = Date.UTC(2026, 2, 2, 9, 0, 0);

function demo(): ReturnType<typeof createRunnerScheduler> {
  return createRunnerScheduler({ ...demoFleet(NOW), now: () => NOW });
}

function job(id: string, extra: Partial<Job> = {}): Job {
  return { id, vcpus: 1, memoryMb: 1024, diskGb: 10, labels: ['linux'], ...extra };
}

describe('ci-runners example', () => {
  it('places the demo queue: a normal job preempts a spot job, a spot job only takes free room', async () => {
    const fleet = demo();
    const placements = await placeJobs(fleet, demoJobs);
    expect(placements).toEqual([
      // runner-1 and runner-2 both fit once their spot job is counted as free;
      // runner-2's spot job is only 10 s into its billing minute (runner-1's 40 s).
      { job: 'e2e', runner: 'runner-2', preempted: ['spot-nightly-2'] },
      // Spot jobs see real usage: runner-1 and runner-2 are full.
      { job: 'spot-docs', runner: 'runner-3', preempted: [] },
      // Only runner-3 has the gpu label; 8 + 2 + 8 vCPUs > 16, so spot-docs goes.
      { job: 'gpu-test', runner: 'runner-3', preempted: ['spot-docs'] },
      {
        job: 'arm-build',
        runner: null,
        preempted: [],
        reason:
          'No valid host was found. There are not enough hosts available. Instance 1 of 1: no host passed AggregateInstanceExtraSpecsFilter.',
      },
    ]);
    expect(fleet.cancelled.map((o) => [o.uuid, o.host, o.action, o.requestId])).toEqual([
      ['spot-nightly-2', 'runner-2', 'delete', 'e2e'],
      ['spot-docs', 'runner-3', 'delete', 'gpu-test'],
    ]);
  });

  it('keeps the fleet consistent: placed jobs run, cancelled spot jobs are gone', async () => {
    const fleet = demo();
    await placeJobs(fleet, demoJobs);
    const jobsOn = (runner: string): string[] =>
      [...fleet.source.listInstances(runner, runner)].map((i) => i.uuid);
    expect(jobsOn('runner-1')).toEqual(['build-1', 'spot-nightly-1']);
    expect(jobsOn('runner-2')).toEqual(['build-2', 'e2e']);
    expect(jobsOn('runner-3')).toEqual(['train-1', 'gpu-test']);
    const r2 = fleet.hostManager.hostStateFor('runner-2', 'runner-2', 'full');
    expect(r2?.freeRamMb).toBe(0);
    expect(r2?.vcpusUsed).toBe(8);
    const r3 = fleet.hostManager.hostStateFor('runner-3', 'runner-3', 'full');
    expect(r3?.freeRamMb).toBe(65536 - 32768 - 16384);
    expect(r3?.vcpusUsed).toBe(16);
  });

  it('ranks candidate runners with filterHosts + weighHosts without claiming anything', () => {
    const fleet = demo();
    const e2e = demoJobs[0] as Job;
    expect(rankRunners(fleet, e2e)).toEqual([
      { runner: 'runner-2', weight: 750 }, // duration: (-10 - -40) / 40 * 1000
      { runner: 'runner-1', weight: 0 },
    ]);
    expect(fleet.hostManager.hostStateFor('runner-2', 'runner-2', 'full')?.freeRamMb).toBe(0);
    // A spot job sees real usage only: no docker runner has room.
    expect(rankRunners(fleet, { ...e2e, id: 'spot-e2e', spot: true })).toEqual([]);
  });

  it('prefers an online runner with free room over preempting', async () => {
    const { runners, running } = demoFleet(NOW);
    const online = runners.map((r) => ({ ...r, lastSeen: NOW - 5_000 }));
    const fleet = createRunnerScheduler({ runners: online, running, now: () => NOW });
    const [e2e] = await placeJobs(fleet, [demoJobs[0] as Job]);
    expect(e2e).toEqual({ job: 'e2e', runner: 'runner-4', preempted: [] });
    expect(fleet.cancelled).toEqual([]);
  });

  it('heartbeatTimeoutSeconds decides when a runner counts as offline', async () => {
    const { runners, running } = demoFleet(NOW);
    const fleet = createRunnerScheduler({
      runners,
      running,
      now: () => NOW,
      heartbeatTimeoutSeconds: 600,
    });
    const [e2e] = await placeJobs(fleet, [demoJobs[0] as Job]);
    expect(e2e?.runner).toBe('runner-4');
  });

  it('preempts the cheapest set of spot jobs that frees enough', async () => {
    const runner = {
      name: 'solo',
      vcpus: 8,
      memoryMb: 8192,
      diskGb: 100,
      labels: ['linux'],
      lastSeen: NOW,
    };
    const spot = (id: string, memoryMb: number): Job & { runner: string; startedAt: number } => ({
      ...job(id, { memoryMb, spot: true }),
      runner: 'solo',
      startedAt: NOW - 30_000,
    });
    const fleet = createRunnerScheduler({
      runners: [runner],
      running: [spot('s1', 4096), spot('s2', 2048), spot('s3', 2048)],
      now: () => NOW,
    });
    const [big] = await placeJobs(fleet, [job('big', { memoryMb: 6144 })]);
    // 6144 MB must be freed on a full 8192 MB runner; all three spot jobs are
    // 30 s into their minute, so the cheapest sufficient set is the smallest:
    // s1 (4096) + s2 (2048), in the runner's order. opie would have taken s3 only.
    expect(big).toEqual({ job: 'big', runner: 'solo', preempted: ['s1', 's2'] });
  });

  it('never lets a spot job preempt another spot job', async () => {
    const fleet = demo();
    const [p] = await placeJobs(fleet, [
      job('spot-big', { memoryMb: 8192, labels: ['docker'], spot: true }),
    ]);
    expect(p?.runner).toBeNull();
    expect(p?.reason).toContain('no host passed RamFilter');
    expect(fleet.cancelled).toEqual([]);
  });

  it('turns a job into a one-instance request with label extra specs', () => {
    const spec = jobRequest(job('j', { labels: ['linux', 'gpu'], spot: true }));
    expect(spec.numInstances).toBe(1);
    expect(spec.preemptible).toBe(true);
    expect(spec.flavor.extraSpecs).toEqual({
      'aggregate_instance_extra_specs:label_linux': 'true',
      'aggregate_instance_extra_specs:label_gpu': 'true',
    });
  });

  it('main prints the demo run', async () => {
    const lines: string[] = [];
    const placements = await main((line) => lines.push(line), NOW);
    expect(placements).toHaveLength(4);
    expect(lines).toEqual([
      'e2e could go to: runner-2 (750.0), runner-1 (0.0)',
      'e2e -> runner-2, preempting spot-nightly-2',
      'spot-docs -> runner-3',
      'gpu-test -> runner-3, preempting spot-docs',
      'arm-build: queued, No valid host was found. There are not enough hosts available. Instance 1 of 1: no host passed AggregateInstanceExtraSpecsFilter.',
    ]);
  });
});
