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
