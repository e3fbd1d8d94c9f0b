import { describe, expect, it } from 'vitest';
import { parseCloud, loadJsonFile } from '@opie/cloud';
import { fileURLToPath } from 'node:url';
import { START, SPREAD_CONF, twoHosts, vm } from './__fixtures__/two-hosts.js';
import { formatSimulationJson } from './format-json.js';
import { loadPolicy } from './load-policy.js';
import { traceFromLines } from './read-trace.js';
import { simulate } from './simulate.js';
import type { SimulationProgress } from './simulate.js';
import type { SimulationResult } from './simulation-result.js';
import { syntheticTrace } from './synthetic-trace.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The result without the wall-clock timings (everything else must be deterministic). */
function withoutTiming(result: SimulationResult): unknown {
  return { ...result, policies: result.policies.map(({ timing: _t, ...rest }) => rest) };
}

const SUBSET_CONF = `${SPREAD_CONF}
[filter_scheduler]
host_subset_size = 2
`;

async function run(seed: number, conf = SUBSET_CONF) {
  const policy = await loadPolicy({ files: [{ path: 'p.conf', text: conf }], seed, name: 'p' });
  return simulate({
    policies: [policy],
    cloud: twoHosts(),
    trace: syntheticTrace({
      requests: 400,
      seed: 5,
      meanInterarrivalS: 20,
      meanLifetimeS: 600,
      flavors: [
        { vcpus: 1, memoryMb: 512, diskGb: 0, weight: 2 },
        { vcpus: 2, memoryMb: 1024, diskGb: 0, weight: 1 },
      ],
    }),
    seed,
    startMs: START,
    sampleIntervalS: 600,
  });
}

describe('simulate', () => {
  it('is deterministic: same seed, same JSON (timings aside) (test_determinism)', async () => {
    const a = await run(7);
    const b = await run(7);
    expect(a.policies[0]!.placed.normal + a.policies[0]!.placed.preemptible).toBeGreaterThan(100);
    expect(a.policies[0]!.preemptions.count).toBeGreaterThan(0);
    expect(JSON.stringify(withoutTiming(a))).toBe(JSON.stringify(withoutTiming(b)));
    // host_subset_size = 2 draws from the seeded random source: another seed differs.
    const c = await run(8);
    expect(JSON.stringify(withoutTiming(c))).not.toBe(JSON.stringify(withoutTiming(a)));
  });

  it('replays every policy on its own copy of the cloud, reading the trace once', async () => {
    const files = [{ path: 'spread.conf', text: SPREAD_CONF }];
    const first = await loadPolicy({ files, name: 'one' });
    const second = await loadPolicy({ files, name: 'two' });
    const progress: SimulationProgress[] = [];
    const result = await simulate({
      policies: [first, second],
      cloud: twoHosts(),
      trace: [
        vm('a', 0, 100, 4096, false),
        vm('b', 1, 100, 4096, false),
        vm('c', 2, 100, 4096, false),
      ],
      startMs: START,
      progressEvery: 2,
      onProgress: (p) => progress.push(p),
    });
    // Were the cloud shared, the second policy would find both hosts full.
    expect(result.policies.map((p) => [p.name, p.placed.normal, p.rejected.normal])).toEqual([
      ['one', 2, 1],
      ['two', 2, 1],
    ]);
    expect(progress).toEqual([
      { rows: 2, events: 4 },
      { rows: 3, events: 6 },
    ]);
    expect(result.trace).toEqual({
      rows: 3,
      badRows: 0,
      firstBadRows: [],
      firstArrivalS: 0,
      lastArrivalS: 2,
      spanS: 2,
    });
  });

  it('reports the bad rows of a trace reader', async () => {
    const policy = await loadPolicy({ files: [{ path: 's.conf', text: SPREAD_CONF }] });
    const result = await simulate({
      policies: [policy],
      cloud: twoHosts(),
      trace: traceFromLines(
        ['arrival,lifetime,vcpus,memory_mb,preemptible', '0,10,1,512,no', '1,10,1,512,nope'],
        { format: 'csv', name: 'x.csv' },
      ),
      startMs: START,
    });
    expect(result.trace).toMatchObject({
      file: 'x.csv',
      format: 'csv',
      rows: 1,
      badRows: 1,
      firstBadRows: [
        { file: 'x.csv', line: 3, reason: 'preemptible: expected true or false, got "nope"' },
      ],
    });
    expect(result.policies[0]?.name).toBe('s');
  });

  it('handles an empty trace and refuses no policy', async () => {
    const policy = await loadPolicy({ files: [{ path: 's.conf', text: SPREAD_CONF }] });
    const result = await simulate({ policies: [policy], cloud: twoHosts(), trace: [] });
    expect(result.trace).toMatchObject({
      rows: 0,
      firstArrivalS: null,
      lastArrivalS: null,
      spanS: 0,
    });
    expect(result.policies[0]?.series.t).toEqual([]);
    expect(result.policies[0]?.utilisation.ram.average).toBe(0);
    await expect(simulate({ policies: [], cloud: twoHosts(), trace: [] })).rejects.toThrow(
      RangeError,
    );
  });

  it('replays the example cloud with both example policies; JSON round-trips', async () => {
    const cloud = parseCloud(await loadJsonFile(`${repoRoot}examples/cloud.json`, 'cloud file'));
    const policies = await Promise.all(
      ['opie-compat', 'cost-aware'].map((p) =>
        loadPolicy({ paths: [`examples/policies/${p}.conf`], cwd: repoRoot }),
      ),
    );
    const result = await simulate({
      policies,
      cloud,
      trace: syntheticTrace({ requests: 300, seed: 1, meanInterarrivalS: 60, meanLifetimeS: 3600 }),
      startMs: cloud.now ?? 0,
    });
    for (const p of result.policies) {
      expect(p.requests.normal + p.requests.preemptible).toBe(300);
      expect(p.placed.normal + p.rejected.normal).toBe(p.requests.normal);
      expect(p.placed.preemptible + p.rejected.preemptible).toBe(p.requests.preemptible);
      expect(p.placementsOverLimits).toBe(0);
      expect(p.utilisation.ram.average).toBeGreaterThan(0);
    }
    expect(JSON.parse(formatSimulationJson(result))).toEqual(result);
  });
});
