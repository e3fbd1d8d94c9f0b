import {
  ConfigError,
  createRuntime,
  InvalidInputError,
  isPreemptibleRequest,
  MemoryNotifier,
  NoValidHostError,
  RecordingComputePort,
  seededRandom,
} from '@opie/core';
import type {
  Scheduler,
  HostView,
  InstanceExplanation,
  Logger,
  RequestSpec,
  SchedulingResult,
} from '@opie/core';
import { parseCloud, parseRequest, parseTime } from '@opie/cloud';
import type { CloudSnapshot } from '@opie/cloud';
import { SchedulingFailure } from '@opie/filter-scheduler';
import { InMemoryHostSource } from '@opie/host-manager';
import { loadScheduler } from '@opie/loader';
import type { LoadedScheduler } from '@opie/loader';
import { scheduleJson } from '../format/schedule-json.js';
import type { NowSource, ScheduleReport } from '../format/schedule-report.js';
import { formatScheduleText } from '../format/schedule-text.js';
import { EXIT_FAILURE, EXIT_OK } from '../io.js';
import type { CliIo, TextSink } from '../io.js';
import { parseCommandArgs, UsageError } from './parse-command-args.js';
import type { CommandArgs } from './parse-command-args.js';
import { readJsonInput } from './read-json-input.js';

export const SCHEDULE_USAGE = `Usage: opie schedule --config FILE [--config FILE...] --cloud FILE --request FILE
                     [--json] [--seed N] [--now TIME] [--all-hosts]

Run one scheduling decision as a dry run and explain it: the request, the
destinations with their limits, the preemptible instances that would be
terminated and why, and for every instance every host: the filter that
removed it, or its weight, rank and each weigher's part. Nothing is
terminated and the cloud file is not modified.

Options:
  --config FILE   a nova.conf file (repeat: later files win)
  --cloud FILE    the cloud: nodes, services, aggregates, instances (JSON)
  --request FILE  the request to place (JSON)
  --json          one JSON document instead of text
  --seed N        seed of the random source (host_subset_size > 1); default 0
  --now TIME      the clock (ISO 8601 or epoch ms); default: the cloud's
                  "now", else the wall clock
  --all-hosts     list every host even in clouds of more than 50 hosts
  -h, --help      show this help

Exit status: 0 placed; 1 no valid host, or a bad configuration, cloud or
request; 2 bad usage.
`;

interface ScheduleArgs {
  configs: string[];
  cloud: string;
  request: string;
  json: boolean;
  seed: number;
  now: number | undefined;
  allHosts: boolean;
}

/** The driver methods a dry run needs: plan, then execute (FilterScheduler has them). */
/** The arguments, or the exit status of a help request or usage error (written to `io`). */
function parseScheduleArgs(args: readonly string[], io: CliIo): CommandArgs<ScheduleArgs> {
  return parseCommandArgs(
    args,
    io,
    {
      command: 'schedule',
      usage: SCHEDULE_USAGE,
      config: {
        options: {
          config: { type: 'string', multiple: true },
          cloud: { type: 'string' },
          request: { type: 'string' },
          json: { type: 'boolean' },
          seed: { type: 'string' },
          now: { type: 'string' },
          'all-hosts': { type: 'boolean' },
        },
        allowPositionals: false,
      },
      required: ['config', 'cloud', 'request'],
    },
    ({ values: v }): ScheduleArgs => {
      let seed = 0;
      if (v.seed !== undefined) {
        seed = Number(v.seed);
        if (!/^-?\d+$/.test(v.seed.trim()) || !Number.isSafeInteger(seed)) {
          throw new UsageError(`--seed: expected an integer, got "${v.seed}"`);
        }
      }
      let now: number | undefined;
      if (v.now !== undefined) {
        const asNumber = /^-?\d+$/.test(v.now.trim()) ? Number(v.now) : undefined;
        now = parseTime(asNumber ?? v.now);
        if (now === undefined) {
          throw new UsageError(
            `--now: expected an ISO 8601 time (2024-03-05T12:00:00Z) or epoch milliseconds, got "${v.now}"`,
          );
        }
      }
      return {
        configs: v.config ?? [],
        cloud: v.cloud ?? '',
        request: v.request ?? '',
        json: v.json === true,
        seed,
        now,
        allHosts: v['all-hosts'] === true,
      };
    },
  );
}

/** Warnings and errors of the scheduler's plugins, on stderr. */
function stderrLogger(stderr: TextSink): Logger {
  const write = (message: string, fields?: Record<string, unknown>): void => {
    const extra = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
    stderr.write(`opie schedule: warning: ${message}${extra}\n`);
  };
  return { debug: () => undefined, info: () => undefined, warn: write, error: write };
}

