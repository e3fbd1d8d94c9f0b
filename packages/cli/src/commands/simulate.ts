import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, InvalidInputError } from '@opie/core';
import type { Logger } from '@opie/core';
import { parseCloud, parseTime } from '@opie/cloud';
import type { CloudSnapshot } from '@opie/cloud';
import {
  CPU_ROUNDINGS,
  createProgressReporter,
  formatBadRow,
  formatSimulationJson,
  formatSimulationText,
  isCpuRounding,
  isMemoryUnit,
  isTimeUnit,
  isTraceFormat,
  loadPolicy,
  MEMORY_UNITS,
  openTrace,
  policyName,
  renderHtmlReport,
  simulate,
  TIME_UNITS,
  TRACE_FORMATS,
} from '@opie/simulator';
import type {
  CpuRounding,
  MemoryUnit,
  ProgressSink,
  ReplayPolicy,
  SimulationProgress,
  TimeUnit,
  TraceFormatName,
  TraceReader,
} from '@opie/simulator';
import { EXIT_FAILURE, EXIT_OK } from '../io.js';
import type { CliIo, TextSink } from '../io.js';
import { parseCommandArgs, UsageError } from './parse-command-args.js';
import type { CommandArgs } from './parse-command-args.js';
import { readJsonInput } from './read-json-input.js';

export const SIMULATE_USAGE = `Usage: opie simulate --config FILE [--config FILE...] --cloud FILE --trace FILE
                     [--format csv|jsonl|alibaba|huawei] [--seed N] [--json] [--report FILE]
                     [--strict] [more options]

Replay a workload trace in virtual time through the real FilterScheduler,
with preemptions applied as they happen, and report what each policy did:
requests placed and rejected, preemptions and victims, preemptible work
lost, utilisation over time, scheduler time per decision. Each --config is
one policy, replayed on its own copy of the cloud; several give a
side-by-side comparison. Deterministic for a given seed.

Options:
  --config FILE               a nova.conf file: one policy each (repeat to compare)
  --cloud FILE                the starting cloud (JSON, as for opie schedule)
  --trace FILE                the trace, streamed (never held in memory)
  --format NAME               csv, jsonl (generic formats), alibaba or huawei;
                              default: jsonl for .jsonl/.ndjson files, else csv
  --seed N                    seed of the schedulers' random source and of
                              --preemptible-fraction; default 0
  --json                      the figures as JSON on stdout instead of a table
  --report FILE               also write one self-contained HTML report with plots
  --strict                    fail on the first bad row (default: skip and count)
  --memory-unit U             unit of the memory column: ${MEMORY_UNITS.join(', ')}
                              (default: csv/jsonl mb, alibaba mib, huawei gb)
  --time-unit U               unit of the time columns: ${TIME_UNITS.join(', ')} (default s)
  --cpu-rounding R            fractional vCPUs: ${CPU_ROUNDINGS.join(' (default) or ')} (keep)
  --preemptible-fraction F    huawei: fraction of VMs marked preemptible (0..1, default 0)
  --sample-interval S         seconds of virtual time between samples (default 3600)
  --billing-period S          billing period for the paid time lost (default 3600)
  --reorder-window N          rows held to sort a slightly unsorted trace (default 1024)
  --limit N                   replay only the first N good rows
  --start TIME                virtual time of trace time 0 (ISO 8601 or epoch ms);
                              default: the cloud's "now", else 1970-01-01
  --drain                     also replay the departures after the last arrival
  --quiet                     no progress on stderr
  -h, --help                  show this help

Exit status: 0 done; 1 a bad configuration, cloud or trace (or a bad row
with --strict); 2 bad usage.
`;

interface SimulateArgs {
  configs: string[];
  cloud: string;
  trace: string;
  format: TraceFormatName | undefined;
  seed: number;
  json: boolean;
  report: string | undefined;
  strict: boolean;
  memoryUnit: MemoryUnit | undefined;
  timeUnit: TimeUnit;
  cpuRounding: CpuRounding;
  preemptibleFraction: number | undefined;
  sampleIntervalS: number;
  billingPeriodS: number;
  reorderWindow: number;
  limit: number | undefined;
  start: number | undefined;
  drain: boolean;
  quiet: boolean;
}

