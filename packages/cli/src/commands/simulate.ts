import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { finished, pipeline } from 'node:stream/promises';
import { availableParallelism } from 'node:os';
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
  formatEventLine,
  MEMORY_UNITS,
  openTrace,
  parseColumnsOption,
  parsePreemptibleWhen,
  parseScaleOption,
  simulatorVersion,
  TraceMappingError,
  policyName,
  renderHtmlReport,
  simulate,
  simulateInWorkers,
  TIME_UNITS,
  TRACE_FORMATS,
} from '@opie/simulator';
import type {
  ColumnMapping,
  CpuRounding,
  InputFile,
  MemoryUnit,
  PreemptibleRule,
  ReadTraceOptions,
  ReplayEvent,
  ScaleFactors,
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

/** Seconds before a victim is re-submitted when `--resubmit-victims` has no value. */
const DEFAULT_RESUBMIT_S = 60;

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
  --columns F=C[,F=C...]      csv/jsonl: read field F from column C (fields: id, arrival,
                              end, lifetime, vcpus, memory_mb, disk_gb, preemptible,
                              priority); only mapped columns are read
  --scale F=X[,F=X...]        csv/jsonl: multiply field F's raw value by X (before the
                              unit conversion and rounding)
  --preemptible-when C=V[|V...]
                              csv/jsonl: rows whose column C is one of the values are
                              preemptible, the others normal
  --events FILE               write every event (arrive, place, reject, preempt, depart)
                              as JSON Lines, policy by policy
  --resubmit-victims [S]      re-submit preempted preemptible instances S seconds after
                              they are terminated, and again after each rejection
                              (default ${DEFAULT_RESUBMIT_S}); off without the option
  --sample-interval S         seconds of virtual time between samples (default 3600)
  --billing-period S          billing period for the paid time lost (default 3600)
  --reorder-window N          rows held to sort a slightly unsorted trace (default 1024)
  --limit N                   replay only the first N good rows
  --start TIME                virtual time of trace time 0 (ISO 8601 or epoch ms);
                              default: the cloud's "now", else 1970-01-01
  --drain                     also replay the departures after the last arrival
  --threads N                 policies replayed at once, each in its own worker thread
                              (default: the machine's cores, at most the policies;
                              1 = one after the other in this thread; same figures)
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
  columns: ColumnMapping | undefined;
  scale: ScaleFactors | undefined;
  preemptibleWhen: PreemptibleRule | undefined;
  events: string | undefined;
  resubmitVictimsS: number | undefined;
  threads: number;
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
  // `--resubmit-victims` takes an optional value: alone (or before another option) it means the default.
  const args: string[] = [];
  argv.forEach((arg, i) => {
    args.push(arg);
    const next = argv[i + 1];
    if (arg === '--resubmit-victims' && (next === undefined || next.startsWith('--')))
      args.push(String(DEFAULT_RESUBMIT_S));
  });
  return parseCommandArgs(
    args,
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
          columns: { type: 'string' },
          scale: { type: 'string' },
          'preemptible-when': { type: 'string' },
          events: { type: 'string' },
          'resubmit-victims': { type: 'string' },
          threads: { type: 'string' },
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
      const mapping = <T>(raw: string | undefined, parse: (text: string) => T): T | undefined => {
        if (raw === undefined) return undefined;
        if (format !== undefined && format !== 'csv' && format !== 'jsonl') {
          throw new UsageError(
            '--columns, --scale and --preemptible-when apply to --format csv and jsonl only ' +
              `(the ${format} format maps its own columns)`,
          );
        }
        try {
          return parse(raw);
        } catch (error) {
          if (error instanceof TraceMappingError) throw new UsageError(error.message);
          throw error;
        }
      };
      let resubmit: number | undefined;
      const rawResubmit = v['resubmit-victims'];
      if (rawResubmit !== undefined) {
        resubmit = Number(rawResubmit);
        if (rawResubmit.trim() === '' || !Number.isFinite(resubmit) || resubmit < 0) {
          throw new UsageError(
            `--resubmit-victims: expected a delay in seconds >= 0, got "${rawResubmit}"`,
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
        columns: mapping(v.columns, parseColumnsOption),
        scale: mapping(v.scale, parseScaleOption),
        preemptibleWhen: mapping(v['preemptible-when'], parsePreemptibleWhen),
        events: v.events,
        resubmitVictimsS: resubmit,
        threads: integer(v.threads, '--threads', 1) ?? availableParallelism(),
      };
      return args;
    },
  );
}

/** The sha256 of a file, hex. */
async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The `--events` file: the first policy's events go straight into it, the
 * others' into `FILE.<n>.part` files appended (and removed) at the end, so
 * the log lists the policies one after the other, in order, in flat memory.
 */
class EventLog {
  private readonly streams: WriteStream[] = [];
  /** Parts written by worker threads (they open and close their own files). */
  private external = 0;

  constructor(private readonly path: string) {}

  /** The `n` policies' parts were written by worker threads. */
  expect(n: number): void {
    this.external = n;
  }

  /** Where policy `index`'s lines go (each policy calls it once). */
  partPath(index: number): string {
    return index === 0 ? this.path : `${this.path}.${index}.part`;
  }

