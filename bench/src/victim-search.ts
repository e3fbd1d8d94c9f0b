/**
 * `pnpm bench`, the exact victim search: time per host planned and the share
 * of plans proven optimal, at 20, 100, 500 and 2,000 candidate victims per
 * host, under a count cost and a billing-like cost; and, for multi-instance
 * requests, the request's total victims planned jointly against one instance
 * at a time.
 *
 * Hosts are written as a cloud file (JSON text, as users write it) and read
 * through `parseCloud` and the host manager. Each host holds `n` preemptible
 * instances of six small flavors (256 MB to 3 GB, 1 to 4 vCPUs) created over
 * the last six hours, and has up to 3 GB and 3 vCPUs free; the request is an
 * m1.large (8 GB, 4 vCPUs), so each host must free up to 8,192 MB and
 * 4 vCPUs.
 *
 * Per size and cost: `planVictims` with the default budget
 * (`victim_search_budget_ms` = 50) on every host, against the baseline in
 * the same run, the heuristic alone (`budgetMs: 0`, what hosts beyond 20
 * candidates got before): its time and its cost over the exact one.
 *
 * Env: `OPIE_BENCH_SEARCH_HOSTS` (hosts per size, default 40),
 * `OPIE_BENCH_SEARCH_SIZES` (default 20,100,500,2000).
 */
import { parseCloud } from '@opie/cloud';
import type { Flavor, HostState, Limits, VictimWeigher } from '@opie/core';
import { seededRandom } from '@opie/core';
import { placementNeed, planVictims } from '@opie/filter-scheduler';
import type { VictimPlan } from '@opie/filter-scheduler';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import {
  createBillingRemainderVictimWeigher,
  createVictimCountWeigher,
  defaultVictimWeighers,
} from '@opie/weighers';
import { jointBench } from './joint-bench.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SEED = 20260113;

/** The preemptibles' flavors (MB, vCPUs, GB). */
const SMALL = [
  { name: 'p.nano', memory_mb: 256, vcpus: 1, root_gb: 1 },
  { name: 'p.micro', memory_mb: 512, vcpus: 1, root_gb: 5 },
  { name: 'p.small', memory_mb: 1024, vcpus: 2, root_gb: 10 },
  { name: 'p.medium', memory_mb: 2048, vcpus: 2, root_gb: 20 },
  { name: 'p.cpu', memory_mb: 768, vcpus: 4, root_gb: 10 },
  { name: 'p.mem', memory_mb: 3072, vcpus: 1, root_gb: 20 },
] as const;

const LARGE: Flavor = {
  id: 'large',
  name: 'm1.large',
  memoryMb: 8192,
  vcpus: 4,
  rootGb: 80,
  ephemeralGb: 0,
  swap: 0,
  extraSpecs: {},
};

const COSTS: Record<string, () => VictimWeigher[]> = {
  count: () => [createVictimCountWeigher()],
  'billing (count + billing remainder)': () => [
    createVictimCountWeigher(),
    createBillingRemainderVictimWeigher(),
  ],
  'default five (waste is set-dependent)': () => defaultVictimWeighers(),
};

/** The cloud file's text: `hosts` full hosts of `n` preemptibles each. */
function cloudText(hosts: number, n: number): string {
  const random = seededRandom(SEED + n);
  const nodes: unknown[] = [];
  const instances: unknown[] = [];
  for (let h = 0; h < hosts; h++) {
    const host = `c${n}-${String(h).padStart(4, '0')}`;
    let ram = 4096;
    let vcpus = 2;
    let disk = 40;
    instances.push({
      uuid: `${host}-normal`,
      host,
      flavor: 'm1.medium',
      created_at: new Date(NOW - 86_400_000).toISOString(),
    });
    for (let k = 0; k < n; k++) {
      const f = SMALL[Math.floor(random() * SMALL.length)] as (typeof SMALL)[number];
      ram += f.memory_mb;
      vcpus += f.vcpus;
      disk += f.root_gb;
      instances.push({
        uuid: `${host}-p${k}`,
        host,
        flavor: f.name,
        preemptible: true,
        created_at: new Date(NOW - Math.floor(random() * 6 * 3_600_000)).toISOString(),
      });
    }
    // Some free room (up to 3 GB and 3 vCPUs): needs differ from host to host.
    nodes.push({
      host,
      memory_mb: ram + Math.floor(random() * 12) * 256,
      vcpus: vcpus + Math.floor(random() * 4),
      local_gb: disk + 1000,
      cpu_allocation_ratio: 1.0,
      ram_allocation_ratio: 1.0,
      disk_allocation_ratio: 1.0,
      updated_at: new Date(NOW - 10_000).toISOString(),
    });
  }
  return JSON.stringify({
    now: new Date(NOW).toISOString(),
    defaults: { reserved_host_memory_mb: 0, reserved_host_disk_mb: 0 },
    flavors: [
      ...SMALL.map((f, i) => ({ id: `p${i}`, ...f })),
      { id: 'm', name: 'm1.medium', memory_mb: 4096, vcpus: 2, root_gb: 40 },
    ],
    nodes,
    instances,
  });
}

