/**
 * `pnpm bench`, victim planning: 10,000 hosts carrying 50 preemptible
 * instances each and no free room, and normal requests that can only be
 * placed by preemption. Each decision is `plan()` + `execute()` through a
 * scheduler loaded from a nova.conf string, per victim policy and host
 * selection mode. Host weighers: RAM and PreemptibleCount (PreemptibleDuration,
 * which visits every preemptible instance of every host, would dominate with
 * 500,000 of them). Prints a Markdown table on stdout, progress on stderr.
 *
 * Env: `OPIE_BENCH_VICTIM_HOSTS` (default 10000), `OPIE_BENCH_VICTIM_DECISIONS`
 * (default 200), `OPIE_BENCH_VICTIM_MODES` (comma list of the modes below).
 */
import type { ComputeNode, Flavor, Instance, RequestSpec, Service } from '@opie/core';
import { createRuntime, seededRandom } from '@opie/core';
import { FilterScheduler } from '@opie/filter-scheduler';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import { loadScheduler } from '@opie/loader';
import { CountingComputePort, nullNotifier } from './scheduler.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SEED = 20151015;
const PREEMPTIBLES_PER_HOST = 50;
/** Per host: 50 preemptibles of 512, 1024 or 2048 MB and 1 vCPU, plus 8 GB of normal instances. */
const NORMAL_MB = 8192;
const NORMAL_VCPUS = 4;

const MODES = {
  'cost, prefer-no-preemption': { policy: 'cost', selection: 'prefer-no-preemption' },
  'cost, weighted': { policy: 'cost', selection: 'weighted' },
  'cost, weight-only': { policy: 'cost', selection: 'weight-only' },
  'opie (one last-listed victim per attempt)': { policy: 'opie', selection: 'weight-only' },
} as const;
type Mode = keyof typeof MODES;

const FLAVOR: Flavor = {
  id: '3',
  name: 'm1.medium',
  memoryMb: 4096,
  vcpus: 2,
  rootGb: 40,
  ephemeralGb: 0,
  swap: 0,
  extraSpecs: {},
};

function conf(mode: Mode): string {
  const { policy, selection } = MODES[mode];
  return `
[DEFAULT]
ram_allocation_ratio = 1.0
cpu_allocation_ratio = 1.0
disk_allocation_ratio = 1.0

[scheduler]
driver = opie.scheduler.filter_scheduler.FilterScheduler
host_manager = opie.scheduler.host_manager.HostManager
max_attempts = 3

[filter_scheduler]
enabled_filters = RetryFilter, RamFilter, CoreFilter, DiskFilter, ComputeFilter
weight_classes = nova.scheduler.weights.ram.RAMWeigher,
    opie.scheduler.weights.preemptible.PreemptibleCountWeigher

[preemptible_instances_scheduler]
victim_policy = ${policy}
host_selection = ${selection}
`;
}

/** Full hosts: every byte of RAM and every vCPU is used, 50 preemptibles each. */
function buildSource(hosts: number): InMemoryHostSource {
  const random = seededRandom(SEED);
  const nodes: ComputeNode[] = [];
  const services: Service[] = [];
  const instances: Instance[] = [];
  for (let i = 0; i < hosts; i++) {
    const host = `compute-${String(i).padStart(6, '0')}`;
    let ram = NORMAL_MB;
    let disk = 80;
    instances.push({
      uuid: `${host}-normal`,
      host,
      node: host,
      memoryMb: NORMAL_MB,
      vcpus: NORMAL_VCPUS,
      rootGb: 80,
      ephemeralGb: 0,
      systemMetadata: {},
      createdAt: NOW - 86_400_000,
    });
    for (let k = 0; k < PREEMPTIBLES_PER_HOST; k++) {
      const memoryMb = [512, 1024, 2048][Math.floor(random() * 3)] as number;
      ram += memoryMb;
      disk += 10;
      instances.push({
        uuid: `${host}-p${k}`,
        host,
        node: host,
        memoryMb,
        vcpus: 1,
        rootGb: 10,
        ephemeralGb: 0,
        systemMetadata: { preemptible: 'True' },
        createdAt: NOW - Math.floor(random() * 6 * 3_600_000),
        ...(random() < 0.2 ? { priority: 1 } : {}),
      });
    }
    const vcpus = NORMAL_VCPUS + PREEMPTIBLES_PER_HOST;
    nodes.push({
      host,
      hypervisorHostname: host,
      memoryMb: ram,
      freeRamMb: 0,
      localGb: 1024,
      localGbUsed: disk,
      freeDiskGb: 1024 - disk,
      vcpus,
      vcpusUsed: vcpus,
      stats: { num_instances: String(PREEMPTIBLES_PER_HOST + 1), io_workload: '0' },
      updatedAt: NOW - 10_000,
    });
    services.push({ host, binary: 'nova-compute', disabled: false, updatedAt: NOW - 5_000 });
  }
  return new InMemoryHostSource({ nodes, services, aggregates: [], instances });
}

