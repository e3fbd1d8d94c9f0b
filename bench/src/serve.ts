/**
 * `pnpm bench` (serve part): server creates per second and latency of the
 * compute API (`@opie/server`) over loopback, with a bounded number of
 * requests in flight and a bounded count, on a synthetic cloud and the
 * embedded store (PGlite in a temporary directory) unless told otherwise.
 * The service runs in a child process, the client (bounded requests in
 * flight, keep-alive HTTP over 127.0.0.1) in this one. Prints a Markdown table on
 * stdout, progress on stderr.
 *
 * Env: `OPIE_BENCH_SERVE_CREATES` (default 2000), `OPIE_BENCH_SERVE_CONCURRENCY`
 * (default 1,16,64), `OPIE_BENCH_SERVE_HOSTS` (default 100),
 * `OPIE_BENCH_SERVE_DB` (`memory`, a directory, or a postgres:// URL on which
 * each run creates and drops its own database; default: a fresh temporary
 * directory per run), `OPIE_BENCH_SERVE_SECONDS` (a
 * deadline per run, default 120).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCloud } from '@opie/cloud';
import { isPostgresUrl, openStore, startComputeApi } from '@opie/server';

const NOVA_CONF = `
[DEFAULT]
ram_allocation_ratio = 1.0
cpu_allocation_ratio = 4.0
preemptible_count_weight_multiplier = 1000.0
preemptible_duration_weight_multiplier = 1000.0

[scheduler]
driver = opie.scheduler.filter_scheduler.FilterScheduler
host_manager = opie.scheduler.host_manager.HostManager

[filter_scheduler]
enabled_filters = RetryFilter, AvailabilityZoneFilter, RamFilter, CoreFilter, DiskFilter,
    ComputeFilter, ComputeCapabilitiesFilter, ImagePropertiesFilter
weight_classes = nova.scheduler.weights.all_weighers,
    opie.scheduler.weights.preemptible.PreemptibleDurationWeigher,
    opie.scheduler.weights.preemptible.PreemptibleCountWeigher
`;

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a positive integer`);
  return n;
}

function listFromEnv(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: bad value ${s}`);
    return n;
  });
}

function progress(message: string): void {
  process.stderr.write(`[bench:serve] ${message}\n`);
}

/** N hosts of 64 GiB / 32 vCPUs / 1 TB in two zones; m1 flavors; one image. */
function cloudDocument(hosts: number): unknown {
  return {
    defaults: { reserved_host_memory_mb: 512 },
    flavors: [
      { id: '2', name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20 },
      { id: '3', name: 'm1.medium', memory_mb: 4096, vcpus: 2, root_gb: 40 },
      { id: '4', name: 'm1.large', memory_mb: 8192, vcpus: 4, root_gb: 80 },
    ],
    images: [{ id: 'cirros', name: 'cirros', properties: { architecture: 'x86_64' } }],
    nodes: Array.from({ length: hosts }, (_, i) => ({
      host: `compute${i + 1}`,
      memory_mb: 65536,
      local_gb: 1024,
      vcpus: 32,
      hypervisor_type: 'QEMU',
      supported_instances: [['x86_64', 'kvm', 'hvm']],
    })),
    aggregates: [
      {
        id: 1,
        name: 'even',
        availability_zone: 'az1',
        hosts: Array.from({ length: hosts }, (_, i) => `compute${i + 1}`).filter(
          (_, i) => i % 2 === 0,
        ),
      },
      {
        id: 2,
        name: 'odd',
        availability_zone: 'az2',
        hosts: Array.from({ length: hosts }, (_, i) => `compute${i + 1}`).filter(
          (_, i) => i % 2 === 1,
        ),
      },
    ],
  };
}

/** The i-th request: small/medium/large, 30% preemptible (deterministic). */
function body(i: number): string {
  const flavor = ['2', '3', '4'][i % 3] as string;
  const server: Record<string, unknown> = {
    name: `bench-${i}`,
    flavorRef: flavor,
    imageRef: 'cirros',
  };
  if (i % 10 < 3) server['preemptible'] = true;
  return JSON.stringify({ server });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at] as number;
}

interface RunResult {
  concurrency: number;
  creates: number;
  seconds: number;
  p50: number;
  p99: number;
  placed: number;
  errors: number;
  preempted: number;
  conflicts: number;
}

interface ServiceFigures {
  placed: number;
  errors: number;
  preempted: number;
  conflicts: number;
}

type ChildMessage = { kind: 'listening'; url: string } | ({ kind: 'figures' } & ServiceFigures);