  sink(index: number, name: string): (e: ReplayEvent) => void {
    const out = createWriteStream(this.partPath(index), { encoding: 'utf8' });
    this.streams[index] = out;
    return (e) => {
      out.write(formatEventLine(name, e));
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.streams.map((s) => finished(s.end())));
    const parts = Math.max(this.streams.length, this.external);
    for (let i = 1; i < parts; i++) {
      const part = this.partPath(i);
      await pipeline(createReadStream(part), createWriteStream(this.path, { flags: 'a' }));
      await rm(part, { force: true });
    }
  }
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
  // One logger per policy: a warning is printed once, whichever thread reports it.
  const loggers = new Map<string, Logger>();
  const loggerOf = (name: string): Logger => {
    let logger = loggers.get(name);
    if (logger === undefined) {
      logger = onceLogger(io.stderr, name);
      loggers.set(name, logger);
    }
    return logger;
  };
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
          logger: loggerOf(name),
        }),
      ),
    );
  }
  // Digests first: an opened trace starts streaming at once.
  const inputs: InputFile[] = [];
  const digest = async (role: InputFile['role'], file: string): Promise<void> => {
    try {
      inputs.push({ role, file, sha256: await sha256(resolve(io.cwd, file)) });
    } catch {
      // An unreadable file is reported where it is read.
    }
  };
  await digest('cloud', a.cloud);
  await digest('trace', a.trace);
  for (const p of policies) for (const file of p?.configFiles ?? []) await digest('config', file);
  const traceOptions: ReadTraceOptions = {
    name: a.trace,
    ...(a.format !== undefined ? { format: a.format } : {}),
    ...(a.memoryUnit !== undefined ? { memoryUnit: a.memoryUnit } : {}),
    timeUnit: a.timeUnit,
    cpuRounding: a.cpuRounding,
    ...(a.preemptibleFraction !== undefined ? { preemptibleFraction: a.preemptibleFraction } : {}),
    seed: a.seed,
    strict: a.strict,
    reorderWindow: a.reorderWindow,
    ...(a.limit !== undefined ? { limit: a.limit } : {}),
    ...(a.columns !== undefined ? { columns: a.columns } : {}),
    ...(a.scale !== undefined ? { scale: a.scale } : {}),
    ...(a.preemptibleWhen !== undefined ? { preemptibleWhen: a.preemptibleWhen } : {}),
  };
  const tracePath = resolve(io.cwd, a.trace);
  const trace: TraceReader | undefined = await attempt(() => openTrace(tracePath, traceOptions));
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
        // With --limit the rows to replay are known: count them, not the bytes of the file.
        fraction: () =>
          a.limit !== undefined
            ? trace.rows / a.limit
            : trace.size !== undefined && trace.size > 0
              ? trace.bytesRead / trace.size
              : undefined,
      });
  if (a.events !== undefined) {
    try {
      await writeFile(resolve(io.cwd, a.events), '');
    } catch (error) {
      trace.close();
      io.stderr.write(
        `opie simulate: --events ${a.events}: cannot write the file: ${(error as Error).message}\n`,
      );
      return EXIT_FAILURE;
    }
  }
  const events = a.events !== undefined ? new EventLog(resolve(io.cwd, a.events)) : undefined;
  let last: SimulationProgress = { rows: 0, events: 0 };
  let result;
  try {
    const common = {
      cloud,
      seed: a.seed,
      startMs: a.start ?? cloud.now ?? 0,
      sampleIntervalS: a.sampleIntervalS,
      billingPeriodS: a.billingPeriodS,
      drain: a.drain,
      ...(a.resubmitVictimsS !== undefined ? { resubmitVictimsS: a.resubmitVictimsS } : {}),
      provenance: {
        cloudFile: a.cloud,
        tool: `opie simulate (@opie/simulator ${simulatorVersion()})`,
        inputs,
      },
      onProgress: (p: SimulationProgress) => {
        last = p;
        progress?.update(p);
      },
    };
    if (ready.length > 1 && a.threads > 1) {
      // Each policy in its own worker thread, reading the trace itself.
      trace.close();
      result = await simulateInWorkers({
        ...common,
        policies: ready.map((p, i) => ({
          name: p.name,
          paths: [a.configs[i] ?? ''],
          cwd: io.cwd,
        })),
        trace: { path: tracePath, options: traceOptions },
        threads: a.threads,
        ...(events !== undefined ? { eventsFile: (i: number) => events.partPath(i) } : {}),
        onWarning: (policy, message) => loggerOf(policy).warn(message),
      });
      events?.expect(ready.length);
    } else {
      result = await simulate({
        ...common,
        policies: ready,
        trace,
        ...(events !== undefined
          ? { onEvent: (i: number, name: string) => events.sink(i, name) }
          : {}),
      });
    }
  } catch (error) {
    await events?.close();
    if (!isInputError(error)) throw error;
    if (sink.isTTY === true && !a.quiet) io.stderr.write('\n');
    io.stderr.write(`${error.message}\n`);
    return EXIT_FAILURE;
  }
  progress?.done(last);
  if (events !== undefined) {
    await events.close();
    io.stderr.write(`opie simulate: wrote ${a.events}\n`);
  }
  for (const p of result.policies) {
    for (const w of p.warnings) io.stderr.write(`opie simulate: warning (${p.name}): ${w}\n`);
    const more = p.duplicateLiveIds - p.warnings.length;
    if (more > 0) {
      io.stderr.write(
        `opie simulate: warning (${p.name}): ${more} more row${more === 1 ? '' : 's'} with an id still live\n`,
      );
    }
  }
  for (const w of result.warnings) io.stderr.write(`opie simulate: warning: ${w}\n`);

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