/** Runs `make`; an input or configuration error is recorded instead of thrown. */
async function collect<T>(errors: string[], make: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await make();
  } catch (error) {
    if (InvalidInputError.isInstance(error) || ConfigError.isInstance(error)) {
      errors.push(error.message);
      return undefined;
    }
    throw error;
  }
}

interface Decision {
  result?: SchedulingResult;
  error?: NoValidHostError;
  explanation: readonly InstanceExplanation[];
}

/** One decision, plan then execute (a dry run: the compute port only records). */
async function decide(driver: Scheduler, spec: RequestSpec): Promise<Decision> {
  try {
    const plan = driver.plan(spec);
    await driver.execute(plan);
    return { result: plan.result, explanation: plan.result.explanation };
  } catch (error) {
    if (!NoValidHostError.isInstance(error)) throw error;
    const explanation = SchedulingFailure.isInstance(error) ? error.explanation : [];
    return { error, explanation };
  }
}

function viewOf(driver: Scheduler, decision: Decision, preemptible: boolean): HostView {
  const first = decision.explanation[0];
  if (first !== undefined) return first.view;
  const preempts = driver.preemption;
  return preempts && !preemptible ? 'free' : 'full';
}

/**
 * `opie schedule`: loads the scheduler from nova.conf files, the cloud and
 * the request from JSON files, and runs one explained decision as a dry run.
 */
export async function schedule(args: readonly string[], io: CliIo): Promise<number> {
  const outcome = parseScheduleArgs(args, io);
  if (!outcome.ok) return outcome.exit;
  const parsed = outcome.args;

  // Every problem of the three inputs is reported in one go.
  const errors: string[] = [];
  const cloud: CloudSnapshot | undefined = await collect(errors, async () =>
    parseCloud(await readJsonInput(parsed.cloud, 'cloud file', io.cwd), {
      source: `cloud file ${parsed.cloud}`,
    }),
  );
  const requestJson = await collect(errors, () =>
    readJsonInput(parsed.request, 'request file', io.cwd),
  );
  const spec =
    cloud === undefined || requestJson === undefined
      ? undefined
      : await collect(errors, () =>
          parseRequest(requestJson, cloud, { source: `request file ${parsed.request}` }),
        );

  const nowFrom: NowSource =
    parsed.now !== undefined ? 'option' : cloud?.now !== undefined ? 'cloud' : 'clock';
  const now = parsed.now ?? cloud?.now ?? Date.now();
  const compute = new RecordingComputePort();
  const loaded: LoadedScheduler | undefined = await collect(errors, () =>
    loadScheduler({
      paths: parsed.configs,
      cwd: io.cwd,
      runtime: createRuntime({
        now: () => now,
        random: seededRandom(parsed.seed),
        logger: stderrLogger(io.stderr),
      }),
      compute,
      notifier: new MemoryNotifier(),
      explain: true,
    }),
  );
  if (errors.length > 0 || cloud === undefined || spec === undefined || loaded === undefined) {
    io.stderr.write(`${errors.join('\n')}\n`);
    return EXIT_FAILURE;
  }
  for (const warning of cloud.warnings) io.stderr.write(`opie schedule: warning: ${warning}\n`);
  const nWarnings = loaded.config.warnings.length;
  if (nWarnings > 0) {
    io.stderr.write(
      `opie schedule: the configuration has ${nWarnings} warning${nWarnings === 1 ? '' : 's'} (opie config show lists them)\n`,
    );
  }

  const { hostManager, driver } = loaded;
  const source = await collect(
    errors,
    () =>
      new InMemoryHostSource({
        nodes: cloud.nodes,
        services: cloud.services,
        aggregates: cloud.aggregates,
        instances: cloud.instances,
      }),
  );
  if (source === undefined) {
    io.stderr.write(`${errors.join('\n')}\n`);
    return EXIT_FAILURE;
  }
  hostManager.setSource(source);

  const preemptible = isPreemptibleRequest(spec);
  const decision = await decide(driver, spec);
  const report: ScheduleReport = {
    configFiles: parsed.configs,
    cloudFile: parsed.cloud,
    requestFile: parsed.request,
    driver: loaded.config.driver.classPath,
    filters: loaded.filters.map((f) => f.name),
    spec,
    preemptible,
    view: viewOf(driver, decision, preemptible),
    now,
    nowFrom,
    seed: parsed.seed,
    explanation: decision.explanation,
    orders: compute.orders,
    ...(decision.result !== undefined ? { result: decision.result } : {}),
    ...(decision.error !== undefined ? { error: decision.error } : {}),
  };

  if (parsed.json) {
    io.stdout.write(`${JSON.stringify(scheduleJson(report), null, 2)}\n`);
  } else {
    io.stdout.write(formatScheduleText(report, { allHosts: parsed.allHosts }));
  }
  if (decision.error !== undefined) {
    io.stderr.write(`opie schedule: ${decision.error.message}\n`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}
