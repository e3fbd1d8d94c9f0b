/**
 * `pnpm bench`: scheduling throughput and memory per host of the opie
 * scheduler, built through the loader from a nova.conf string, on a seeded
 * synthetic cloud. Prints Markdown tables on stdout, progress on stderr.
 *
 * Env: `OPIE_BENCH_SIZES=1000,10000` (default 1000,10000,100000),
 * `OPIE_BENCH_SCENARIOS=normal,zone,preempt`, `OPIE_BENCH_DECISIONS=<n>`
 * (override the per-size count).
 */
import type { ComputeNode } from '@opie/core';
import { createRuntime, seededRandom } from '@opie/core';
import type { HostManager, InMemoryHostSource } from '@opie/host-manager';
import { buildCloud } from './cloud.js';
import type { Fill } from './cloud.js';
import { benchRequest, SCENARIOS } from './requests.js';
import type { Scenario } from './requests.js';
import { loadBenchScheduler } from './scheduler.js';

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
  rereadMs: number;
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
  return {
    hosts,
    instances: stats.instances,
    recordsBytes: afterRecords - before,
    managerBytes: afterManager - afterRecords,
    refreshMs,
    rereadMs: rereadAfterOneChange(bench.hostManager, source),
  };
}

/**
 * The median time of the refresh that follows a change of one compute node
 * record: any change of a versioned source makes the host manager re-read it.
 */
function rereadAfterOneChange(hostManager: HostManager, source: InMemoryHostSource): number {
  const nodes = [...source.listComputeNodes()];
  const times: number[] = [];
  for (let r = 0; r < 21; r++) {
    const node = nodes[(r * 7919) % nodes.length] as ComputeNode;
    source.upsertNode({ ...node, updatedAt: NOW - r });
    const t0 = performance.now();
    hostManager.getHostStates('free', NOW);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[10] as number;
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

function memoryTable(results: readonly MemoryResult[]): string {
  const lines = [
    '| hosts | instances | records B/host | host manager B/host | total B/host | first refresh ms | re-read after 1 change ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const m of results) {
    lines.push(
      `| ${fmt(m.hosts)} | ${fmt(m.instances)} | ${fmt(m.recordsBytes / m.hosts)} | ` +
        `${fmt(m.managerBytes / m.hosts)} | ${fmt((m.recordsBytes + m.managerBytes) / m.hosts)} | ` +
        `${fmt(m.refreshMs, 1)} | ${fmt(m.rereadMs, 1)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sizes = listFromEnv('OPIE_BENCH_SIZES', parseSize, [1_000, 10_000, 100_000]);
  const scenarios = listFromEnv('OPIE_BENCH_SCENARIOS', parseScenario, SCENARIOS);
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    progress('run with node --expose-gc for memory figures (pnpm bench does)');
  }
  const runs: RunResult[] = [];
  const memory: MemoryResult[] = [];
  for (const hosts of sizes) {
    progress(`${hosts} hosts: memory`);
    memory.push(await measureMemory(hosts));
    for (const scenario of scenarios) runs.push(await run(hosts, scenario));
  }
  const cpus = (await import('node:os')).cpus();
  process.stdout.write(
    `\nNode ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}\n\n` +
      `${throughputTable(runs)}\n\n${memoryTable(memory)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
