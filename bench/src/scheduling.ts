/**
 * `pnpm bench`: scheduling throughput and memory per host of the opie
 * scheduler, built through the loader from a nova.conf string, on a seeded
 * synthetic cloud. Prints Markdown tables on stdout, progress on stderr.
 *
 * Env: `OPIE_BENCH_SIZES=1000,10000` (default 1000,10000,100000),
 * `OPIE_BENCH_SCENARIOS=normal,zone,preempt`, `OPIE_BENCH_DECISIONS=<n>`
 * (override the per-size count), `OPIE_BENCH_UPDATES=feed,whole` (the runs
 * that write the source after every decision; `none` for none).
 */
import type { ComputeNode, Instance, RequestSpec } from '@opie/core';
import { createRuntime, seededRandom } from '@opie/core';
import type { HostManager, HostSource, InMemoryHostSource } from '@opie/host-manager';
import { buildCloud } from './cloud.js';
import type { Fill } from './cloud.js';
import { benchRequest, SCENARIOS } from './requests.js';
import type { Scenario } from './requests.js';
import { loadBenchScheduler } from './scheduler.js';
import type { BenchScheduler } from './scheduler.js';

/** The scheduling clock: fixed, so every run is identical. */
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SEED = 20151015; // nova Liberty's release date

interface RunResult {
  hosts: number;
  scenario: Scenario;
  instances: number;
  decisions: number;
  totalMs: number;
  victims: number;
  digest: string;
}

interface MemoryResult {
  hosts: number;
  instances: number;
  recordsBytes: number;
  managerBytes: number;
  refreshMs: number;
  /** Median refresh after one node record changed, through the change feed. */
  rereadMs: number;
  /** The same without the change feed: the source is re-read whole. */
  wholeRereadMs: number;
}

/**
 * How the source is read in a run that writes it after every decision:
 * `feed` through its change feed (only changed nodes re-read), `whole`
 * through a view of it without the feed (re-read whole on every change).
 */
type UpdateMode = 'feed' | 'whole';
const UPDATE_MODES: readonly UpdateMode[] = ['feed', 'whole'];

interface UpdateResult {
  hosts: number;
  scenario: Scenario;
  mode: UpdateMode;
  decisions: number;
  totalMs: number;
  victims: number;
  digest: string;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) return;
  collect();
  collect();
}

function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function listFromEnv<T extends string | number>(
  name: string,
  parse: (s: string) => T,
  fallback: readonly T[],
): readonly T[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parse);
}

function parseUpdateMode(s: string): UpdateMode | 'none' {
  if (s === 'none') return s;
  const found = UPDATE_MODES.find((x) => x === s);
  if (found === undefined) {
    throw new Error(`OPIE_BENCH_UPDATES: unknown ${s} (known: ${UPDATE_MODES.join(', ')}, none)`);
  }
  return found;
}

function parseSize(s: string): number {
  const n = Number(s.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 2) throw new Error(`OPIE_BENCH_SIZES: bad size ${s}`);
  return n;
}

function parseScenario(s: string): Scenario {
  const found = SCENARIOS.find((x) => x === s);
  if (found === undefined) {
    throw new Error(`OPIE_BENCH_SCENARIOS: unknown ${s} (known: ${SCENARIOS.join(', ')})`);
  }
  return found;
}

/** 2,000 decisions at 1k hosts, 500 at 10k, 50 at 100k. */
function decisionsFor(hosts: number): number {
  const override = Number(process.env['OPIE_BENCH_DECISIONS'] ?? '');
  if (Number.isInteger(override) && override > 0) return override;
  return Math.max(10, Math.min(2000, Math.round(5_000_000 / hosts)));
}

/** FNV-1a over the chosen hosts and victims: equal digests mean equal decisions. */
class Digest {
  private h = 0x811c9dc5;
  add(text: string): void {
    for (let i = 0; i < text.length; i++) {
      this.h ^= text.charCodeAt(i);
      this.h = Math.imul(this.h, 0x01000193) >>> 0;
    }
    this.h ^= 0x2c;
    this.h = Math.imul(this.h, 0x01000193) >>> 0;
  }
  toString(): string {
    return this.h.toString(16).padStart(8, '0');
  }
}

