/**
 * A scheduler for CI jobs on a fleet of runner machines, built from the opie
 * packages directly (no loader, no nova.conf). Jobs ask for CPU, memory, disk
 * and labels; spot jobs are interruptible and run on spare capacity, and a
 * normal job may preempt them (opie's preemptible instances).
 *
 * Mapping onto nova's vocabulary: a runner is a compute node (host = node =
 * runner name) with an always-present agent service whose heartbeat is
 * `lastSeen`; a job is an instance whose flavor is its resources; a label is
 * a host aggregate with metadata `label_<name>=true`, matched by
 * AggregateInstanceExtraSpecsFilter; a spot job is a preemptible instance.
 */
import { pathToFileURL } from 'node:url';
import type {
  Aggregate,
  ComputeNode,
  ComputePort,
  Flavor,
  HostFilter,
  HostWeigher,
  Instance,
  RequestSpec,
  Runtime,
  Service,
  TerminationOrder,
} from '@opie/core';
import {
  createRuntime,
  isPreemptibleRequest,
  makeFilterRequest,
  NoValidHostError,
  seededRandom,
} from '@opie/core';
import {
  createAggregateInstanceExtraSpecsFilter,
  createComputeFilter,
  createCoreFilter,
  createDiskFilter,
  createRamFilter,
  FilterScheduler,
  filterHosts,
} from '@opie/filter-scheduler';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import {
  createBillingRemainderVictimWeigher,
  createPreemptibleCountWeigher,
  createPreemptibleDurationWeigher,
  createRamWeigher,
  createVictimCountWeigher,
  weighHosts,
} from '@opie/weighers';

/** A runner machine. */
export interface Runner {
  name: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  labels: readonly string[];
  /** Last heartbeat of the runner agent, epoch ms. */
  lastSeen: number;
}

/** A CI job to place. */
export interface Job {
  id: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  /** Every label must be on the runner. */
  labels: readonly string[];
  /** Interruptible: runs on spare capacity only and may be preempted. */
  spot?: boolean;
}

/** A job already running on a runner. */
export interface RunningJob extends Job {
  runner: string;
  /** Epoch ms. */
  startedAt: number;
}

/** Where a job went, and which spot jobs were cancelled to make room. */
export interface Placement {
  job: string;
  /** `null` when no runner can take the job now (it stays queued). */
  runner: string | null;
  preempted: string[];
  /** Why the job was not placed. */
  reason?: string;
}

export interface RunnerSchedulerOptions {
  runners: readonly Runner[];
  running?: readonly RunningJob[];
  /** Clock, epoch ms (inject a fixed one in tests). */
  now?: () => number;
  /** A runner whose agent was not seen for this long is offline (default 60 s). */
  heartbeatTimeoutSeconds?: number;
  /** Spot billing period (default 60 s): the duration weigher prefers cheap victims. */
  billingPeriodSeconds?: number;
}

/** The wired scheduler and the pieces a caller may want to look at. */
export interface RunnerScheduler {
  scheduler: FilterScheduler;
  hostManager: HostManager;
  /** The fleet as the scheduler reads it; placed jobs are added, cancelled ones removed. */
  source: InMemoryHostSource;
  filters: readonly HostFilter[];
  weighers: readonly HostWeigher[];
  runtime: Runtime;
  /** Every spot job cancelled by a preemption, in order. */
  cancelled: TerminationOrder[];
}

const SPOT_MARK = { preemptible: 'True' } as const;

/** The aggregate metadata key (and extra-spec key) of a label. */
function labelKey(label: string): string {
  return `label_${label}`;
}

function jobInstance(job: Job, runner: string, startedAt: number): Instance {
  const spot = job.spot === true;
  return {
    uuid: job.id,
    host: runner,
    node: runner,
    memoryMb: job.memoryMb,
    vcpus: job.vcpus,
    rootGb: job.diskGb,
    ephemeralGb: 0,
    systemMetadata: spot ? { ...SPOT_MARK } : {},
    createdAt: startedAt,
    preemptible: spot,
  };
}

/** A job as a one-instance request: its resources and labels form the flavor. */
export function jobRequest(job: Job): RequestSpec {
  const extraSpecs: Record<string, string> = {};
  for (const label of job.labels) {
    extraSpecs[`aggregate_instance_extra_specs:${labelKey(label)}`] = 'true';
  }
  const flavor: Flavor = {
    id: `job:${job.id}`,
    name: job.id,
    memoryMb: job.memoryMb,
    vcpus: job.vcpus,
    rootGb: job.diskGb,
    ephemeralGb: 0,
    swap: 0,
    extraSpecs,
  };
  return {
    requestId: job.id,
    instanceUuids: [job.id],
    flavor,
    image: { properties: {} },
    schedulerHints: {},
    numInstances: 1,
    preemptible: job.spot === true,
  };
}

