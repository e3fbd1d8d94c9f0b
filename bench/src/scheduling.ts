/**
 * `pnpm bench`: decision cost of the opie scheduler, built through the loader
 * from a nova.conf string, on seeded cloud files read through `parseCloud`,
 * against a typed-array kernel doing the same checks in the same process.
 * Prints Markdown tables on stdout, progress on stderr.
 *
 * Env: `OPIE_BENCH_SIZES=1000,10000` (default 1000,10000,100000),
 * `OPIE_BENCH_SCENARIOS=normal,constrained,preempt`, `OPIE_BENCH_DECISIONS=<n>`
 * (override the per-size count), `OPIE_BENCH_UPDATES=feed,whole` (the runs
 * that write the source after every decision; `none` for none),
 * `OPIE_BENCH_CLOUD_DIR` (where cloud files are written and reused).
 */
import { readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import type { CloudSnapshot } from '@opie/cloud';
import { parseCloud } from '@opie/cloud';
import type { Claim, ComputeNode, Instance, RequestSpec } from '@opie/core';
import { createRuntime, NoValidHostError, seededRandom } from '@opie/core';
import type { HostSource } from '@opie/host-manager';
import { InMemoryHostSource } from '@opie/host-manager';
import type { Fill } from './cloud.js';
import { ensureCloudFile } from './cloud.js';
import type { AppliedDecision } from './kernel.js';
import { TypedArrayKernel } from './kernel.js';
import {
  Digest,
  listFromEnv,
  median,
  oneOfParser,
  parseSize,
  positiveIntFromEnv,
} from './options.js';
import { benchRequest, preempts, SCENARIOS } from './requests.js';
import type { Scenario } from './requests.js';
import { BENCH_SETTINGS, loadBenchScheduler } from './scheduler.js';
import type { BenchScheduler } from './scheduler.js';

/** The scheduling clock (and the cloud files' `now`): fixed, so every run is identical. */
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SEED = 20151015; // nova Liberty's release date
/** Timed batches per run; the figures are the medians over them. */
const BATCHES = 10;

type UpdateMode = 'feed' | 'whole';
const UPDATE_MODES: readonly UpdateMode[] = ['feed', 'whole'];

interface LoadedCloud {
  hosts: number;
  fill: Fill;
  path: string;
  snapshot: CloudSnapshot;
  source: InMemoryHostSource;
}

interface LoadResult {
  hosts: number;
  instances: number;
  fileMb: number;
  readMs: number;
  jsonParseMs: number;
  parseCloudMs: number;
  sourceMs: number;
  /** The first `getHostStates` of both views. */
  statesMs: number;
  recordsBytes: number;
  managerBytes: number;
  kernelBytes: number;
}

interface RunResult {
  hosts: number;
  scenario: Scenario;
  decisions: number;
  /** Median over batches of µs per decision (plan + execute). */
  decisionUs: number;
  /** Median over batches of the kernel's µs per decision. */
  kernelUs: number;
  /** Median over batches of the per-batch ratio. */
  ratio: number;
  /** The same three from the process's CPU time (user + system), less hurt by a busy machine. */
  decisionCpuUs: number;
  kernelCpuUs: number;
  cpuRatio: number;
  victims: number;
  failures: number;
  agreed: number;
  digest: string;
}

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
  process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

const parseScenario = oneOfParser(SCENARIOS, { zone: 'constrained' });
const parseUpdateMode = oneOfParser<UpdateMode | 'none'>([...UPDATE_MODES, 'none']);

/** 2,000 decisions at 1k hosts, 500 at 10k, 50 at 100k (at least 10 per batch... of 10). */
function decisionsFor(hosts: number): number {
  const override = positiveIntFromEnv(process.env, 'OPIE_BENCH_DECISIONS');
  if (override !== undefined) return Math.max(BATCHES, override);
  return Math.max(BATCHES * 5, Math.min(2000, Math.round(5_000_000 / hosts)));
}

/**
 * Reads a cloud file as users do (read, JSON.parse, parseCloud) into an
 * `InMemoryHostSource`, and the first `getHostStates` of both views through a
 * host manager, timing each step and measuring the heap the records and the
 * host manager's states hold (after dropping the file text and the parsed JSON).
 */
async function loadCloud(
  hosts: number,
  fill: Fill,
): Promise<{ loaded: LoadedCloud; result: LoadResult }> {
  const options = { hosts, seed: SEED, now: NOW, fill };
  progress(`${hosts} hosts (${fill}): cloud file`);
  const path = ensureCloudFile(options);
  const fileMb = statSync(path).size / 1e6;
  progress(`${hosts} hosts (${fill}): loading ${path} (${fileMb.toFixed(0)} MB)`);
  const base = heapUsed();
  let t = performance.now();
  let text: string | undefined = readFileSync(path, 'utf8');
  const readMs = performance.now() - t;
  t = performance.now();
  let json: unknown = JSON.parse(text);
  const jsonParseMs = performance.now() - t;
  text = undefined;
  t = performance.now();
  const snapshot = parseCloud(json, { source: `cloud file ${path}` });
  const parseCloudMs = performance.now() - t;
  json = undefined;
  t = performance.now();
  const source = new InMemoryHostSource({
    nodes: snapshot.nodes,
    services: snapshot.services,
    aggregates: snapshot.aggregates,
    instances: snapshot.instances,
  });
  const sourceMs = performance.now() - t;
  void text;
  void json;
  const afterRecords = heapUsed();
  const runtime = createRuntime({ now: () => NOW, random: seededRandom(SEED) });
  const bench = await loadBenchScheduler(runtime, fill === 'full' ? 'opie' : 'nova');
  const afterScheduler = heapUsed();
  bench.hostManager.setSource(source);
  t = performance.now();
  bench.hostManager.getHostStates('full', NOW);
  bench.hostManager.getHostStates('free', NOW);
  const statesMs = performance.now() - t;
  const afterManager = heapUsed();
  const kernel = new TypedArrayKernel(snapshot, BENCH_SETTINGS, NOW);
  if (bench.hostManager.source !== source) throw new Error('source lost');
  return {
    loaded: { hosts, fill, path, snapshot, source },
    result: {
      hosts,
      instances: snapshot.instances.length,
      fileMb,
      readMs,
      jsonParseMs,
      parseCloudMs,
      sourceMs,
      statesMs,
      recordsBytes: afterRecords - base,
      managerBytes: afterManager - afterScheduler,
      kernelBytes: kernel.columnBytes,
    },
  };
}

function cpuMicros(usage: NodeJS.CpuUsage): number {
  return usage.user + usage.system;
}

/** What one decision did, as the kernel applies it and the digest records it. */
interface Decision extends AppliedDecision {
  failed: boolean;
  claims: readonly Claim[];
}

async function decideWithScheduler(bench: BenchScheduler, spec: RequestSpec): Promise<Decision> {
  try {
    const plan = bench.scheduler.plan(spec);
    await bench.scheduler.execute(plan);
    return {
      failed: false,
      claims: plan.claims,
      hosts: plan.result.destinations.map((d) => d.host),
      victims: plan.result.preemptions.map((p) => ({ host: p.host, victim: p.victim })),
    };
  } catch (error) {
    if (error instanceof NoValidHostError)
      return { failed: true, claims: [], hosts: [], victims: [] };
    throw error;
  }
}

/**
 * One run: W warm-up decisions, then `BATCHES` timed batches. Each batch runs
 * its requests through the scheduler (plan + execute, timed), then the same
 * requests through the kernel (decide + apply the scheduler's decision, timed),
 * so the kernel's columns follow the scheduler's state request by request and
 * its choice can be compared with the scheduler's. In the `normal` and
 * `constrained` runs each batch's claims are released after it (untimed), so
 * every batch starts from the file's cloud; in `preempt` claims are kept
 * (victims are gone for good), so the cloud changes as the run goes.
 */
async function run(loaded: LoadedCloud, scenario: Scenario): Promise<RunResult> {
  const { hosts } = loaded;
  const preempt = preempts(scenario);
  const runtime = createRuntime({ now: () => NOW, random: seededRandom(SEED) });
  const bench = await loadBenchScheduler(runtime, preempt ? 'opie' : 'nova');
  bench.hostManager.setSource(loaded.source);
  bench.hostManager.getHostStates('full', NOW);
  bench.hostManager.getHostStates('free', NOW);
  const kernel = new TypedArrayKernel(loaded.snapshot, BENCH_SETTINGS, NOW);
  const decisions = decisionsFor(hosts);
  const perBatch = Math.ceil(decisions / BATCHES);
  const warmup = Math.max(5, Math.round(decisions / 10));
  const digest = new Digest();
  let victims = 0;
  let failures = 0;
  let agreed = 0;
  const schedulerUs: number[] = [];
  const kernelUs: number[] = [];
  const ratios: number[] = [];
  const schedulerCpuUs: number[] = [];
  const kernelCpuUs: number[] = [];
  const cpuRatios: number[] = [];

  const batch = async (from: number, count: number, measured: boolean): Promise<void> => {
    const specs: RequestSpec[] = [];
    const kernelSpecs: RequestSpec[] = [];
    for (let i = from; i < from + count; i++) {
      specs.push(benchRequest(scenario, i, hosts));
      kernelSpecs.push(benchRequest(scenario, i, hosts));
    }
    const done: Decision[] = [];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const spec of specs) done.push(await decideWithScheduler(bench, spec));
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const choices = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const spec = kernelSpecs[k] as RequestSpec;
      choices[k] = kernel.decide(spec, preempt);
      kernel.apply(done[k] as Decision, spec);
    }
    const t2 = performance.now();
    const c2 = process.cpuUsage();
    if (!preempt) {
      // Stationary runs: the batch's instances leave again (claims released,
      // the kernel's columns restored), so every batch starts from the cloud
      // file's state and the figures do not depend on how full the run made it.
      for (let k = count - 1; k >= 0; k--) {
        const d = done[k] as Decision;
        for (const c of d.claims) c.release();
        kernel.undo(d, kernelSpecs[k] as RequestSpec);
      }
    }
    if (!measured) return;
    const s = ((t1 - t0) * 1000) / count;
    const kk = ((t2 - t1) * 1000) / count;
    schedulerUs.push(s);
    kernelUs.push(kk);
    ratios.push(s / kk);
    const cs = (cpuMicros(c1) - cpuMicros(c0)) / count;
    const ck = (cpuMicros(c2) - cpuMicros(c1)) / count;
    schedulerCpuUs.push(cs);
    kernelCpuUs.push(ck);
    cpuRatios.push(cs / ck);
    for (let k = 0; k < count; k++) {
      const d = done[k] as Decision;
      const host = d.failed ? undefined : d.hosts[0];
      const chose = choices[k] as number;
      if (host === undefined ? chose === -1 : chose >= 0 && kernel.hostNames[chose] === host) {
        agreed += 1;
      }
      if (d.failed) failures += 1;
      for (const h of d.hosts) digest.add(h);
      for (const v of d.victims) digest.add(v.victim.uuid);
      victims += d.victims.length;
    }
  };

  progress(`${hosts} hosts, ${scenario}: ${warmup} warm-up decisions`);
  for (let i = 0; i < warmup; i += perBatch) await batch(i, Math.min(perBatch, warmup - i), false);
  progress(`${hosts} hosts, ${scenario}: ${BATCHES} x ${perBatch} measured decisions`);
  gc();
  for (let b = 0; b < BATCHES; b++) await batch(warmup + b * perBatch, perBatch, true);
  const measured = BATCHES * perBatch;
  return {
    hosts,
    scenario,
    decisions: measured,
    decisionUs: median(schedulerUs),
    kernelUs: median(kernelUs),
    ratio: median(ratios),
    decisionCpuUs: median(schedulerCpuUs),
    kernelCpuUs: median(kernelCpuUs),
    cpuRatio: median(cpuRatios),
    victims,
    failures,
    agreed,
    digest: digest.toString(),
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
      ...(spec.projectId !== undefined ? { projectId: spec.projectId } : {}),
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
 * A fresh source is built from the parsed records (the run changes it).
 */
async function runWithUpdates(
  loaded: LoadedCloud,
  scenario: Scenario,
  mode: UpdateMode,
): Promise<UpdateResult> {
  const { hosts, snapshot } = loaded;
  const runtime = createRuntime({ now: () => NOW, random: seededRandom(SEED) });
  const bench = await loadBenchScheduler(runtime, preempts(scenario) ? 'opie' : 'nova');
  const source = new InMemoryHostSource({
    nodes: snapshot.nodes,
    services: snapshot.services,
    aggregates: snapshot.aggregates,
    instances: snapshot.instances,
  });
  bench.hostManager.setSource(mode === 'feed' ? source : withoutFeed(source));
  bench.hostManager.getHostStates('free', NOW);
  const { scheduler } = bench;
  const decisions = decisionsFor(hosts);
  const warmup = Math.max(5, Math.round(decisions / 10));
  const digest = new Digest();
  let victims = 0;

  const decide = async (i: number, record: boolean): Promise<void> => {
    const spec = benchRequest(scenario, i, hosts);
    let plan;
    try {
      plan = scheduler.plan(spec);
    } catch (error) {
      if (error instanceof NoValidHostError) return;
      throw error;
    }
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

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '-';
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function throughputTable(results: readonly RunResult[]): string {
  const lines = [
    '| hosts | run | driver | decisions | µs/decision | decisions/s | kernel µs | ratio | CPU µs/decision | kernel CPU µs | CPU ratio | victims/decision | no valid host | kernel agrees | digest |',
    '| ---: | :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :--- |',
  ];
  for (const r of results) {
    lines.push(
      `| ${fmt(r.hosts)} | ${r.scenario} | ${preempts(r.scenario) ? 'opie' : 'nova'} | ${fmt(r.decisions)} | ` +
        `${fmt(r.decisionUs, 1)} | ${fmt(1e6 / r.decisionUs)} | ${fmt(r.kernelUs, 1)} | ${fmt(r.ratio, 1)}x | ` +
        `${fmt(r.decisionCpuUs, 1)} | ${fmt(r.kernelCpuUs, 1)} | ${fmt(r.cpuRatio, 1)}x | ` +
        `${fmt(r.victims / r.decisions, 2)} | ${fmt(r.failures)} | ${fmt((100 * r.agreed) / r.decisions, 1)}% | ${r.digest} |`,
    );
  }
  return lines.join('\n');
}

/** Cost growth between consecutive sizes of each run (e.g. 1k → 10k). */
function growthTable(results: readonly RunResult[]): string {
  const lines = [
    '| run | hosts | µs/decision | kernel µs | decision growth | kernel growth | CPU decision growth | CPU kernel growth | host growth |',
    '| :--- | :--- | :--- | :--- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const scenario of SCENARIOS) {
    const rows = results.filter((r) => r.scenario === scenario).sort((a, b) => a.hosts - b.hosts);
    for (let k = 1; k < rows.length; k++) {
      const a = rows[k - 1] as RunResult;
      const b = rows[k] as RunResult;
      lines.push(
        `| ${scenario} | ${fmt(a.hosts)} → ${fmt(b.hosts)} | ${fmt(a.decisionUs, 1)} → ${fmt(b.decisionUs, 1)} | ` +
          `${fmt(a.kernelUs, 1)} → ${fmt(b.kernelUs, 1)} | ${fmt(b.decisionUs / a.decisionUs, 1)}x | ` +
          `${fmt(b.kernelUs / a.kernelUs, 1)}x | ${fmt(b.decisionCpuUs / a.decisionCpuUs, 1)}x | ` +
          `${fmt(b.kernelCpuUs / a.kernelCpuUs, 1)}x | ${fmt(b.hosts / a.hosts, 1)}x |`,
      );
    }
  }
  return lines.length > 2 ? lines.join('\n') : '';
}

function loadTable(results: readonly LoadResult[]): string {
  const lines = [
    '| hosts | instances | file MB | read ms | JSON.parse ms | parseCloud ms | source ms | first getHostStates (both views) ms | load total s | records B/host | host manager B/host | records + states B/host | kernel columns B/host |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const m of results) {
    const total = m.readMs + m.jsonParseMs + m.parseCloudMs + m.sourceMs + m.statesMs;
    lines.push(
      `| ${fmt(m.hosts)} | ${fmt(m.instances)} | ${fmt(m.fileMb, 1)} | ${fmt(m.readMs)} | ${fmt(m.jsonParseMs)} | ` +
        `${fmt(m.parseCloudMs)} | ${fmt(m.sourceMs)} | ${fmt(m.statesMs)} | ${fmt(total / 1000, 1)} | ` +
        `${fmt(m.recordsBytes / m.hosts)} | ${fmt(m.managerBytes / m.hosts)} | ` +
        `${fmt((m.recordsBytes + m.managerBytes) / m.hosts)} | ${fmt(m.kernelBytes / m.hosts)} |`,
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

async function main(): Promise<void> {
  const sizes = listFromEnv(process.env, 'OPIE_BENCH_SIZES', parseSize, [1_000, 10_000, 100_000]);
  const scenarios = listFromEnv(process.env, 'OPIE_BENCH_SCENARIOS', parseScenario, SCENARIOS);
  const modes = listFromEnv(
    process.env,
    'OPIE_BENCH_UPDATES',
    parseUpdateMode,
    UPDATE_MODES,
  ).filter((m): m is UpdateMode => m !== 'none');
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    progress('run with node --expose-gc for memory figures (pnpm bench does)');
  }
  const started = new Date();
  const runs: RunResult[] = [];
  const updates: UpdateResult[] = [];
  const loads: LoadResult[] = [];
  for (const hosts of sizes) {
    for (const fill of ['normal', 'full'] as const) {
      const wanted = scenarios.filter((s) => (preempts(s) ? 'full' : 'normal') === fill);
      if (wanted.length === 0 && fill === 'full') continue;
      const { loaded, result } = await loadCloud(hosts, fill);
      if (fill === 'normal') loads.push(result);
      for (const scenario of wanted) runs.push(await run(loaded, scenario));
      for (const scenario of wanted.filter((s) => s !== 'constrained')) {
        for (const mode of modes) updates.push(await runWithUpdates(loaded, scenario, mode));
      }
    }
  }
  const cpu = cpus();
  const blocks = [
    `## opie bench, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${process.platform} ${process.arch}`,
    throughputTable(runs),
    growthTable(runs),
    updates.length > 0 ? updatesTable(updates) : '',
    loadTable(loads),
  ].filter((b) => b !== '');
  process.stdout.write(`\n${blocks.join('\n\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