async function measureMemory(hosts: number): Promise<MemoryResult> {
  const runtime = createRuntime({ now: () => NOW, random: seededRandom(SEED) });
  const bench = await loadBenchScheduler(runtime);
  const before = heapUsed();
  const { source, stats } = buildCloud({ hosts, seed: SEED, now: NOW, fill: 'normal' });
  const afterRecords = heapUsed();
  bench.hostManager.setSource(source);
  const t0 = performance.now();
  bench.hostManager.getHostStates('full', NOW);
  bench.hostManager.getHostStates('free', NOW);
  const refreshMs = performance.now() - t0;
  const afterManager = heapUsed();
  // Keep both alive until measured.
  if (bench.hostManager.source !== source) throw new Error('source lost');
  const rereadMs = rereadAfterOneChange(bench.hostManager, source, 0);
  bench.hostManager.setSource(withoutFeed(source));
  bench.hostManager.getHostStates('free', NOW);
  const wholeRereadMs = rereadAfterOneChange(bench.hostManager, source, 100);
  return {
    hosts,
    instances: stats.instances,
    recordsBytes: afterRecords - before,
    managerBytes: afterManager - afterRecords,
    refreshMs,
    rereadMs,
    wholeRereadMs,
  };
}

/** The source without its change feed: a change makes the host manager re-read it whole. */
function withoutFeed(source: InMemoryHostSource): HostSource {
  return {
    get version() {
      return source.version;
    },
    listComputeNodes: () => source.listComputeNodes(),
    listServices: () => source.listServices(),
    listAggregates: () => source.listAggregates(),
    listInstances: (host, nodename) => source.listInstances(host, nodename),
  };
}

/**
 * The median time of the refresh that follows a change of one compute node
 * record (the host manager reads the source it was given: with or without
 * its change feed).
 */