/** The full-view host states of a cloud file's text. */
export function hostsOf(text: string): HostState[] {
  const snapshot = parseCloud(JSON.parse(text), { source: 'victim-search bench' });
  const manager = new HostManager({
    source: new InMemoryHostSource({
      nodes: snapshot.nodes,
      services: snapshot.services,
      aggregates: snapshot.aggregates,
      instances: snapshot.instances,
    }),
  });
  return manager.getHostStates('full', NOW);
}

function limitsOf(h: HostState): Limits {
  return {
    memoryMb: h.totalUsableRamMb * h.ramAllocationRatio,
    vcpu: h.vcpusTotal * h.cpuAllocationRatio,
    diskGb: h.totalUsableDiskGb * h.diskAllocationRatio,
  };
}

interface SizeRow {
  size: number;
  cost: string;
  hosts: number;
  msMean: number;
  msMax: number;
  optimal: number;
  /** Largest (cost - lowerBound) / cost over the plans not proven optimal. */
  gapMax: number;
  victimsMean: number;
  baselineMs: number;
  /** Mean and max of the heuristic's cost over the exact search's. */
  baselineRatioMean: number;
  baselineRatioMax: number;
}

function plan(host: HostState, weighers: VictimWeigher[], budgetMs?: number): VictimPlan {
  const limits = limitsOf(host);
  const need = placementNeed(host, limits, LARGE);
  const p = planVictims({
    host,
    limits,
    candidates: [...host.instances.values()],
    weighers,
    now: NOW,
    need,
    ...(budgetMs !== undefined ? { budgetMs } : {}),
  });
  if (p === null) throw new Error(`${host.host}: cannot free enough`);
  return p;
}

function measure(size: number, hosts: HostState[], cost: string): SizeRow {
  const weighers = (COSTS[cost] as () => VictimWeigher[])();
  // Warm-up (JIT) on a few hosts.
  for (const h of hosts.slice(0, 3)) {
    plan(h, weighers);
    plan(h, weighers, 0);
  }
  let total = 0;
  let max = 0;
  let optimal = 0;
  let gapMax = 0;
  let victims = 0;
  let baseline = 0;
  let ratioSum = 0;
  let ratioMax = 0;
  for (const h of hosts) {
    let t = performance.now();
    const exact = plan(h, weighers);
    const ms = performance.now() - t;
    t = performance.now();
    const greedy = plan(h, weighers, 0);
    baseline += performance.now() - t;
    total += ms;
    if (ms > max) max = ms;
    victims += exact.victims.length;
    if (exact.optimal === true) optimal += 1;
    else gapMax = Math.max(gapMax, (exact.cost - (exact.lowerBound ?? 0)) / exact.cost);
    const ratio = exact.cost > 0 ? greedy.cost / exact.cost : 1;
    ratioSum += ratio;
    ratioMax = Math.max(ratioMax, ratio);
  }
  const n = hosts.length;
  return {
    size,
    cost,
    hosts: n,
    msMean: total / n,
    msMax: max,
    optimal: optimal / n,
    gapMax,
    victimsMean: victims / n,
    baselineMs: baseline / n,
    baselineRatioMean: ratioSum / n,
    baselineRatioMax: ratioMax,
  };
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name}: bad value ${raw}; want an integer >= 1`);
  return n;
}

function sizesFromEnv(): number[] {
  const raw = process.env['OPIE_BENCH_SEARCH_SIZES'];
  if (raw === undefined || raw.trim() === '') return [20, 100, 500, 2000];
  return raw.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`OPIE_BENCH_SEARCH_SIZES: bad size ${s}; want integers >= 1, e.g. 20,100`);
    }
    return n;
  });
}

const fmt = (n: number, digits = 2): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (x: number): string => `${fmt(100 * x, 1)}%`;

async function main(): Promise<void> {
  const perSize = intFromEnv('OPIE_BENCH_SEARCH_HOSTS', 40);
  const rows: SizeRow[] = [];
  for (const size of sizesFromEnv()) {
    process.stderr.write(`[bench] victim search: ${perSize} hosts x ${size} candidates\n`);
    const hosts = hostsOf(cloudText(perSize, size));
    for (const cost of Object.keys(COSTS)) rows.push(measure(size, hosts, cost));
  }
  const lines = [
    'Victim search per host planned: hosts of N preemptibles (six flavors, 256 MB to 3 GB, 1 to 4 vCPUs), each freeing up to 8,192 MB and 4 vCPUs for an m1.large; default budget 50 ms. Baseline: the heuristic alone (budget 0), in the same run.',
    '',
    '| candidates | cost | hosts | ms/host | max ms | proven optimal | max gap to bound | victims/host | baseline ms/host | baseline cost / exact (mean) | (max) |',
    '| ---: | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.size.toLocaleString('en-US')} | ${r.cost} | ${r.hosts} | ${fmt(r.msMean, 3)} | ${fmt(r.msMax, 3)} | ${pct(r.optimal)} | ${pct(r.gapMax)} | ${fmt(r.victimsMean, 1)} | ${fmt(r.baselineMs, 3)} | ${fmt(r.baselineRatioMean, 4)}x | ${fmt(r.baselineRatioMax, 4)}x |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  process.stdout.write(`${await jointBench()}\n`);
}

await main();
