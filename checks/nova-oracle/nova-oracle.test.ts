import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Aggregate, ComputeNode, HostState, Instance, RequestSpec, Service } from '@opie/core';
import { columnsOf, createRuntime, makeFilterRequest, seededRandom } from '@opie/core';
import { InMemoryHostSource } from '@opie/host-manager';
import { loadScheduler } from '@opie/loader';
import { weighRows } from '@opie/weighers';

/*
 * opie's `[opie] nova_version = zed` against nova Zed itself (Debian's
 * python3-nova, 26.2.x): random clouds and requests from a seeded generator,
 * each decided by opie's filter scheduler (built through the loader from a
 * nova.conf text, as users build it) and by nova's own filters and weight
 * handler (nova_oracle.py, run with /usr/bin/python3 on the same host states).
 * Every filter's verdict on every host, every weigher's normalised weights,
 * the totals and the chosen host must be the same: the expected values are
 * nova's, nothing here is hard-coded.
 *
 * More runs or another seed:
 *   OPIE_PROPERTY_RUNS=2000 OPIE_PROPERTY_SEED=7 npx vitest run nova-oracle.test.ts
 */

/**
 * The filters whose rule nova Zed kept from Liberty. A filter made to follow
 * Zed elsewhere joins the comparison by adding its name here.
 */
export const FILTERS: readonly string[] = [
  'AllHostsFilter',
  'ComputeFilter',
  'AvailabilityZoneFilter',
  'IoOpsFilter',
  'AggregateIoOpsFilter',
  'NumInstancesFilter',
  'AggregateNumInstancesFilter',
  'AggregateInstanceExtraSpecsFilter',
  'AggregateMultiTenancyIsolation',
  'AggregateTypeAffinityFilter',
  'DifferentHostFilter',
  'IsolatedHostsFilter',
  'ServerGroupAffinityFilter',
];

/** The weighers compared, with the aggregate metadata key of each one's multiplier. */
export const WEIGHERS: readonly { path: string; key: string; nonNegative?: boolean }[] = [
  { path: 'nova.scheduler.weights.ram.RAMWeigher', key: 'ram_weight_multiplier' },
  { path: 'nova.scheduler.weights.cpu.CPUWeigher', key: 'cpu_weight_multiplier' },
  { path: 'nova.scheduler.weights.disk.DiskWeigher', key: 'disk_weight_multiplier' },
  { path: 'nova.scheduler.weights.io_ops.IoOpsWeigher', key: 'io_ops_weight_multiplier' },
  { path: 'nova.scheduler.weights.metrics.MetricsWeigher', key: 'metrics_weight_multiplier' },
  {
    path: 'nova.scheduler.weights.affinity.ServerGroupSoftAffinityWeigher',
    key: 'soft_affinity_weight_multiplier',
    nonNegative: true,
  },
  {
    path: 'nova.scheduler.weights.affinity.ServerGroupSoftAntiAffinityWeigher',
    key: 'soft_anti_affinity_weight_multiplier',
    nonNegative: true,
  },
  {
    path: 'nova.scheduler.weights.compute.BuildFailureWeigher',
    key: 'build_failure_weight_multiplier',
  },
  {
    path: 'nova.scheduler.weights.cross_cell.CrossCellWeigher',
    key: 'cross_cell_move_weight_multiplier',
  },
  {
    path: 'nova.scheduler.weights.pci.PCIWeigher',
    key: 'pci_weight_multiplier',
    nonNegative: true,
  },
];

