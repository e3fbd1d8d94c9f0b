import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { SIMULATE_USAGE } from './simulate.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const HUAWEI = '/work/shared/data/traces/huawei-east-1/Huawei-East-1-lt.csv';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'opie-simulate-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function run(argv: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: repoRoot,
  });
  return { code, stdout, stderr };
}

/** stderr without the per-policy config warning summaries (checked in their own test). */
const withoutConfigWarnings = (stderr: string): string =>
  stderr.replace(
    /^opie simulate: the configuration of .* warnings? \(opie config show lists them\)\n/gm,
    '',
  );

/** A small generic trace on examples/cloud.json: m1.large-sized normal VMs need preemption. */
const TRACE = [
  'id,arrival,lifetime,vcpus,memory_mb,disk_gb,preemptible',
  'p1,0,7200,1,2048,20,true',
  'p2,60,7200,1,2048,20,true',
  'n1,120,3600,4,8192,80,false',
  'n2,180,3600,4,8192,80,false',
  'n3,240,600,1,512,1,false',
].join('\n');

async function traceFile(name: string, text: string): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, `${text}\n`);
  return path;
}

const BOTH = [
  '--config',
  'examples/policies/opie-compat.conf',
  '--config',
  'examples/policies/cost-aware.conf',
  '--cloud',
  'examples/cloud.json',
];