function integer(raw: string | undefined, name: string, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${name}: expected an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function positive(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${name}: expected a number > 0, got "${raw}"`);
  }
  return value;
}

function choice<T extends string>(
  raw: string | undefined,
  name: string,
  test: (v: string) => v is T,
  allowed: readonly string[],
): T | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim().toLowerCase();
  if (!test(v))
    throw new UsageError(`${name}: expected one of ${allowed.join(', ')}, got "${raw}"`);
  return v;
}

/** The arguments, or the exit status of a help request or usage error (written to `io`). */
function parseSimulateArgs(argv: readonly string[], io: CliIo): CommandArgs<SimulateArgs> {
  return parseCommandArgs(
    argv,
    io,
    {
      command: 'simulate',
      usage: SIMULATE_USAGE,
      config: {
        options: {
          config: { type: 'string', multiple: true },
          cloud: { type: 'string' },
          trace: { type: 'string' },
          format: { type: 'string' },
          seed: { type: 'string' },
          json: { type: 'boolean' },
          report: { type: 'string' },
          strict: { type: 'boolean' },
          'memory-unit': { type: 'string' },
          'time-unit': { type: 'string' },
          'cpu-rounding': { type: 'string' },
          'preemptible-fraction': { type: 'string' },
          'sample-interval': { type: 'string' },
          'billing-period': { type: 'string' },
          'reorder-window': { type: 'string' },
          limit: { type: 'string' },
          start: { type: 'string' },
          drain: { type: 'boolean' },
          quiet: { type: 'boolean' },
        },
        allowPositionals: false,
      },
      required: ['config', 'cloud', 'trace'],
    },
    ({ values: v }): SimulateArgs => {
      const format = choice(v.format, '--format', isTraceFormat, TRACE_FORMATS);
      let fraction: number | undefined;
      if (v['preemptible-fraction'] !== undefined) {
        const raw = v['preemptible-fraction'];
        fraction = Number(raw);
        if (raw.trim() === '' || !(fraction >= 0 && fraction <= 1)) {
          throw new UsageError(`--preemptible-fraction: expected a number in [0, 1], got "${raw}"`);
        }
        if (format !== 'huawei') {
          throw new UsageError(
            '--preemptible-fraction applies to --format huawei only (the other formats mark preemptible requests themselves)',
          );
        }
      }
      let start: number | undefined;
      if (v.start !== undefined) {
        const asNumber = /^-?\d+$/.test(v.start.trim()) ? Number(v.start) : undefined;
        start = parseTime(asNumber ?? v.start);
        if (start === undefined) {
          throw new UsageError(
            `--start: expected an ISO 8601 time (2024-03-05T12:00:00Z) or epoch milliseconds, got "${v.start}"`,
          );
        }
      }
      const args: SimulateArgs = {
        configs: v.config ?? [],
        cloud: v.cloud ?? '',
        trace: v.trace ?? '',
        format,
        seed: integer(v.seed, '--seed', Number.MIN_SAFE_INTEGER) ?? 0,
        json: v.json === true,
        report: v.report,
        strict: v.strict === true,
        memoryUnit: choice(v['memory-unit'], '--memory-unit', isMemoryUnit, MEMORY_UNITS),
        timeUnit: choice(v['time-unit'], '--time-unit', isTimeUnit, TIME_UNITS) ?? 's',
        cpuRounding:
          choice(v['cpu-rounding'], '--cpu-rounding', isCpuRounding, CPU_ROUNDINGS) ?? 'ceil',
        preemptibleFraction: fraction,
        sampleIntervalS: positive(v['sample-interval'], '--sample-interval') ?? 3600,
        billingPeriodS: positive(v['billing-period'], '--billing-period') ?? 3600,
        reorderWindow: integer(v['reorder-window'], '--reorder-window', 0) ?? 1024,
        limit: integer(v.limit, '--limit', 1),
        start,
        drain: v.drain === true,
        quiet: v.quiet === true,
      };
      return args;
    },
  );
}

/** Plugin warnings on stderr, each distinct message once (a long replay repeats them). */
function onceLogger(stderr: TextSink, policy: string): Logger {
  const seen = new Set<string>();
  const write = (message: string): void => {
    if (seen.has(message)) return;
    seen.add(message);
    stderr.write(`opie simulate: warning (${policy}): ${message}\n`);
  };
  return { debug: () => undefined, info: () => undefined, warn: write, error: write };
}

/** Policy names from the config files, made unique. */
function policyNames(paths: readonly string[]): string[] {
  const used = new Map<string, number>();
  return paths.map((p) => {
    const base = policyName(p);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

const isInputError = (error: unknown): error is Error =>
  InvalidInputError.isInstance(error) || ConfigError.isInstance(error);

/**
 * `opie simulate`: replays a trace through one or more nova.conf policies on
 * a cloud file and prints their figures side by side (or as JSON), and
 * optionally an HTML report.
 */
export async function simulateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const outcome = parseSimulateArgs(argv, io);
  if (!outcome.ok) return outcome.exit;
  const a = outcome.args;

  // Every problem of the inputs is reported in one go.
  const errors: string[] = [];
  const attempt = async <T>(make: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await make();
    } catch (error) {
      if (!isInputError(error)) throw error;
      errors.push(error.message);
      return undefined;
    }
  };
  const cloud: CloudSnapshot | undefined = await attempt(async () =>
    parseCloud(await readJsonInput(a.cloud, 'cloud file', io.cwd), {
      source: `cloud file ${a.cloud}`,
    }),
  );
  const names = policyNames(a.configs);
  const policies: (ReplayPolicy | undefined)[] = [];
  for (const [i, path] of a.configs.entries()) {
    const name = names[i] ?? path;
    policies.push(
      await attempt(() =>
        loadPolicy({
          paths: [path],
          name,
          cwd: io.cwd,
          seed: a.seed,
          logger: onceLogger(io.stderr, name),
        }),
      ),
    );
  }
  const trace: TraceReader | undefined = await attempt(() =>
    openTrace(resolve(io.cwd, a.trace), {
      name: a.trace,
      ...(a.format !== undefined ? { format: a.format } : {}),
      ...(a.memoryUnit !== undefined ? { memoryUnit: a.memoryUnit } : {}),
      timeUnit: a.timeUnit,
      cpuRounding: a.cpuRounding,
      ...(a.preemptibleFraction !== undefined
        ? { preemptibleFraction: a.preemptibleFraction }
        : {}),
      seed: a.seed,
      strict: a.strict,
      reorderWindow: a.reorderWindow,
      ...(a.limit !== undefined ? { limit: a.limit } : {}),
    }),
  );
  const ready = policies.filter((p): p is ReplayPolicy => p !== undefined);
  if (
    errors.length > 0 ||
    cloud === undefined ||
    trace === undefined ||
    ready.length !== a.configs.length
  ) {
    io.stderr.write(`${errors.join('\n')}\n`);
    return EXIT_FAILURE;
  }
  for (const warning of cloud.warnings) io.stderr.write(`opie simulate: warning: ${warning}\n`);
  for (const policy of ready) {
    const n = policy.warnings?.length ?? 0;
    if (n === 0) continue;
    io.stderr.write(
      `opie simulate: the configuration of ${policy.name} has ${n} warning${n === 1 ? '' : 's'} (opie config show lists them)\n`,
    );
  }

  const sink = io.stderr as ProgressSink;
  const progress = a.quiet
    ? undefined
    : createProgressReporter({
        sink,
        label: 'opie simulate',
        fraction: () =>
          trace.size !== undefined && trace.size > 0 ? trace.bytesRead / trace.size : undefined,
      });
  let last: SimulationProgress = { rows: 0, events: 0 };
  let result;
  try {
    result = await simulate({
      policies: ready,
      cloud,
      trace,
      seed: a.seed,
      startMs: a.start ?? cloud.now ?? 0,
      sampleIntervalS: a.sampleIntervalS,
      billingPeriodS: a.billingPeriodS,
      drain: a.drain,
      onProgress: (p) => {
        last = p;
        progress?.update(p);
      },
    });
  } catch (error) {
    if (!isInputError(error)) throw error;
    if (sink.isTTY === true && !a.quiet) io.stderr.write('\n');
    io.stderr.write(`${error.message}\n`);
    return EXIT_FAILURE;
  }
  progress?.done(last);

  const bad = result.trace;
  if (bad.badRows > 0) {
    const shown = bad.firstBadRows.length;
    io.stderr.write(
      `opie simulate: skipped ${bad.badRows} bad row${bad.badRows === 1 ? '' : 's'}` +
        `${shown < bad.badRows ? `; the first ${shown}` : ''}:\n` +
        bad.firstBadRows.map((b) => `  ${formatBadRow(b)}\n`).join(''),
    );
  }
  if (a.report !== undefined) {
    await writeFile(resolve(io.cwd, a.report), renderHtmlReport(result), 'utf8');
    io.stderr.write(`opie simulate: wrote ${a.report}\n`);
  }
  io.stdout.write(a.json ? formatSimulationJson(result) : formatSimulationText(result));
  return EXIT_OK;
}
