import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCloud } from '@opie/cloud';
import type { CloudSnapshot } from '@opie/cloud';
import { InvalidInputError } from '@opie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkerFromSources } from './__fixtures__/build-worker.js';
import { loadPolicy } from './load-policy.js';
import { openTrace } from './read-trace.js';
import { simulate } from './simulate.js';
import { simulateInWorkers } from './simulate-in-workers.js';
import type { SimulationResult } from './simulation-result.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const POLICIES = ['opie-compat', 'cost-victims', 'cost-aware'].map((name) => ({
  name,
  paths: [join(ROOT, `examples/policies/${name}.conf`)],
}));
const TRACE = join(ROOT, 'examples/traces/day.csv');

let worker: { url: URL; dir: string };
let cloud: CloudSnapshot;
let tmp = '';
beforeAll(async () => {
  worker = await buildWorkerFromSources();
  tmp = await mkdtemp(join(tmpdir(), 'opie-workers-'));
  cloud = parseCloud(JSON.parse(await readFile(join(ROOT, 'examples/clouds/day.json'), 'utf8')));
}, 120_000);
afterAll(async () => {
  await rm(worker.dir, { recursive: true, force: true });
  await rm(tmp, { recursive: true, force: true });
});

/** Everything but the wall-clock timings, which vary run to run. */
function figures(r: SimulationResult) {
  return { ...r, policies: r.policies.map(({ timing: _t, ...rest }) => rest) };
}

const START = Date.parse('2024-03-05T12:00:00Z');

async function sequential(): Promise<SimulationResult> {
  const policies = await Promise.all(POLICIES.map((p) => loadPolicy({ ...p, seed: 0 })));
  return simulate({
    policies,
    cloud,
    trace: await openTrace(TRACE),
    startMs: START,
    sampleIntervalS: 900,
    resubmitVictimsS: 120,
  });
}

describe('simulateInWorkers', () => {
  it('gives, with one worker thread per policy, exactly the sequential figures', async () => {
    const progress: number[] = [];
    const parallel = await simulateInWorkers({
      policies: POLICIES,
      cloud,
      trace: { path: TRACE },
      startMs: START,
      sampleIntervalS: 900,
      resubmitVictimsS: 120,
      threads: 3,
      workerUrl: worker.url,
      progressEvery: 50,
      onProgress: (p) => progress.push(p.rows),
    });
    expect(figures(parallel)).toEqual(figures(await sequential()));
    expect(parallel.policies.map((p) => p.name)).toEqual(POLICIES.map((p) => p.name));
    // Progress is the slowest policy's row count; it ends at the 240 rows of the trace.
    expect(progress.at(-1)).toBe(240);
  }, 120_000);

  it('runs the jobs in this thread without a worker script, with the same figures', async () => {
    const events = (i: number) => join(tmp, `events-${i}.jsonl`);
    const inThread = await simulateInWorkers({
      policies: POLICIES,
      cloud,
      trace: { path: TRACE },
      startMs: START,
      sampleIntervalS: 900,
      resubmitVictimsS: 120,
      threads: 1,
      eventsFile: events,
    });
    expect(figures(inThread)).toEqual(figures(await sequential()));
    const log = await readFile(events(2), 'utf8');
    expect(log.split('\n')[0]).toMatch(
      /^\{"policy":"cost-aware","time":"2024-03-05T12:15:03\.000Z","type":"arrive"/,
    );
  }, 120_000);

  it('brings a worker’s input error back as the same error', async () => {
    const bad = join(tmp, 'bad.csv');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(bad, 'arrival,lifetime,vcpus,memory_mb,preemptible\n0,10,x,512,false\n');
    const run = simulateInWorkers({
      policies: POLICIES.slice(0, 2),
      cloud,
      trace: { path: bad, options: { strict: true, name: 'bad.csv' } },
      threads: 2,
      workerUrl: worker.url,
    });
    await expect(run).rejects.toSatisfy((e: unknown) => InvalidInputError.isInstance(e));
    await expect(run).rejects.toThrow('bad.csv:2: vcpus: expected a number, got "x"');
    await expect(simulateInWorkers({ policies: [], cloud, trace: { path: bad } })).rejects.toThrow(
      'simulate needs at least one policy',
    );
  }, 120_000);
});