function spec(i: number): RequestSpec {
  return {
    requestId: `req-victims-${i}`,
    instanceUuids: [`victims-${i}`],
    flavor: FLAVOR,
    image: { properties: {} },
    schedulerHints: {},
    numInstances: 1,
  };
}

interface Row {
  mode: Mode;
  decisions: number;
  failed: number;
  totalMs: number;
  victims: number;
  wasted: number;
}

async function run(mode: Mode, hosts: number, decisions: number): Promise<Row> {
  const compute = new CountingComputePort();
  const loaded = await loadScheduler({
    files: [{ path: 'victims.conf', text: conf(mode) }],
    runtime: createRuntime({ now: () => NOW, random: seededRandom(SEED) }),
    compute,
    notifier: nullNotifier,
  });
  const { driver, hostManager } = loaded;
  if (!(driver instanceof FilterScheduler)) throw new Error('expected a FilterScheduler');
  if (!(hostManager instanceof HostManager)) throw new Error('expected a HostManager');
  hostManager.setSource(buildSource(hosts));
  hostManager.getHostStates('free', NOW);

  const row: Row = { mode, decisions, failed: 0, totalMs: 0, victims: 0, wasted: 0 };
  const warmUp = Math.max(1, Math.floor(decisions / 10));
  for (let i = 0; i < warmUp + decisions; i++) {
    const t0 = performance.now();
    let victims = 0;
    let wasted = 0;
    try {
      const plan = driver.plan(spec(i));
      await driver.execute(plan);
      victims = plan.result.preemptions.length;
      wasted = plan.result.preemptions.filter((p) => p.wasted === true).length;
    } catch (error) {
      // opie-compat: victims opie had already deleted are lost with the request.
      const lost = (error as { wasted?: unknown[] }).wasted ?? [];
      victims = lost.length;
      wasted = lost.length;
      if (i >= warmUp) row.failed += 1;
    }
    if (i < warmUp) continue;
    row.totalMs += performance.now() - t0;
    row.victims += victims;
    row.wasted += wasted;
  }
  return row;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: bad value ${raw}`);
  return n;
}

const fmt = (n: number, digits = 1): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  const hosts = intFromEnv('OPIE_BENCH_VICTIM_HOSTS', 10_000);
  const decisions = intFromEnv('OPIE_BENCH_VICTIM_DECISIONS', 200);
  const wanted = process.env['OPIE_BENCH_VICTIM_MODES'];
  const modes = (Object.keys(MODES) as Mode[]).filter(
    (m) => wanted === undefined || wanted.split(',').some((w) => m.startsWith(w.trim())),
  );
  const rows: Row[] = [];
  for (const mode of modes) {
    process.stderr.write(`[bench] victims: ${hosts} hosts, ${mode}\n`);
    rows.push(await run(mode, hosts, decisions));
  }
  const lines = [
    `Victim planning: ${fmt(hosts, 0)} hosts x ${PREEMPTIBLES_PER_HOST} preemptible instances, no free room; one normal m1.medium per decision (plan + execute).`,
    '',
    '| policy, host selection | decisions | decisions/s | µs/decision | victims/decision | wasted/decision | failed |',
    '| :--------------------- | --------: | ----------: | ----------: | ---------------: | --------------: | -----: |',
  ];
  for (const r of rows) {
    const placed = r.decisions; // decisions made (placed or failed)
    lines.push(
      `| ${r.mode} | ${fmt(placed, 0)} | ${fmt((placed * 1000) / r.totalMs)} | ${fmt((r.totalMs * 1000) / placed)} | ${fmt(r.victims / placed, 2)} | ${fmt(r.wasted / placed, 2)} | ${r.failed} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