describe('opie simulate: usage', () => {
  it('prints its help and exits 0', async () => {
    expect(await run(['simulate', '--help'])).toEqual({
      code: 0,
      stdout: SIMULATE_USAGE,
      stderr: '',
    });
  });

  it('exits 2 with the usage for missing or bad options', async () => {
    const cases: [string[], RegExp][] = [
      [['--cloud', 'c.json'], /missing --config, --trace/],
      [
        [...BOTH, '--trace', 't.csv', '--format', 'xml'],
        /--format: expected one of csv, jsonl, alibaba, huawei, got "xml"/,
      ],
      [
        [...BOTH, '--trace', 't.csv', '--preemptible-fraction', '0.3'],
        /applies to --format huawei only/,
      ],
      [
        [...BOTH, '--trace', 't.csv', '--format', 'huawei', '--preemptible-fraction', '2'],
        /in \[0, 1\]/,
      ],
      [
        [...BOTH, '--trace', 't.csv', '--sample-interval', '0'],
        /--sample-interval: expected a number > 0/,
      ],
      [[...BOTH, '--trace', 't.csv', '--memory-unit', 'tb'], /--memory-unit: expected one of kib/],
      [[...BOTH, '--trace', 't.csv', '--seed', 'x'], /--seed: expected an integer/],
      [[...BOTH, '--trace', 't.csv', '--limit', '0'], /--limit: expected an integer >= 1/],
      [[...BOTH, '--trace', 't.csv', '--start', 'yesterday'], /--start: expected an ISO 8601 time/],
      [[...BOTH, '--trace', 't.csv', '--verbose'], /Unknown option '--verbose'/],
    ];
    for (const [args, message] of cases) {
      const r = await run(['simulate', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('Usage: opie simulate');
    }
  });

  it('exits 1 listing every bad input at once', async () => {
    const r = await run([
      'simulate',
      '--config',
      'examples/nope.conf',
      '--cloud',
      'examples/nope.json',
      '--trace',
      'nope.csv',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cloud file examples/nope.json');
    expect(r.stderr).toContain('examples/nope.conf');
    expect(r.stderr).toContain(
      'Invalid trace file nope.csv:\n  - nope.csv: cannot read the file: it does not exist',
    );
  });
});

describe('opie simulate: runs', () => {
  it('compares two policies side by side, with progress on stderr', async () => {
    const trace = await traceFile('small.csv', TRACE);
    const r = await run(['simulate', ...BOTH, '--trace', trace]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Trace: .*small\.csv \(csv\): 5 requests over 4m\n/);
    expect(r.stdout).toMatch(/\n +opie-compat +cost-aware\n/);
    expect(r.stdout).toMatch(/\nrequests normal +3 +3\n/);
    expect(r.stdout).toMatch(/\nrequests preemptible +2 +2\n/);
    expect(r.stderr).toMatch(/opie simulate: done, \d+ events/);
  });

  it('summarises the warnings of each configuration on stderr', async () => {
    const conf = join(tmp, 'deprecated.conf');
    await writeFile(
      conf,
      (await readFile(join(repoRoot, 'examples/policies/cost-aware.conf'), 'utf8')) +
        '\n[DEFAULT]\nscheduler_max_attempts = 3\n',
    );
    const trace = await traceFile('w.csv', TRACE);
    const r = await run([
      'simulate',
      '--config',
      conf,
      '--cloud',
      'examples/cloud.json',
      '--trace',
      trace,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^opie simulate: the configuration of deprecated has \d+ warnings? \(opie config show lists them\)$/m,
    );
  });

  it('writes the same figures as JSON, and an HTML report', async () => {
    const trace = await traceFile('small2.csv', TRACE);
    const report = join(tmp, 'report.html');
    const r = await run([
      'simulate',
      ...BOTH,
      '--trace',
      trace,
      '--json',
      '--quiet',
      '--report',
      report,
      '--seed',
      '4',
    ]);
    expect(r.code).toBe(0);
    expect(withoutConfigWarnings(r.stderr)).toBe(`opie simulate: wrote ${report}\n`);
    const json = JSON.parse(r.stdout) as {
      seed: number;
      startMs: number;
      trace: { rows: number };
      policies: {
        name: string;
        requests: { normal: number };
        placed: { normal: number };
        rejected: { normal: number };
      }[];
    };
    expect(json.seed).toBe(4);
    expect(json.startMs).toBe(Date.parse('2024-03-05T12:00:00Z')); // the cloud's now
    expect(json.trace.rows).toBe(5);
    expect(json.policies.map((p) => p.name)).toEqual(['opie-compat', 'cost-aware']);
    for (const p of json.policies)
      expect(p.placed.normal + p.rejected.normal).toBe(p.requests.normal);
    const html = await readFile(report, 'utf8');
    expect(html).toContain('<svg id="plot-ram-utilisation"');
    expect(html).toContain('<svg id="plot-compare-victims"');
  });

  it('skips and lists bad rows by file:line, or fails on the first with --strict', async () => {
    const trace = await traceFile(
      'bad.csv',
      `${TRACE}\nn4,300,60,one,512,1,false\nn5,310,60,1,512,1,sometimes`,
    );
    const lenient = await run(['simulate', ...BOTH, '--trace', trace, '--quiet', '--json']);
    expect(lenient.code).toBe(0);
    expect(withoutConfigWarnings(lenient.stderr)).toBe(
      `opie simulate: skipped 2 bad rows:\n  ${trace}:7: vcpus: expected a number, got "one"\n` +
        `  ${trace}:8: preemptible: expected true or false, got "sometimes"\n`,
    );
    expect((JSON.parse(lenient.stdout) as { trace: { badRows: number } }).trace.badRows).toBe(2);
    const strict = await run(['simulate', ...BOTH, '--trace', trace, '--quiet', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
    expect(withoutConfigWarnings(strict.stderr)).toBe(
      `Invalid trace file ${trace}:\n  - ${trace}:7: vcpus: expected a number, got "one"\n`,
    );
  });

  it('reads the Huawei trace by path with a seeded preemptible fraction', async () => {
    const args = [
      'simulate',
      '--config',
      'examples/policies/cost-aware.conf',
      '--cloud',
      'examples/cloud.json',
      '--trace',
      HUAWEI,
      '--format',
      'huawei',
      '--preemptible-fraction',
      '0.4',
      '--limit',
      '2000',
      '--json',
      '--quiet',
    ];
    const a = await run(args);
    expect(a.code).toBe(0);
    const result = JSON.parse(a.stdout) as {
      trace: { format: string; rows: number };
      policies: { requests: { normal: number; preemptible: number }; timing: unknown }[];
    };
    expect(result.trace).toMatchObject({ format: 'huawei', rows: 2000 });
    const share = result.policies[0]!.requests.preemptible / 2000;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.45);
    // Deterministic: the same run gives the same figures (timings aside).
    const b = JSON.parse((await run(args)).stdout) as typeof result;
    const strip = (r: typeof result) => r.policies.map(({ timing: _t, ...rest }) => rest);
    expect(strip(b)).toEqual(strip(result));
  });
});

/** The opie-compat reproduction (the simulator's replay-engine test derives every figure). */
const REPRO_TRACE = [
  'id,arrival,lifetime,vcpus,memory_mb,disk_gb,preemptible',
  'A,0,,1,4096,0,false',
  'P1,10,,1,2048,0,true',
  'P2,20,,1,2048,0,true',
  'N,100,,1,4096,0,false',
  'P3,200,,1,2048,0,true',
].join('\n');
const REPRO_CONF = [
  '[DEFAULT]',
  'ram_allocation_ratio = 1.0',
  'cpu_allocation_ratio = 1.0',
  '[scheduler]',
  'driver = opie.scheduler.filter_scheduler.FilterScheduler',
  'host_manager = opie.scheduler.host_manager.HostManager',
  '[filter_scheduler]',
  'enabled_filters = RamFilter, CoreFilter, ComputeFilter',
  '[preemptible_instances_scheduler]',
].join('\n');

interface LogLine {
  policy: string;
  time: string;
  type: string;
  id: string;
  preemptible: boolean;
  host?: string;
  by?: string;
  failed_request?: boolean;
  reason?: string;
}

interface JsonPolicy {
  name: string;
  requests: { normal: number; preemptible: number };
  placed: { normal: number; preemptible: number };
  rejected: { normal: number; preemptible: number };
  departures: number;
  preemptions: { victims: number; victimsOfFailedRequests: number };
  lostWork: { instanceSeconds: number };
}

async function reproSetup() {
  const cloud = join(tmp, 'one-host.json');
  const made = await run([
    ...['cloud', 'generate', '--hosts', '1', '--vcpus', '16', '--memory-mb', '8192'],
    ...['--disk-gb', '100', '--reserved-host-memory-mb', '0', '--cpu-allocation-ratio', '1'],
    ...['--ram-allocation-ratio', '1', '--now', '2024-01-01T00:00:00Z', '--out', cloud],
  ]);
  expect(made.code).toBe(0);
  const opie = join(tmp, 'opie.conf');
  const cost = join(tmp, 'cost.conf');
  await writeFile(opie, `${REPRO_CONF}\nvictim_policy = opie\n`);
  await writeFile(cost, `${REPRO_CONF}\nvictim_policy = cost\n`);
  const trace = await traceFile('repro.csv', REPRO_TRACE);
  return { cloud, opie, cost, trace };
}

describe('opie simulate: fidelity, event log, provenance', () => {
  it('applies the victims of failed requests under opie-compat (the issue reproduction)', async () => {
    const { cloud, opie, trace } = await reproSetup();
    const r = await run(['simulate', '--config', opie, '--cloud', cloud, '--trace', trace]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nvictims +1\n/);
    expect(r.stdout).toMatch(/\n {2}of failed requests +1\n/);
    const j = await run([
      'simulate',
      '--config',
      opie,
      '--cloud',
      cloud,
      '--trace',
      trace,
      '--json',
    ]);
    const p = (JSON.parse(j.stdout) as { policies: JsonPolicy[] }).policies[0]!;
    // P2 ran from t=20 to t=100: 80 s lost; N rejected; P3 placed.
    expect(p.preemptions).toMatchObject({ victims: 1, victimsOfFailedRequests: 1 });
    expect(p.lostWork.instanceSeconds).toBe(80);
    expect(p.rejected).toEqual({ normal: 1, preemptible: 0 });
    expect(p.placed).toEqual({ normal: 1, preemptible: 3 });
  });

  it('writes an event log whose counts equal the summary, in the documented order', async () => {
    const { opie, cost } = await reproSetup();
    // The day trace adds departures, and preemptions of both kinds.
    const events = join(tmp, 'events.jsonl');
    const r = await run([
      ...[
        'simulate',
        '--config',
        opie,
        '--config',
        cost,
        '--config',
        'examples/policies/cost-aware.conf',
      ],
      ...['--cloud', 'examples/clouds/day.json', '--trace', 'examples/traces/day.csv'],
      ...['--json', '--quiet', '--events', events],
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`opie simulate: wrote ${events}\n`);
    const summary = JSON.parse(r.stdout) as { policies: JsonPolicy[] };
    const lines = (await readFile(events, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as LogLine);
    // The policies one after the other, in order.
    const order = lines.map((l) => l.policy).filter((p, i, all) => all[i - 1] !== p);
    expect(order).toEqual(['opie', 'cost', 'cost-aware']);
    const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    for (const p of summary.policies) {
      const mine = lines.filter((l) => l.policy === p.name);
      const count = (f: (l: LogLine) => boolean) => mine.filter(f).length;
      expect(count((l) => l.type === 'arrive')).toBe(p.requests.normal + p.requests.preemptible);
      expect(count((l) => l.type === 'place')).toBe(p.placed.normal + p.placed.preemptible);
      expect(count((l) => l.type === 'reject')).toBe(p.rejected.normal + p.rejected.preemptible);
      expect(count((l) => l.type === 'preempt')).toBe(p.preemptions.victims);
      expect(count((l) => l.type === 'preempt' && l.failed_request === true)).toBe(
        p.preemptions.victimsOfFailedRequests,
      );
      expect(count((l) => l.type === 'depart')).toBe(p.departures);
      let last = '';
      let open: LogLine | undefined; // the arrival whose place/reject is due
      for (const l of mine) {
        expect(l.time).toMatch(ISO_MS);
        expect(l.time >= last, `${p.name}: time goes backwards at ${JSON.stringify(l)}`).toBe(true);
        last = l.time;
        expect(typeof l.preemptible).toBe('boolean');
        if (l.type === 'arrive') {
          expect(open).toBeUndefined();
          open = l;
        } else if (l.type === 'preempt') {
          expect(l.by).toBe(open?.id);
          expect(l.time).toBe(open?.time);
          expect(l.host).toBeTypeOf('string');
          expect(l.failed_request).toBeTypeOf('boolean');
        } else if (l.type === 'place' || l.type === 'reject') {
          expect(l.id).toBe(open?.id);
          expect(l.time).toBe(open?.time);
          if (l.type === 'place') expect(l.host).toBeTypeOf('string');
          else expect(l.reason).toBeTypeOf('string');
          // failed_request is true exactly for the victims of a rejected request.
          const victims = mine.filter(
            (v) => v.type === 'preempt' && v.by === l.id && v.time === l.time,
          );
          for (const v of victims) expect(v.failed_request).toBe(l.type === 'reject');
          open = undefined;
        } else {
          expect(l.type).toBe('depart');
          expect(open).toBeUndefined(); // departures come before the arrival they precede
        }
      }
    }
  });

  it('fails before replaying when the event log cannot be written', async () => {
    const trace = await traceFile('ev-bad.csv', TRACE);
    const r = await run([
      ...['simulate', ...BOTH, '--trace', trace, '--quiet'],
      ...['--events', join(tmp, 'no-such-dir', 'e.jsonl')],
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/opie simulate: --events .*e\.jsonl: cannot write the file: ENOENT/);
  });

  it('names the tool, the cloud and every input with its sha256', async () => {
    const trace = await traceFile('digest.csv', TRACE);
    const r = await run(['simulate', ...BOTH, '--trace', trace, '--json', '--quiet']);
    const j = JSON.parse(r.stdout) as {
      tool: string;
      cloud: { file: string; hosts: number; vcpus: number; memoryMb: number };
      inputs: { role: string; file: string; sha256: string }[];
    };
    expect(j.tool).toMatch(/^opie simulate \(@opie\/simulator \d+\.\d+\.\d+/);
    // examples/cloud.json: 4 hosts of 8 vCPUs and 16384 MB.
    expect(j.cloud).toMatchObject({
      file: 'examples/cloud.json',
      hosts: 4,
      vcpus: 32,
      memoryMb: 65536,
    });
    const { createHash } = await import('node:crypto');
    const digest = async (path: string) =>
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    expect(j.inputs).toEqual([
      {
        role: 'cloud',
        file: 'examples/cloud.json',
        sha256: await digest(join(repoRoot, 'examples/cloud.json')),
      },
      { role: 'trace', file: trace, sha256: await digest(trace) },
      ...(await Promise.all(
        ['opie-compat', 'cost-aware'].map(async (n) => ({
          role: 'config',
          file: expect.stringContaining(`examples/policies/${n}.conf`) as unknown as string,
          sha256: await digest(join(repoRoot, `examples/policies/${n}.conf`)),
        })),
      )),
    ]);
  });

  it('warns when most normal requests are rejected (the cloud is too small)', async () => {
    const r = await run([
      ...['simulate', ...BOTH, '--trace', 'examples/traces/day.csv', '--quiet'],
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /opie simulate: warning: opie-compat rejected \d+ of 130 normal requests \([\d.]+ %\): the cloud \(4 hosts, 32 vCPUs, 65536 MB\) is too small/,
    );
    const sized = await run([
      ...['simulate', '--config', 'examples/policies/cost-aware.conf'],
      ...['--cloud', 'examples/clouds/day.json', '--trace', 'examples/traces/day.csv', '--quiet'],
    ]);
    expect(sized.stderr).not.toContain('too small');
  });

  it('counts progress in rows with --limit', async () => {
    const r = await run([
      ...[
        'simulate',
        '--config',
        'examples/policies/cost-aware.conf',
        '--cloud',
        'examples/clouds/day.json',
      ],
      ...['--trace', HUAWEI, '--format', 'huawei', '--limit', '300'],
    ]);
    expect(r.code).toBe(0);
    // 300 of 116,313 rows is 0.3 % of the file's bytes; counted in rows it reaches 100 %.
    expect(r.stderr).toMatch(/^opie simulate: 100 % /m);
  });
});

describe('opie simulate: column mapping and re-submission', () => {
  const AZURE = [
    'vmid,starttime,endtime,corecount,memory,priority',
    'v1,0,3600,0.125,0.125,0',
    'v2,60,7200,0.0625,0.0625,1',
  ].join('\n');

  it('reads another trace layout with --columns, --scale and --preemptible-when', async () => {
    const trace = await traceFile('azure.csv', AZURE);
    const r = await run([
      ...[
        'simulate',
        '--config',
        'examples/policies/cost-aware.conf',
        '--cloud',
        'examples/cloud.json',
      ],
      ...['--trace', trace, '--json', '--quiet'],
      ...['--columns', 'id=vmid,arrival=starttime,end=endtime,vcpus=corecount,memory_mb=memory'],
      ...['--scale', 'vcpus=64,memory_mb=65536', '--preemptible-when', 'priority=1'],
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const p = (JSON.parse(r.stdout) as { policies: JsonPolicy[] }).policies[0]!;
    // v1: 0.125 x 64 = 8 vCPUs, 0.125 x 65536 = 8192 MB, normal; v2: 4 vCPUs, 4096 MB, priority 1 = spot.
    expect(p.requests).toEqual({ normal: 1, preemptible: 1 });
  });

  it('reports bad mappings naming the option and the header', async () => {
    const trace = await traceFile('azure2.csv', AZURE);
    const base = ['simulate', ...BOTH, '--trace', trace, '--quiet'];
    const unknown = await run([...base, '--columns', 'cores=corecount']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^opie simulate: --columns: unknown field "cores"/);
    const format = await run([...base, '--format', 'huawei', '--scale', 'vcpus=2']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/apply to --format csv and jsonl only \(the huawei format/);
    const scale = await run([...base, '--scale', 'vcpus=zero']);
    expect(scale.stderr).toMatch(/--scale: vcpus: expected a factor > 0, got "zero"/);
    const when = await run([...base, '--preemptible-when', 'priority']);
    expect(when.stderr).toMatch(/--preemptible-when: expected column=value/);
    const header = await run([
      ...base,
      '--columns',
      'arrival=start,vcpus=corecount,memory_mb=memory,end=endtime',
      '--preemptible-when',
      'priority=1',
    ]);
    expect(header.code).toBe(1);
    expect(header.stderr).toContain(
      `${trace}:1: --columns maps arrival=start, but the header has no such column (it has: vmid, starttime, endtime, corecount, memory, priority)`,
    );
  });

  it('re-submits victims with --resubmit-victims, after 60 s by default', async () => {
    const { cloud, cost } = await reproSetup();
    // One 8192 MB host: A (normal 4096) and two 2048 MB spot VMs fill it; N (normal 4096)
    // preempts both at t=100 (cost policy: the cheapest set freeing 4096 MB); they come back
    // at t=160 and find no room (A + N fill the host) until A leaves at t=300.
    const trace = await traceFile(
      'resubmit.csv',
      [
        'id,arrival,lifetime,vcpus,memory_mb,disk_gb,preemptible',
        'A,0,300,1,4096,0,false',
        'P1,10,1000,1,2048,0,true',
        'P2,20,1000,1,2048,0,true',
        'N,100,,1,4096,0,false',
      ].join('\n'),
    );
    const args = [
      'simulate',
      '--config',
      cost,
      '--cloud',
      cloud,
      '--trace',
      trace,
      '--json',
      '--quiet',
      '--drain',
    ];
    const r = await run([...args, '--resubmit-victims']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      resubmitVictimsS: number;
      policies: { resubmissions: Record<string, number> }[];
    };
    expect(j.resubmitVictimsS).toBe(60);
    // Tries at 160, 220, 280 fail; at 340 (A left at 300) both fit: 4 attempts each, wait 240 s.
    expect(j.policies[0]!.resubmissions).toEqual({
      delayS: 60,
      victims: 2,
      attempts: 8,
      ran: 2,
      rejectedAttempts: 6,
      waitingAtEnd: 0,
      meanWaitS: 240,
      maxWaitS: 240,
    });
    const later = await run([...args, '--resubmit-victims', '250']);
    // At 350 A has left: both fit at the first try; wait 250 s.
    expect((JSON.parse(later.stdout) as typeof j).policies[0]!.resubmissions).toMatchObject({
      attempts: 2,
      ran: 2,
      meanWaitS: 250,
    });
    const bad = await run([...args, '--resubmit-victims', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--resubmit-victims: expected a delay in seconds >= 0, got "soon"/);
    const off = await run(args);
    expect((JSON.parse(off.stdout) as { policies: object[] }).policies[0]).not.toHaveProperty(
      'resubmissions',
    );
  });
});

describe('opie simulate: policies in worker threads', () => {
  it(
    'gives the same figures and event log with --threads 2 as one after the other',
    { timeout: 120_000 },
    async () => {
      const base = [
        ...['simulate', '--config', 'examples/policies/opie-compat.conf'],
        ...['--config', 'examples/policies/cost-aware.conf', '--cloud', 'examples/clouds/day.json'],
        ...['--trace', 'examples/traces/day.csv', '--json', '--quiet'],
      ];
      const strip = (stdout: string) => {
        const j = JSON.parse(stdout) as { policies: { timing?: unknown }[] };
        for (const p of j.policies) delete p.timing;
        return j;
      };
      const one = await run([...base, '--threads', '1', '--events', join(tmp, 'one.jsonl')]);
      const two = await run([...base, '--threads', '2', '--events', join(tmp, 'two.jsonl')]);
      // (the stderr is the message, so a failure says why)
      expect(one.code, `--threads 1 stderr: ${one.stderr}`).toBe(0);
      expect(two.code, `--threads 2 stderr: ${two.stderr}`).toBe(0);
      expect(strip(two.stdout)).toEqual(strip(one.stdout));
      expect(await readFile(join(tmp, 'two.jsonl'), 'utf8')).toBe(
        await readFile(join(tmp, 'one.jsonl'), 'utf8'),
      );
      const bad = await run([...base, '--threads', '0']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--threads: expected an integer >= 1, got "0"/);
    },
  );
});
