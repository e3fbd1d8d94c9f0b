/**
 * The multi-instance part of `dist/victim-search.js`: requests of 2 to 4
 * copies on full hosts, planned jointly (`joint_planning = true`, the
 * default) against one copy at a time (`joint_planning = false`, the
 * baseline, what the scheduler did before), each on its own copy of the
 * same cloud file (read through `parseCloud`) with the same request
 * sequence. Victims are priced by VictimCountWeigher alone, so a plan's cost
 * is its number of victims.
 *
 * Env: `OPIE_BENCH_JOINT_HOSTS` (default 200), `OPIE_BENCH_JOINT_REQUESTS`
 * (default 200).
 */
import { parseCloud } from '@opie/cloud';
import type { Flavor, RequestSpec } from '@opie/core';
import { createRuntime, seededRandom } from '@opie/core';
import { FilterScheduler } from '@opie/filter-scheduler';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import { loadScheduler } from '@opie/loader';
import { CountingComputePort, nullNotifier } from './scheduler.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SEED = 20260114;

const FLAVORS = [
  { id: '1', name: 'm1.tiny', memory_mb: 512, vcpus: 1, root_gb: 1 },
  { id: '2', name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20 },
  { id: '3', name: 'm1.medium', memory_mb: 4096, vcpus: 2, root_gb: 40 },
  { id: '4', name: 'm1.large', memory_mb: 8192, vcpus: 4, root_gb: 80 },
] as const;

function conf(joint: boolean): string {
  return `
[DEFAULT]
ram_allocation_ratio = 1.0
cpu_allocation_ratio = 2.0
disk_allocation_ratio = 1.0

[scheduler]
driver = opie.scheduler.filter_scheduler.FilterScheduler
host_manager = opie.scheduler.host_manager.HostManager

[filter_scheduler]
enabled_filters = RetryFilter, RamFilter, CoreFilter, DiskFilter, ComputeFilter, NumInstancesFilter
max_instances_per_host = 50
weight_classes = nova.scheduler.weights.ram.RAMWeigher

[preemptible_instances_scheduler]
weight_classes = opie.scheduler.weights.victims.VictimCountWeigher
joint_planning = ${joint ? 'true' : 'false'}
`;
}

/** Hosts of 64 GB / 16 vCPUs filled to the last tiny with a mix of flavors, 60% preemptible. */
function cloudText(hosts: number): string {
  const random = seededRandom(SEED);
  const nodes: unknown[] = [];
  const instances: unknown[] = [];
  for (let h = 0; h < hosts; h++) {
    const host = `joint-${String(h).padStart(4, '0')}`;
    let ram = 0;
    let k = 0;
    while (ram + 512 <= 65_536) {
      let f = FLAVORS[Math.floor(random() * FLAVORS.length)] as (typeof FLAVORS)[number];
      if (ram + f.memory_mb > 65_536) f = FLAVORS[0];
      ram += f.memory_mb;
      instances.push({
        uuid: `${host}-i${k++}`,
        host,
        flavor: f.name,
        ...(random() < 0.6 ? { preemptible: true } : {}),
        created_at: new Date(NOW - Math.floor(random() * 6 * 3_600_000)).toISOString(),
      });
    }
    nodes.push({
      host,
      memory_mb: 65_536,
      vcpus: 64,
      local_gb: 4000,
      updated_at: new Date(NOW - 10_000).toISOString(),
    });
  }
  return JSON.stringify({
    now: new Date(NOW).toISOString(),
    defaults: { reserved_host_memory_mb: 0, reserved_host_disk_mb: 0 },
    flavors: FLAVORS,
    nodes,
    instances,
  });
}

function spec(i: number, random: () => number): RequestSpec {
  const f = FLAVORS[1 + Math.floor(random() * 3)] as (typeof FLAVORS)[number];
  const flavor: Flavor = {
    id: f.id,
    name: f.name,
    memoryMb: f.memory_mb,
    vcpus: f.vcpus,
    rootGb: f.root_gb,
    ephemeralGb: 0,
    swap: 0,
    extraSpecs: {},
  };
  const numInstances = 2 + Math.floor(random() * 3);
  return {
    requestId: `req-joint-${i}`,
    instanceUuids: [...Array(numInstances).keys()].map((k) => `joint-${i}-${k}`),
    flavor,
    image: { properties: {} },
    schedulerHints: {},
    numInstances,
  };
}

interface Run {
  requests: number;
  placed: number;
  preempting: number;
  victims: number;
  ms: number;
}

async function run(text: string, joint: boolean, requests: number): Promise<Run> {
  const loaded = await loadScheduler({
    files: [{ path: 'joint.conf', text: conf(joint) }],
    runtime: createRuntime({ now: () => NOW, random: seededRandom(SEED) }),
    compute: new CountingComputePort(),
    notifier: nullNotifier,
  });
  const { driver, hostManager } = loaded;
  if (!(driver instanceof FilterScheduler)) throw new Error('expected a FilterScheduler');
  if (!(hostManager instanceof HostManager)) throw new Error('expected a HostManager');
  const snapshot = parseCloud(JSON.parse(text), { source: 'joint bench' });
  hostManager.setSource(
    new InMemoryHostSource({
      nodes: snapshot.nodes,
      services: snapshot.services,
      aggregates: snapshot.aggregates,
      instances: snapshot.instances,
    }),
  );
  hostManager.getHostStates('free', NOW);
  const random = seededRandom(SEED + 1);
  const out: Run = { requests, placed: 0, preempting: 0, victims: 0, ms: 0 };
  for (let i = 0; i < requests; i++) {
    const s = spec(i, random);
    const t = performance.now();
    try {
      const plan = driver.plan(s);
      await driver.execute(plan);
      out.ms += performance.now() - t;
      out.placed += 1;
      out.victims += plan.result.preemptions.length;
      if (plan.result.preemptions.length > 0) out.preempting += 1;
    } catch {
      out.ms += performance.now() - t;
    }
  }
  return out;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${name}: bad value ${raw}; want an integer >= 1`);
  }
  return n;
}

const fmt = (n: number, digits = 2): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The Markdown table of the multi-instance comparison. */
export async function jointBench(): Promise<string> {
  const hosts = intFromEnv('OPIE_BENCH_JOINT_HOSTS', 200);
  const requests = intFromEnv('OPIE_BENCH_JOINT_REQUESTS', 200);
  process.stderr.write(`[bench] joint planning: ${hosts} hosts, ${requests} requests\n`);
  const text = cloudText(hosts);
  const baseline = await run(text, false, requests);
  const joint = await run(text, true, requests);
  const row = (name: string, r: Run) =>
    `| ${name} | ${r.requests} | ${r.placed} | ${r.preempting} | ${r.victims} | ${fmt(r.victims / Math.max(1, r.preempting))} | ${fmt(r.ms / r.requests, 3)} |`;
  return [
    `Multi-instance requests (2 to 4 copies of m1.small / medium / large) on ${hosts} full hosts (64 GB, 60% of instances preemptible), victims by count; each on its own copy of the cloud, same requests.`,
    '',
    '| planning | requests | placed | preempting | victims | victims / preempting request | ms/request |',
    '| :--- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('one copy at a time (joint_planning = false, baseline)', baseline),
    row('joint (joint_planning = true)', joint),
    '',
    `Joint / baseline victims: ${fmt(joint.victims / Math.max(1, baseline.victims), 3)}x; time: ${fmt(joint.ms / Math.max(1e-9, baseline.ms), 2)}x.`,
  ].join('\n');
}