/** The service side, in a child process (its own event loop and core). */
async function serveChild(hosts: number): Promise<void> {
  const configured = process.env['OPIE_BENCH_SERVE_DB'];
  // A fresh store per run: a temporary directory, or a new database on the PostgreSQL server.
  const dir =
    configured === undefined ? await mkdtemp(join(tmpdir(), 'opie-bench-serve-')) : undefined;
  let db = configured ?? join(dir as string, 'data');
  let dropDatabase: (() => Promise<void>) | undefined;
  if (configured !== undefined && isPostgresUrl(configured)) {
    const name = `opie_bench_${process.pid}`;
    const admin = await openStore(configured);
    await admin.sql.query(`CREATE DATABASE ${name}`);
    const url = new URL(configured);
    url.pathname = `/${name}`;
    db = url.toString();
    dropDatabase = async () => {
      await admin.sql.query(`DROP DATABASE ${name}`);
      await admin.close();
    };
  }
  const api = await startComputeApi({
    configFiles: [{ path: 'bench-nova.conf', text: NOVA_CONF }],
    cloud: parseCloud(cloudDocument(hosts)),
    db,
    port: 0,
  });
  const send = (message: ChildMessage): void => {
    process.send?.(message);
  };
  process.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    void (async () => {
      // Creates answer 202 in BUILD: the decisions may still be running.
      await api.service.settled();
      const servers = await api.service.listServers({});
      send({
        kind: 'figures',
        placed: servers.filter((s) => s.vmState === 'active').length,
        errors: servers.filter((s) => s.fault?.code === 500).length,
        preempted: servers.filter((s) => s.fault?.code === 409).length,
        conflicts: api.service.counters.conflicts,
      });
      await api.close();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      await dropDatabase?.();
      process.disconnect?.();
    })();
  });
  send({ kind: 'listening', url: api.url });
}

/** One POST on a keep-alive connection of `agent`; resolves with the status once the body is read. */
function post(agent: Agent, url: string, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          // noauth2: USER:PROJECT (quotas are unlimited unless nova.conf sets them).
          'x-auth-token': 'bench:bench',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function nextMessage<K extends ChildMessage['kind']>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<ChildMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<ChildMessage, { kind: K }>);
    };
    const onExit = (code: number | null): void => reject(new Error(`the service exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function run(
  hosts: number,
  creates: number,
  concurrency: number,
  deadlineS: number,
): Promise<RunResult> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve-child', String(hosts)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const latencies: number[] = [];
  try {
    const { url } = await nextMessage(child, 'listening');
    let next = 0;
    const deadline = performance.now() + deadlineS * 1000;
    const started = performance.now();
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const worker = async (): Promise<void> => {
      while (next < creates && performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        const status = await post(agent, `${url}/v2.1/servers`, body(i));
        if (status !== 202) throw new Error(`create ${i}: HTTP ${status}`);
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    agent.destroy();
    const figures = nextMessage(child, 'figures');
    child.send('stop');
    const { placed, errors, preempted, conflicts } = await figures;
    // Until every create is decided (the child settles before it answers), not only answered.
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      concurrency,
      creates: latencies.length,
      seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      placed,
      errors,
      preempted,
      conflicts,
    };
  } finally {
    if (child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill(), 30_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

function table(hosts: number, db: string, results: readonly RunResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.concurrency} | ${r.creates} | ${(r.creates / r.seconds).toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.placed} | ${r.preempted} | ${r.errors} | ${r.conflicts} |`,
  );
  return [
    `Compute API creates over loopback: ${hosts} hosts, store ${db}`,
    '',
    '| in flight | creates | creates/s | p50 ms | p99 ms | placed | preempted | no host | lost races |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const creates = numberFromEnv('OPIE_BENCH_SERVE_CREATES', 2000);
  const hosts = numberFromEnv('OPIE_BENCH_SERVE_HOSTS', 100);
  const deadline = numberFromEnv('OPIE_BENCH_SERVE_SECONDS', 120);
  const levels = listFromEnv('OPIE_BENCH_SERVE_CONCURRENCY', [1, 16, 64]);
  const db = process.env['OPIE_BENCH_SERVE_DB'] ?? 'embedded (PGlite, temporary directory)';
  const results: RunResult[] = [];
  for (const concurrency of levels) {
    progress(`${creates} creates, ${concurrency} in flight, ${hosts} hosts`);
    results.push(await run(hosts, creates, concurrency, deadline));
  }
  const cpu = cpus();
  process.stdout.write(
    `\nNode ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}\n\n${table(hosts, db, results)}\n`,
  );
}

const child = process.argv.indexOf('--serve-child');
(child >= 0 ? serveChild(Number(process.argv[child + 1])) : main()).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