/** The record a runner agent would report: usage is the sum of its jobs. */
function runnerRecord(runner: Runner, jobs: readonly RunningJob[], now: number): ComputeNode {
  const mine = jobs.filter((j) => j.runner === runner.name);
  const usedMb = mine.reduce((sum, j) => sum + j.memoryMb, 0);
  const usedGb = mine.reduce((sum, j) => sum + j.diskGb, 0);
  return {
    host: runner.name,
    hypervisorHostname: runner.name,
    memoryMb: runner.memoryMb,
    freeRamMb: runner.memoryMb - usedMb,
    localGb: runner.diskGb,
    localGbUsed: usedGb,
    freeDiskGb: runner.diskGb - usedGb,
    vcpus: runner.vcpus,
    vcpusUsed: mine.reduce((sum, j) => sum + j.vcpus, 0),
    stats: { num_instances: String(mine.length) },
    // CI jobs get what they ask for: no overcommit.
    cpuAllocationRatio: 1,
    ramAllocationRatio: 1,
    diskAllocationRatio: 1,
    updatedAt: now,
  };
}

function labelAggregates(runners: readonly Runner[]): Aggregate[] {
  const byLabel = new Map<string, string[]>();
  for (const runner of runners) {
    for (const label of runner.labels) {
      const hosts = byLabel.get(label);
      if (hosts === undefined) byLabel.set(label, [runner.name]);
      else hosts.push(runner.name);
    }
  }
  return [...byLabel].map(([label, hosts]) => ({
    id: `label-${label}`,
    name: `label-${label}`,
    hosts,
    metadata: { [labelKey(label)]: 'true' },
  }));
}

/** "Terminating" a spot job cancels it: the runner forgets it (it can be re-queued). */
class SpotCanceller implements ComputePort {
  constructor(
    private readonly source: InMemoryHostSource,
    private readonly cancelled: TerminationOrder[],
  ) {}

  terminateInstance(order: TerminationOrder): Promise<void> {
    this.cancelled.push(order);
    this.source.removeInstance(order.uuid);
    return Promise.resolve();
  }
}

/** Builds the runner fleet and an opie FilterScheduler with preemption on. */
export function createRunnerScheduler(options: RunnerSchedulerOptions): RunnerScheduler {
  const runtime = createRuntime({ now: options.now ?? Date.now, random: seededRandom(1) });
  const now = runtime.now();
  const running = options.running ?? [];
  const source = new InMemoryHostSource({
    nodes: options.runners.map((r) => runnerRecord(r, running, now)),
    services: options.runners.map((r): Service => ({
      host: r.name,
      binary: 'nova-compute',
      disabled: false,
      lastSeenUp: r.lastSeen,
    })),
    aggregates: labelAggregates(options.runners),
    instances: running.map((j) => jobInstance(j, j.runner, j.startedAt)),
  });
  const hostManager = new HostManager({ source, runtime });

  // Cheap checks first: liveness and labels, then resources.
  const filters: HostFilter[] = [
    createComputeFilter({ serviceDownTime: options.heartbeatTimeoutSeconds ?? 60 }),
    createAggregateInstanceExtraSpecsFilter(),
    createRamFilter(),
    createCoreFilter({ logger: runtime.logger }),
    createDiskFilter(),
  ];
  // Spread by free memory, but above all avoid runners with spot jobs, and
  // among those prefer the ones whose spot jobs are least far into their minute.
  const weighers: HostWeigher[] = [
    createRamWeigher({ multiplier: 1 }),
    createPreemptibleCountWeigher({ multiplier: 1000 }),
    createPreemptibleDurationWeigher({
      multiplier: 1000,
      billingPeriod: options.billingPeriodSeconds ?? 60,
    }),
  ];
  const cancelled: TerminationOrder[] = [];
  const scheduler = new FilterScheduler({
    hostManager,
    filters,
    weighers,
    runtime,
    compute: new SpotCanceller(source, cancelled),
    preemption: true,
    // Victims cost the paid time they have run into their billing minute, plus
    // a little per victim: the cheapest sufficient set of spot jobs goes.
    victimWeighers: [
      createBillingRemainderVictimWeigher({
        multiplier: 1,
        billingPeriod: options.billingPeriodSeconds ?? 60,
      }),
      createVictimCountWeigher({ multiplier: 5 }),
    ],
    publisherId: 'ci-scheduler',
  });
  return { scheduler, hostManager, source, filters, weighers, runtime, cancelled };
}

/**
 * Places jobs one after the other. A placed job starts at once (it is added
 * to its runner); a job no runner can take is reported with the reason and
 * stays queued. Only "no valid host" is caught; other errors propagate.
 */
export async function placeJobs(
  fleet: RunnerScheduler,
  jobs: readonly Job[],
): Promise<Placement[]> {
  const placements: Placement[] = [];
  for (const job of jobs) {
    try {
      const result = await fleet.scheduler.selectDestinations(jobRequest(job));
      const destination = result.destinations[0];
      if (destination === undefined) throw new NoValidHostError('no destination returned');
      fleet.source.addInstance(jobInstance(job, destination.host, fleet.runtime.now()));
      placements.push({
        job: job.id,
        runner: destination.host,
        preempted: result.preemptions.map((p) => p.victim.uuid),
      });
    } catch (err) {
      if (!NoValidHostError.isInstance(err)) throw err;
      placements.push({ job: job.id, runner: null, preempted: [], reason: err.message });
    }
  }
  return placements;
}

