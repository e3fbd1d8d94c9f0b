/**
 * `pnpm bench`, simulator part: `opie simulate`'s replay engine on a seeded
 * synthetic trace of 1,000,000 events (500,000 VMs, each an arrival and a
 * departure), generated on the fly and streamed (never written to disk),
 * on a cloud of 1,000 hosts, with the cost-aware example policy. Reports
 * wall time, events/s, and RSS and heapUsed at 25/50/75/100 % of the events:
 * memory must stay flat in trace length (only live instances are held).
 * Markdown on stdout, progress on stderr.
 *
 * Env: `OPIE_BENCH_SIM_EVENTS` (default 1000000), `OPIE_BENCH_SIM_HOSTS`
 * (default 1000).
 */
import { readFile } from 'node:fs/promises';
import type { ComputeNode, Service } from '@opie/core';
import { loadPolicy, simulate, syntheticTrace } from '@opie/simulator';
import type { SimulationProgress } from '@opie/simulator';

const START = Date.UTC(2025, 0, 15, 12, 0, 0);
const SEED = 20151015;
const MIB = 1024 * 1024;
const HOST_RAM_MB = 65536;
/** Mean RAM of the synthetic flavors (DEFAULT_SYNTHETIC_FLAVORS, by weight), MB. */
const MEAN_VM_RAM_MB = 4522;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name}: expected a positive integer`);
  return value;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
}

/** Hosts of 64 GiB (512 MB reserved), 32 vCPUs and 2 TB disk, services up, one node each. */
function cloudOf(hosts: number) {
  const nodes: ComputeNode[] = [];
  const services: Service[] = [];
  for (let i = 0; i < hosts; i++) {
    const host = `compute-${String(i).padStart(5, '0')}`;
    nodes.push({
      host,
      hypervisorHostname: host,
      memoryMb: HOST_RAM_MB,
      freeRamMb: HOST_RAM_MB - 512,
      localGb: 2000,
      localGbUsed: 0,
      freeDiskGb: 2000,
      vcpus: 32,
      vcpusUsed: 0,
      stats: { num_instances: '0', io_workload: '0' },
      hypervisorType: 'QEMU',
      supportedInstances: [['x86_64', 'kvm', 'hvm']],
      updatedAt: START,
    });
    services.push({
      host,
      binary: 'nova-compute',
      disabled: false,
      lastSeenUp: START,
      updatedAt: START,
    });
  }
  return { nodes, services, aggregates: [], instances: [] };
}

interface Checkpoint {
  percent: number;
  events: number;
  seconds: number;
  rssMb: number;
  heapMb: number;
}

async function main(): Promise<void> {
  const events = envInt('OPIE_BENCH_SIM_EVENTS', 1_000_000);
  const hosts = envInt('OPIE_BENCH_SIM_HOSTS', 1000);
  const requests = Math.ceil(events / 2);
  const conf = new URL('../../examples/policies/cost-aware.conf', import.meta.url);
  const policy = await loadPolicy({
    files: [{ path: 'examples/policies/cost-aware.conf', text: await readFile(conf, 'utf8') }],
    seed: SEED,
  });
  // At steady state (1 arrival/s) the VMs ask for 1.05 times the RAM: the cloud runs full,
  // normal requests preempt, and some preemptible ones are rejected.
  const meanLifetimeS = Math.round((1.05 * hosts * HOST_RAM_MB) / MEAN_VM_RAM_MB);
  const trace = syntheticTrace({
    requests,
    seed: SEED,
    meanInterarrivalS: 1,
    meanLifetimeS,
    preemptibleFraction: 0.3,
  });
  const checkpoints: Checkpoint[] = [];
  const marks = [0.25, 0.5, 0.75];
  const start = performance.now();
  let lastLog = start;
  const note = (percent: number, p: SimulationProgress): void => {
    gc();
    const mem = process.memoryUsage();
    checkpoints.push({
      percent,
      events: p.events,
      seconds: (performance.now() - start) / 1000,
      rssMb: mem.rss / MIB,
      heapMb: mem.heapUsed / MIB,
    });
  };
  process.stderr.write(
    `[bench] simulate: ${requests.toLocaleString('en')} VMs (${(2 * requests).toLocaleString('en')} events) on ${hosts} hosts, mean lifetime ${meanLifetimeS} s\n`,
  );
  const result = await simulate({
    policies: [policy],
    cloud: cloudOf(hosts),
    trace,
    seed: SEED,
    startMs: START,
    drain: true,
    progressEvery: 1000,
    onProgress: (p) => {
      while (marks.length > 0 && p.events >= (marks[0] as number) * 2 * requests) {
        note((marks.shift() as number) * 100, p);
      }
      const now = performance.now();
      if (now - lastLog > 10_000) {
        lastLog = now;
        const rate = p.events / ((now - start) / 1000);
        process.stderr.write(
          `[bench] simulate: ${p.events.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')} events/s\n`,
        );
      }
    },
  });
  const p = result.policies[0];
  if (p === undefined) throw new Error('no result');
  const total = p.requests.normal + p.requests.preemptible + p.departures;
  note(100, { rows: result.trace.rows, events: total });
  const wall = (performance.now() - start) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const out: string[] = [];
  out.push(
    `## Simulator: a ${(2 * requests).toLocaleString('en')}-event trace on ${hosts.toLocaleString('en')} hosts`,
  );
  out.push('');
  out.push(
    `Synthetic seeded trace (seed ${SEED}), streamed: ${requests.toLocaleString('en')} VMs, Poisson arrivals 1/s, ` +
      `exponential lifetimes (mean ${meanLifetimeS} s), 30 % preemptible; departures drained. Policy ` +
      '`examples/policies/cost-aware.conf`. ' +
      `${total.toLocaleString('en')} events replayed (rejected and preempted VMs never depart).`,
  );
  out.push('');
  out.push('| wall time | events/s | decisions | mean decision | p99 decision | peak RSS |');
  out.push('| ---: | ---: | ---: | ---: | ---: | ---: |');
  out.push(
    `| ${wall.toFixed(1)} s | ${Math.round(total / wall).toLocaleString('en')} | ${p.timing.count.toLocaleString('en')} | ` +
      `${p.timing.meanUs.toFixed(0)} µs | ${p.timing.p99Us.toFixed(0)} µs | ${peakRssMb.toFixed(0)} MB |`,
  );
  out.push('');
  out.push('| done | events | time | RSS | heapUsed (after GC) |');
  out.push('| ---: | ---: | ---: | ---: | ---: |');
  for (const c of checkpoints) {
    out.push(
      `| ${c.percent} % | ${c.events.toLocaleString('en')} | ${c.seconds.toFixed(1)} s | ${c.rssMb.toFixed(0)} MB | ${c.heapMb.toFixed(0)} MB |`,
    );
  }
  out.push('');
  out.push(
    '| placed normal | placed preemptible | rejected normal | rejected preemptible | preemptions | victims | RAM avg |',
  );
  out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  out.push(
    `| ${p.placed.normal} | ${p.placed.preemptible} | ${p.rejected.normal} | ${p.rejected.preemptible} | ` +
      `${p.preemptions.count} | ${p.preemptions.victims} | ${(p.utilisation.ram.average * 100).toFixed(1)} % |`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