function rereadAfterOneChange(
  hostManager: HostManager,
  source: InMemoryHostSource,
  salt: number,
): number {
  const nodes = [...source.listComputeNodes()];
  const times: number[] = [];
  for (let r = 0; r < 21; r++) {
    const node = nodes[(r * 7919 + salt) % nodes.length] as ComputeNode;
    source.upsertNode({ ...node, updatedAt: NOW - r });
    const t0 = performance.now();
    hostManager.getHostStates('free', NOW);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[10] as number;
}

/** A node's record after an instance of `usage` came (`sign` 1) or left (-1), written `at`. */
function recordWith(
  record: ComputeNode,
  usage: Pick<Instance, 'memoryMb' | 'vcpus' | 'rootGb' | 'ephemeralGb'>,
  sign: 1 | -1,
  at: number,
): ComputeNode {
  const diskGb = usage.rootGb + usage.ephemeralGb;
  const count = Number(record.stats?.['num_instances'] ?? '0') + sign;
  return {
    ...record,
    freeRamMb: record.freeRamMb - sign * usage.memoryMb,
    vcpusUsed: record.vcpusUsed + sign * usage.vcpus,
    localGbUsed: record.localGbUsed + sign * diskGb,
    freeDiskGb: record.freeDiskGb - sign * diskGb,
    diskAvailableLeast: (record.diskAvailableLeast ?? record.freeDiskGb) - sign * diskGb,
    stats: { ...record.stats, num_instances: String(count) },
    updatedAt: at,
  };
}

/**
 * What a compute (or the simulator) reports after a decision, at `at` (later
 * than the claims, so the new records replace them): each victim leaves its
 * node, each placed instance joins the chosen node, and each node touched
 * gets a new record.
 */
function writeBack(
  source: InMemoryHostSource,
  spec: RequestSpec,
  result: Awaited<ReturnType<BenchScheduler['scheduler']['selectDestinations']>>,
  at: number,
): void {
  for (const p of result.preemptions) {
    source.removeInstance(p.victim.uuid);
    const record = source.getComputeNode(p.host, p.nodename);
    if (record !== undefined) source.upsertNode(recordWith(record, p.victim, -1, at));
  }
  result.destinations.forEach((d, k) => {
    const instance: Instance = {
      uuid: spec.instanceUuids?.[k] ?? `${spec.requestId ?? 'req'}-${k}`,
      host: d.host,
      node: d.nodename,
      projectId: spec.projectId,
      memoryMb: spec.flavor.memoryMb,
      vcpus: spec.flavor.vcpus,
      rootGb: spec.flavor.rootGb,
      ephemeralGb: spec.flavor.ephemeralGb,
      swap: spec.flavor.swap,
      instanceTypeId: spec.flavor.id,
      systemMetadata: {},
      createdAt: NOW,
      vmState: 'active',
      taskState: null,
    };
    source.addInstance(instance);
    const record = source.getComputeNode(d.host, d.nodename);
    if (record !== undefined) source.upsertNode(recordWith(record, instance, 1, at));
  });
}

/**
 * Decisions interleaved with source changes, as the simulator and the API
 * server make them: after each decision the chosen node's record is written
 * and the instance added (victims removed and their nodes written too), so
 * every decision starts with a refresh. The time is per decision + update.
 */
async function runWithUpdates(
  hosts: number,
  scenario: Scenario,
  mode: UpdateMode,
): Promise<UpdateResult> {
  const fill: Fill = scenario === 'preempt' ? 'full' : 'normal';
  const runtime = createRuntime({ now: () => NOW, random: seededRandom(SEED) });
  const bench = await loadBenchScheduler(runtime);
  const { source } = buildCloud({ hosts, seed: SEED, now: NOW, fill });
  bench.hostManager.setSource(mode === 'feed' ? source : withoutFeed(source));
  bench.hostManager.getHostStates('free', NOW);
  const { scheduler } = bench;
  const decisions = decisionsFor(hosts);
  const warmup = Math.max(5, Math.round(decisions / 10));
  const digest = new Digest();
  let victims = 0;

  const decide = async (i: number, record: boolean): Promise<void> => {
    const spec = benchRequest(scenario, i);
    const plan = scheduler.plan(spec);
    await scheduler.execute(plan);
    writeBack(source, spec, plan.result, NOW + 1 + i);
    if (!record) return;
    for (const d of plan.result.destinations) digest.add(d.host);
    for (const p of plan.result.preemptions) digest.add(p.victim.uuid);
    victims += plan.result.preemptions.length;
  };

  const label = `${hosts} hosts, ${scenario} + updates (${mode})`;
  progress(`${label}: ${warmup} warm-up decisions`);
  for (let i = 0; i < warmup; i++) await decide(i, false);
  progress(`${label}: ${decisions} measured decisions`);
  gc();
  const t0 = performance.now();
  for (let i = warmup; i < warmup + decisions; i++) await decide(i, true);
  const totalMs = performance.now() - t0;
  return { hosts, scenario, mode, decisions, totalMs, victims, digest: digest.toString() };
}

async function run(hosts: number, scenario: Scenario): Promise<RunResult> {
  const fill: Fill = scenario === 'preempt' ? 'full' : 'normal';
  const runtime = createRuntime({ now: () => NOW, random: seededRandom(SEED) });
  const bench = await loadBenchScheduler(runtime);
  const { source, stats } = buildCloud({ hosts, seed: SEED, now: NOW, fill });
  bench.hostManager.setSource(source);
  bench.hostManager.getHostStates('free', NOW);
  const { scheduler } = bench;
  const decisions = decisionsFor(hosts);
  const warmup = Math.max(5, Math.round(decisions / 10));
  const digest = new Digest();
  let victims = 0;

  const decide = async (i: number, record: boolean): Promise<void> => {
    const plan = scheduler.plan(benchRequest(scenario, i));
    await scheduler.execute(plan);
    if (!record) return;
    for (const d of plan.result.destinations) digest.add(d.host);
    for (const p of plan.result.preemptions) digest.add(p.victim.uuid);
    victims += plan.result.preemptions.length;
  };

  progress(`${hosts} hosts, ${scenario}: ${warmup} warm-up decisions`);
  for (let i = 0; i < warmup; i++) await decide(i, false);
  progress(`${hosts} hosts, ${scenario}: ${decisions} measured decisions`);
  gc();
  const t0 = performance.now();
  for (let i = warmup; i < warmup + decisions; i++) await decide(i, true);
  const totalMs = performance.now() - t0;
  return {
    hosts,
    scenario,
    instances: stats.instances,
    decisions,
    totalMs,
    victims,
    digest: digest.toString(),
  };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function throughputTable(results: readonly RunResult[]): string {
  const lines = [
    '| hosts | run | decisions | decisions/s | µs/decision | ns/host/decision | victims/decision | digest |',
    '| ---: | :--- | ---: | ---: | ---: | ---: | ---: | :--- |',
  ];
  for (const r of results) {
    const us = (r.totalMs * 1000) / r.decisions;
    lines.push(
      `| ${fmt(r.hosts)} | ${r.scenario} | ${fmt(r.decisions)} | ${fmt((r.decisions * 1000) / r.totalMs)} | ` +
        `${fmt(us, 1)} | ${fmt((us * 1000) / r.hosts, 1)} | ${fmt(r.victims / r.decisions, 2)} | ${r.digest} |`,
    );
  }
  return lines.join('\n');
}

function updatesTable(results: readonly UpdateResult[]): string {
  const lines = [
    '| hosts | run | source read | decisions | µs/(decision + update) | victims/decision | digest |',
    '| ---: | :--- | :--- | ---: | ---: | ---: | :--- |',
  ];
  for (const r of results) {
    lines.push(
      `| ${fmt(r.hosts)} | ${r.scenario} + updates | ${r.mode === 'feed' ? 'change feed' : 'whole'} | ` +
        `${fmt(r.decisions)} | ${fmt((r.totalMs * 1000) / r.decisions, 1)} | ` +
        `${fmt(r.victims / r.decisions, 2)} | ${r.digest} |`,
    );
  }
  return lines.join('\n');
}

function memoryTable(results: readonly MemoryResult[]): string {
  const lines = [
    '| hosts | instances | records B/host | host manager B/host | total B/host | first refresh ms | re-read after 1 change ms | whole re-read ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const m of results) {
    lines.push(
      `| ${fmt(m.hosts)} | ${fmt(m.instances)} | ${fmt(m.recordsBytes / m.hosts)} | ` +
        `${fmt(m.managerBytes / m.hosts)} | ${fmt((m.recordsBytes + m.managerBytes) / m.hosts)} | ` +
        `${fmt(m.refreshMs, 1)} | ${fmt(m.rereadMs, 3)} | ${fmt(m.wholeRereadMs, 1)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sizes = listFromEnv('OPIE_BENCH_SIZES', parseSize, [1_000, 10_000, 100_000]);
  const scenarios = listFromEnv('OPIE_BENCH_SCENARIOS', parseScenario, SCENARIOS);
  const modes = listFromEnv('OPIE_BENCH_UPDATES', parseUpdateMode, UPDATE_MODES).filter(
    (m): m is UpdateMode => m !== 'none',
  );
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    progress('run with node --expose-gc for memory figures (pnpm bench does)');
  }
  const runs: RunResult[] = [];
  const updates: UpdateResult[] = [];
  const memory: MemoryResult[] = [];
  for (const hosts of sizes) {
    progress(`${hosts} hosts: memory`);
    memory.push(await measureMemory(hosts));
    for (const scenario of scenarios) runs.push(await run(hosts, scenario));
    for (const scenario of scenarios.filter((s) => s !== 'zone')) {
      for (const mode of modes) updates.push(await runWithUpdates(hosts, scenario, mode));
    }
  }
  const cpus = (await import('node:os')).cpus();
  process.stdout.write(
    `\nNode ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}\n\n` +
      `${throughputTable(runs)}\n\n${updatesTable(updates)}\n\n${memoryTable(memory)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