/**
 * A dry run with the building blocks the scheduler uses: which runners pass
 * the filters for `job`, best first, with their weights. Claims nothing.
 */
export function rankRunners(
  fleet: RunnerScheduler,
  job: Job,
): Array<{ runner: string; weight: number }> {
  const now = fleet.runtime.now();
  const spec = jobRequest(job);
  const request = makeFilterRequest(spec, now);
  // A normal job sees spot usage as free; a spot job sees the real usage.
  const view = isPreemptibleRequest(spec) ? 'full' : 'free';
  const { passed } = filterHosts(
    fleet.filters,
    fleet.hostManager.getHostStates(view, now),
    request,
  );
  // Weigh the full states, so the weighers see the spot jobs.
  const full = passed.map((h) => fleet.hostManager.hostStateFor(h.host, h.nodename, 'full') ?? h);
  return weighHosts(fleet.weighers, full, request, { explain: false }).map((w) => ({
    runner: w.host.host,
    weight: w.weight,
  }));
}

/** The demo fleet at `now` (a minute boundary reads best). */
export function demoFleet(now: number): { runners: Runner[]; running: RunningJob[] } {
  const linuxDocker = ['linux', 'docker'];
  const runners: Runner[] = [
    {
      name: 'runner-1',
      vcpus: 8,
      memoryMb: 16384,
      diskGb: 100,
      labels: linuxDocker,
      lastSeen: now,
    },
    {
      name: 'runner-2',
      vcpus: 8,
      memoryMb: 16384,
      diskGb: 100,
      labels: linuxDocker,
      lastSeen: now,
    },
    {
      name: 'runner-3',
      vcpus: 16,
      memoryMb: 65536,
      diskGb: 500,
      labels: ['linux', 'gpu'],
      lastSeen: now,
    },
    // Its agent has been silent for five minutes: offline.
    {
      name: 'runner-4',
      vcpus: 8,
      memoryMb: 16384,
      diskGb: 100,
      labels: linuxDocker,
      lastSeen: now - 300_000,
    },
  ];
  const half = { vcpus: 4, memoryMb: 8192, diskGb: 20, labels: linuxDocker };
  const running: RunningJob[] = [
    { id: 'build-1', ...half, runner: 'runner-1', startedAt: now - 600_000 },
    // 100 s ago: 40 s into its billing minute.
    { id: 'spot-nightly-1', ...half, spot: true, runner: 'runner-1', startedAt: now - 100_000 },
    { id: 'build-2', ...half, runner: 'runner-2', startedAt: now - 600_000 },
    // 130 s ago: 10 s into its billing minute.
    { id: 'spot-nightly-2', ...half, spot: true, runner: 'runner-2', startedAt: now - 130_000 },
    {
      id: 'train-1',
      vcpus: 8,
      memoryMb: 32768,
      diskGb: 200,
      labels: ['linux', 'gpu'],
      runner: 'runner-3',
      startedAt: now - 3_600_000,
    },
  ];
  return { runners, running };
}

/** The demo queue, in arrival order. */
export const demoJobs: readonly Job[] = [
  { id: 'e2e', vcpus: 4, memoryMb: 8192, diskGb: 20, labels: ['linux', 'docker'] },
  { id: 'spot-docs', vcpus: 2, memoryMb: 2048, diskGb: 10, labels: ['linux'], spot: true },
  { id: 'gpu-test', vcpus: 8, memoryMb: 16384, diskGb: 100, labels: ['linux', 'gpu'] },
  { id: 'arm-build', vcpus: 2, memoryMb: 4096, diskGb: 20, labels: ['linux', 'arm64'] },
];

/** Runs the demo and prints what happened. */
export async function main(
  log: (line: string) => void = console.log,
  now: number = Date.UTC(2026, 2, 2, 9, 0, 0),
): Promise<Placement[]> {
  const fleet = createRunnerScheduler({ ...demoFleet(now), now: () => now });
  const ranking = rankRunners(fleet, demoJobs[0] as Job)
    .map((r) => `${r.runner} (${r.weight.toFixed(1)})`)
    .join(', ');
  log(`e2e could go to: ${ranking}`);
  const placements = await placeJobs(fleet, demoJobs);
  for (const p of placements) {
    if (p.runner === null) {
      log(`${p.job}: queued, ${p.reason ?? 'no runner'}`);
    } else {
      const preempted = p.preempted.length > 0 ? `, preempting ${p.preempted.join(', ')}` : '';
      log(`${p.job} -> ${p.runner}${preempted}`);
    }
  }
  return placements;
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && import.meta.url === pathToFileURL(invokedAs).href) {
  await main();
}