const RUNS = Number(process.env['OPIE_PROPERTY_RUNS'] ?? 300);
const SEED = Number(process.env['OPIE_PROPERTY_SEED'] ?? 20151015);
const CASES_PER_BATCH = 10;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const ORACLE = fileURLToPath(new URL('./nova_oracle.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const INSTALL = 'apt-get install -y python3-nova';

type Options = Record<'DEFAULT' | 'filter_scheduler' | 'metrics', Record<string, OptionValue>>;
type OptionValue = number | string | boolean | string[];

interface Case {
  nodes: ComputeNode[];
  services: Service[];
  aggregates: Aggregate[];
  instances: Instance[];
  spec: RequestSpec;
}

interface Batch {
  options: Options;
  weighers: string[];
  cases: Case[];
}

interface OracleCase {
  filters: Record<string, boolean[]>;
  passing: number[];
  normalized: number[][];
  totals: number[];
  order: number[];
}

// ---------------------------------------------------------------- generator

type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Rand, p: number) => r() < p;
const uuid = (r: Rand) => {
  const hex = () => Math.floor(r() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
};

const MULTIPLIERS = [-2, -1, -0.5, 0, 0.5, 1, 2, 3];
const IMAGES = ['3a5f1c2e-0000-4000-a000-000000000001', '3a5f1c2e-0000-4000-a000-000000000002'];
const PROJECTS = ['p1', 'p2', 'p3'];
const FLAVORS = ['m1.small', 'm1.large', 'gpu'];

function generateOptions(r: Rand): Options {
  const fs: Record<string, OptionValue> = {
    max_io_ops_per_host: int(r, 3, 10),
    max_instances_per_host: int(r, 3, 8),
    isolated_images: chance(r, 0.3) ? [IMAGES[0] as string] : [],
    isolated_hosts: ['h0', 'h3'],
    restrict_isolated_hosts_to_isolated_images: chance(r, 0.5),
  };
  for (const w of WEIGHERS) {
    const m = pick(r, MULTIPLIERS);
    fs[w.key] = w.nonNegative === true ? Math.abs(m) : m;
  }
  fs['build_failure_weight_multiplier'] = pick(r, [0, 10, 1000000]);
  delete fs['metrics_weight_multiplier'];
  return {
    DEFAULT: { default_availability_zone: pick(r, ['nova', 'az1']) },
    filter_scheduler: fs,
    metrics: {
      weight_multiplier: pick(r, MULTIPLIERS),
      weight_setting: pick(r, [['foo=1.0'], ['foo=1.5', 'bar=-0.5'], ['bar=2']]),
      required: false,
      weight_of_unavailable: pick(r, [-10000, -5, 0]),
    },
  };
}

function generateAggregates(r: Rand, hosts: string[]): Aggregate[] {
  const out: Aggregate[] = [];
  const n = int(r, 0, 4);
  for (let a = 0; a < n; a++) {
    const metadata: Record<string, string> = {};
    if (chance(r, 0.3)) metadata['availability_zone'] = pick(r, ['az1', 'az2']);
    if (chance(r, 0.4)) metadata['ssd'] = pick(r, ['true', 'false']);
    if (chance(r, 0.1)) metadata['filter_tenant_id'] = pick(r, ['p1', 'p2', 'p1,p2']);
    if (chance(r, 0.1)) metadata['instance_type_name'] = pick(r, FLAVORS);
    if (chance(r, 0.1)) metadata['max_io_ops_per_host'] = pick(r, ['1', '3', 'x']);
    if (chance(r, 0.1)) metadata['max_instances_per_host'] = pick(r, ['2', '5', '1.5']);
    for (const w of WEIGHERS) {
      if (!chance(r, 0.25)) continue;
      const m = pick(r, [...MULTIPLIERS.map(String), ' 1e1 ', 'bad']);
      metadata[w.key] = w.nonNegative === true ? m.replace('-', '') : m;
    }
    out.push({
      id: a + 1,
      name: `agg${a + 1}`,
      hosts: hosts.filter(() => chance(r, 0.5)),
      metadata,
    });
  }
  return out;
}

function generateCase(r: Rand): Case {
  const n = int(r, 2, 12);
  const names = Array.from({ length: n }, (_, i) => `h${i}`);
  const nodes: ComputeNode[] = [];
  const services: Service[] = [];
  const instances: Instance[] = [];
  for (const host of names) {
    const memoryMb = pick(r, [4096, 8192, 16384]);
    const vcpus = pick(r, [4, 8, 16]);
    const localGb = pick(r, [40, 100, 400]);
    const usedRam = int(r, 0, 20) * 512;
    const usedDisk = int(r, 0, 12) * 10;
    const count = int(r, 0, 4);
    for (let k = 0; k < count; k++) {
      instances.push({
        uuid: uuid(r),
        host,
        node: host,
        memoryMb: 512,
        vcpus: 1,
        rootGb: 1,
        ephemeralGb: 0,
        systemMetadata: {},
        createdAt: NOW - 3_600_000,
      });
    }
    const stats: Record<string, string> = {
      num_instances: String(count),
      io_workload: String(int(r, 0, 6)),
    };
    if (chance(r, 0.4)) stats['failed_builds'] = String(int(r, 0, 5));
    const metrics = [
      ...(chance(r, 0.8) ? [{ name: 'foo', value: int(r, -50, 100) / 4 }] : []),
      ...(chance(r, 0.6) ? [{ name: 'bar', value: int(r, 0, 1000) }] : []),
    ];
    nodes.push({
      host,
      hypervisorHostname: host,
      memoryMb,
      freeRamMb: memoryMb - usedRam, // may be negative: an overcommitted host
      localGb,
      localGbUsed: usedDisk,
      freeDiskGb: localGb - usedDisk,
      vcpus,
      vcpusUsed: int(r, 0, vcpus * 2),
      stats,
      metrics,
      cpuAllocationRatio: pick(r, [1, 4, 16]),
      ramAllocationRatio: pick(r, [1, 1.5]),
      diskAllocationRatio: 1,
      updatedAt: NOW - 1000,
    });
    // The heartbeat is lastSeenUp (nova Zed reads last_seen_up, else created_at).
    services.push({
      host,
      binary: 'nova-compute',
      disabled: chance(r, 0.05),
      forcedDown: chance(r, 0.03),
      lastSeenUp: chance(r, 0.05) ? NOW - 600_000 : NOW - int(r, 0, 20) * 1000,
      createdAt: NOW - 86_400_000,
    });
  }
  const aggregates = generateAggregates(r, names);
  const uuids = instances.map((i) => i.uuid);
  const spec: RequestSpec = {
    flavor: {
      id: '7',
      flavorid: '7',
      name: pick(r, FLAVORS),
      memoryMb: pick(r, [512, 1024, 2048]),
      vcpus: int(r, 1, 4),
      rootGb: int(r, 1, 20),
      ephemeralGb: 0,
      swap: 0,
      extraSpecs: chance(r, 0.8)
        ? {}
        : pick(r, [
            { ssd: 'true' },
            { 'aggregate_instance_extra_specs:ssd': 'false' },
            { ssd: '<in> tr' },
          ]),
    },
    image: { id: pick(r, IMAGES), properties: {} },
    projectId: pick(r, PROJECTS),
    schedulerHints: {},
    numInstances: 1,
    instanceUuids: [uuid(r)],
  };
  const zone = chance(r, 0.8) ? undefined : pick(r, ['az1', 'az2', 'nova']);
  if (zone !== undefined) spec.availabilityZone = zone;
  if (chance(r, 0.2) && uuids.length > 0) {
    spec.schedulerHints['different_host'] = uuids.filter(() => chance(r, 0.15));
  }
  if (chance(r, 0.6)) {
    spec.instanceGroup = {
      policies: [chance(r, 0.1) ? 'affinity' : pick(r, ['soft-affinity', 'soft-anti-affinity'])],
      hosts: names.filter(() => chance(r, 0.5)),
      members: uuids.filter(() => chance(r, 0.5)),
    };
  }
  return { nodes, services, aggregates, instances, spec };
}

function generateBatches(seed: number, runs: number): Batch[] {
  const r = seededRandom(seed);
  const batches: Batch[] = [];
  for (let done = 0; done < runs; done += CASES_PER_BATCH) {
    const options = generateOptions(r);
    // Every weigher, in a random order (the totals add up in weigher order).
    const weighers = WEIGHERS.map((w) => w.path).sort(() => r() - 0.5);
    const cases = Array.from({ length: Math.min(CASES_PER_BATCH, runs - done) }, () =>
      generateCase(r),
    );
    batches.push({ options, weighers, cases });
  }
  return batches;
}

// ---------------------------------------------------------------- both sides

function novaConf(batch: Batch): string {
  const lines = ['[opie]', 'nova_version = zed'];
  for (const [group, values] of Object.entries(batch.options)) {
    lines.push(`[${group}]`);
    for (const [name, value] of Object.entries(values)) {
      lines.push(`${name} = ${Array.isArray(value) ? value.join(', ') : String(value)}`);
    }
    if (group === 'filter_scheduler') {
      lines.push(`enabled_filters = ${FILTERS.join(', ')}`);
      lines.push(`weight_classes = ${batch.weighers.join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** What nova's HostState gets: opie's host state, attribute by attribute. */
function hostJson(s: HostState) {
  const service = s.service;
  return {
    host: s.host,
    nodename: s.nodename,
    free_ram_mb: s.freeRamMb,
    total_usable_ram_mb: s.totalUsableRamMb,
    free_disk_mb: s.freeDiskMb,
    total_usable_disk_gb: s.totalUsableDiskGb,
    disk_mb_used: s.diskMbUsed,
    vcpus_total: s.vcpusTotal,
    vcpus_used: s.vcpusUsed,
    num_instances: s.numInstances,
    num_io_ops: s.numIoOps,
    cpu_allocation_ratio: s.cpuAllocationRatio,
    ram_allocation_ratio: s.ramAllocationRatio,
    disk_allocation_ratio: s.diskAllocationRatio,
    stats: s.stats,
    metrics: s.metrics.map((m) => ({ name: m.name, value: m.value })),
    aggregates: s.aggregates,
    service: {
      disabled: service?.disabled ?? false,
      forced_down: service?.forcedDown ?? false,
      last_seen_up: service?.lastSeenUp ?? null,
      created_at: service?.createdAt ?? NOW,
    },
    instances: [...s.instances.keys()],
  };
}

function requestJson(spec: RequestSpec) {
  const f = spec.flavor;
  const group = spec.instanceGroup;
  return {
    flavor: {
      memory_mb: f.memoryMb,
      vcpus: f.vcpus,
      root_gb: f.rootGb,
      ephemeral_gb: f.ephemeralGb,
      swap: f.swap,
      name: f.name,
      flavorid: f.flavorid ?? f.id,
      extra_specs: f.extraSpecs,
    },
    image_id: spec.image.id,
    project_id: spec.projectId,
    scheduler_hints: spec.schedulerHints,
    availability_zone: spec.availabilityZone ?? null,
    instance_group:
      group === undefined
        ? null
        : { policy: group.policies[0], members: group.members ?? [], hosts: group.hosts },
  };
}

interface OpieCase {
  states: HostState[];
  /** The host states as nova gets them, taken before planning (a plan consumes on its host). */
  hosts: ReturnType<typeof hostJson>[];
  filters: Record<string, boolean[]>;
  /** Host names of the hosts that passed, with their explained terms and totals. */
  weighed: Map<string, { normalized: number[]; weight: number }>;
  /** Totals of the passing hosts by the column kernels (no explanation). */
  kernelTotals: Map<string, number>;
  chosen: string | null;
  chosenFast: string | null;
}

async function decideWithOpie(batch: Batch, c: Case): Promise<OpieCase> {
  const build = (explain: boolean) =>
    loadScheduler({
      files: [{ path: 'nova.conf', text: novaConf(batch) }],
      runtime: createRuntime({ now: () => NOW, random: seededRandom(1) }),
      explain,
    });
  const source = () =>
    new InMemoryHostSource({
      nodes: c.nodes,
      services: c.services,
      aggregates: c.aggregates,
      instances: c.instances,
    });
  const loaded = await build(true);
  loaded.hostManager.setSource(source());
  const states = loaded.hostManager.getHostStates('free', NOW);
  const hosts = JSON.parse(JSON.stringify(states.map(hostJson))) as ReturnType<typeof hostJson>[];
  const request = makeFilterRequest(c.spec, NOW);
  const filters: Record<string, boolean[]> = {};
  for (const filter of loaded.filters) {
    filters[filter.name] = states.map((s) => filter.hostPasses(s, request));
  }
  // Weighed by the column kernels before planning (a plan consumes on its host).
  const passing = states.filter((_, i) => loaded.filters.every((f) => filters[f.name]?.[i]));
  const kernelTotals = new Map<string, number>();
  if (passing.length > 1) {
    const cols = columnsOf(passing, 'free');
    const rows = Int32Array.from(passing.map((_, i) => i));
    for (const w of weighRows(loaded.weighers, cols, rows, rows.length, request, {
      explain: false,
    })) {
      kernelTotals.set(w.host.host, w.weight);
    }
  }
  const weighed = new Map<string, { normalized: number[]; weight: number }>();
  let chosen: string | null = null;
  try {
    const plan = loaded.driver.plan(c.spec);
    const explanation = plan.result.explanation[0];
    chosen = plan.result.destinations[0]?.host ?? null;
    for (const v of explanation?.hosts ?? []) {
      if (v.filteredBy !== null) continue;
      weighed.set(v.host, {
        normalized: (v.terms ?? []).map((t) => t.normalized),
        weight: v.weight ?? 0,
      });
    }
  } catch (error) {
    if (!(error instanceof Error) || !/No valid host/i.test(error.message)) throw error;
  }
  // The hot path: the same request without explanation, weighed by the column kernels.
  const fast = await build(false);
  fast.hostManager.setSource(source());
  let chosenFast: string | null = null;
  try {
    chosenFast = fast.driver.plan(c.spec).result.destinations[0]?.host ?? null;
  } catch (error) {
    if (!(error instanceof Error) || !/No valid host/i.test(error.message)) throw error;
  }
  return { states, hosts, filters, weighed, kernelTotals, chosen, chosenFast };
}

/** Runs nova_oracle.py; `pythonFlags` lets a test hide the system packages (`-S`). */
function runOracle(
  input: unknown,
  pythonFlags: string[] = [],
): { nova_version: string; batches: OracleCase[][] } {
  const run = spawnSync(PYTHON, [...pythonFlags, ORACLE], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error !== undefined || run.status === 3) {
    throw new Error(
      `nova Zed is not available: ${PYTHON} cannot import nova (${run.error?.message ?? run.stderr.trim()}). ` +
        `Install Debian's python3-nova: ${INSTALL} (as root; \`pnpm test\` does it on a root Debian machine).`,
    );
  }
  if (run.status !== 0) throw new Error(`nova_oracle.py failed (${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as { nova_version: string; batches: OracleCase[][] };
}

/** The hosts whose total is the largest (nova breaks ties by its host order; opie by its). */
function best(totals: Map<string, number>): string[] {
  const max = Math.max(...totals.values());
  return [...totals]
    .filter(([, w]) => w === max)
    .map(([h]) => h)
    .sort();
}

describe('opie zed mode against nova Zed (python3-nova)', () => {
  it('fails, naming python3-nova and how to install it, when nova cannot be imported', () => {
    // -S: no site packages, so /usr/lib/python3/dist-packages (python3-nova) is not on the path.
    expect(() => runOracle({ batches: [] }, ['-S'])).toThrow(
      /nova Zed is not available: \/usr\/bin\/python3 cannot import nova .*Install Debian's python3-nova: apt-get install -y python3-nova/,
    );
  });

  it(`${RUNS} generated clouds (seed ${SEED}): same filter results, weights, totals and hosts`, async () => {
    const batches = generateBatches(SEED, RUNS);
    const decided: OpieCase[][] = [];
    const input = { batches: [] as unknown[] };
    for (const batch of batches) {
      const opie: OpieCase[] = [];
      for (const c of batch.cases) opie.push(await decideWithOpie(batch, c));
      decided.push(opie);
      input.batches.push({
        now: NOW,
        options: batch.options,
        filters: FILTERS,
        weighers: batch.weighers,
        cases: opie.map((o, i) => ({
          hosts: o.hosts,
          request: requestJson((batch.cases[i] as Case).spec),
        })),
      });
    }
    const nova = runOracle(input);
    expect(nova.nova_version).toMatch(/^26\./);

    let weighedCases = 0;
    let negativeRaw = 0;
    batches.forEach((batch, b) => {
      batch.cases.forEach((_, k) => {
        const where = `seed ${SEED}, batch ${b}, case ${k}`;
        const ours = decided[b]?.[k] as OpieCase;
        const theirs = nova.batches[b]?.[k] as OracleCase;
        const names = ours.states.map((s) => s.host);
        expect(ours.filters, `${where}: filter verdicts`).toEqual(theirs.filters);
        const passing = theirs.passing.map((i) => names[i] as string);
        expect([...ours.weighed.keys()].sort(), `${where}: hosts passing`).toEqual(
          [...passing].sort(),
        );
        if (passing.length === 0) {
          expect(ours.chosen, `${where}: no valid host`).toBeNull();
          expect(ours.chosenFast).toBeNull();
          return;
        }
        const totals = new Map(passing.map((h, j) => [h, theirs.totals[j] as number]));
        for (const [j, host] of passing.entries()) {
          const mine = ours.weighed.get(host);
          // nova weighs nothing for a single host: no weigher, weight 0.
          const normalized = theirs.normalized.map((ws) => ws[j] as number);
          expect(mine?.normalized, `${where}: ${host} normalised weights`).toEqual(
            passing.length < 2 ? [] : normalized,
          );
          expect(mine?.weight, `${where}: ${host} total`).toBe(totals.get(host));
          if (passing.length > 1) {
            expect(ours.kernelTotals.get(host), `${where}: ${host} kernel total`).toBe(
              totals.get(host),
            );
          }
        }
        const top = best(totals);
        expect(best(new Map([...ours.weighed].map(([h, v]) => [h, v.weight]))), where).toEqual(top);
        expect(top, `${where}: chosen host`).toContain(ours.chosen);
        expect(top, `${where}: chosen host (hot path)`).toContain(ours.chosenFast);
        if (passing.length > 1) weighedCases++;
        if (
          ours.states.some(
            (s) => s.freeRamMb < 0 || s.vcpusTotal * s.cpuAllocationRatio < s.vcpusUsed,
          )
        ) {
          negativeRaw++;
        }
      });
    });
    // The generator exercises what differs from Liberty: weighing with negative raw weights.
    expect(weighedCases).toBeGreaterThan(RUNS / 4);
    expect(negativeRaw).toBeGreaterThan(RUNS / 10);
  });
});
