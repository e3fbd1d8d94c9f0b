import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { InvalidInputError, ConfigError } from '@opie/core';
import type { ConfigIssue, InputIssue, Logger } from '@opie/core';
import { loadPolicy } from './load-policy.js';
import { openTrace } from './read-trace.js';
import type { ReadTraceOptions } from './read-trace.js';
import { ReplayEngine } from './replay-engine.js';
import type { ReplaySettings } from './replay-engine.js';
import { formatEventLine } from './replay-event.js';
import type { BadRow } from './bad-row.js';
import type { CloudRecords } from './simulated-cloud.js';
import type { PolicyResult } from './simulation-result.js';
import type { TraceFormatName } from './trace-format.js';

/** One policy's replay, as plain data a worker thread can be given. */
export interface PolicyJob {
  policy: {
    name: string;
    /** nova.conf files (later files win). */
    paths: string[];
    cwd?: string;
    seed: number;
  };
  cloud: CloudRecords;
  trace: { path: string; options: ReadTraceOptions };
  settings: ReplaySettings;
  drain: boolean;
  /** Write this policy's events there as JSON Lines. */
  eventsFile?: string;
  /** Progress every this many rows. */
  progressEvery: number;
}

/** What a policy job gives back. */
export interface PolicyJobOutcome {
  result: PolicyResult;
  options: Record<string, string> | undefined;
  spanS: number;
  rows: number;
  firstArrivalS: number | null;
  lastArrivalS: number | null;
  trace: { file: string; format: TraceFormatName; badRows: number; firstBadRows: BadRow[] };
}

/** What a job reports while it runs. */
export type PolicyJobMessage =
  | { type: 'progress'; rows: number; events: number }
  | { type: 'warning'; message: string }
  | { type: 'done'; outcome: PolicyJobOutcome }
  | { type: 'error'; error: SerializedError };

/** An error that crosses a thread boundary and comes back as the same class. */
export type SerializedError =
  | { kind: 'input'; source: string; issues: InputIssue[] }
  | { kind: 'config'; issues: ConfigIssue[] }
  | { kind: 'other'; message: string; stack?: string };

export function serializeError(error: unknown): SerializedError {
  if (InvalidInputError.isInstance(error)) {
    const e = error as InvalidInputError;
    return { kind: 'input', source: e.source, issues: [...e.issues] };
  }
  if (ConfigError.isInstance(error)) return { kind: 'config', issues: [...error.issues] };
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    kind: 'other',
    message: e.message,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
  };
}

export function deserializeError(error: SerializedError): Error {
  if (error.kind === 'input') return new InvalidInputError(error.source, error.issues);
  if (error.kind === 'config') return new ConfigError(error.issues);
  const e = new Error(error.message);
  if (error.stack !== undefined) e.stack = error.stack;
  return e;
}

/**
 * Replays one policy from plain data: loads it from its nova.conf files,
 * opens the trace itself, replays every row and returns the figures. The
 * same code runs in a worker thread and in this one, so the figures are
 * identical either way.
 */
export async function runPolicyJob(
  job: PolicyJob,
  post: (message: PolicyJobMessage) => void,
): Promise<PolicyJobOutcome> {
  const seen = new Set<string>();
  const warn = (message: string): void => {
    if (seen.has(message)) return;
    seen.add(message);
    post({ type: 'warning', message });
  };
  const logger: Logger = { debug: () => undefined, info: () => undefined, warn, error: warn };
  const policy = await loadPolicy({
    paths: job.policy.paths,
    name: job.policy.name,
    seed: job.policy.seed,
    logger,
    ...(job.policy.cwd !== undefined ? { cwd: job.policy.cwd } : {}),
  });
  const reader = await openTrace(job.trace.path, job.trace.options);
  const out = job.eventsFile !== undefined ? createWriteStream(job.eventsFile, 'utf8') : undefined;
  const engine = new ReplayEngine(
    policy,
    job.cloud,
    job.settings,
    out !== undefined ? { onEvent: (e) => out.write(formatEventLine(policy.name, e)) } : {},
  );
  let rows = 0;
  let first: number | null = null;
  let last: number | null = null;
  const every = Math.max(1, job.progressEvery);
  try {
    for await (const row of reader) {
      if (first === null) first = row.arrival;
      last = row.arrival;
      engine.arrive(row);
      rows += 1;
      if (rows % every === 0) post({ type: 'progress', rows, events: engine.events });
    }
  } finally {
    if (out !== undefined) await finished(out.end());
  }
  const result = engine.finish(job.drain);
  post({ type: 'progress', rows, events: engine.events });
  return {
    result,
    options: policy.options,
    spanS: engine.spanS,
    rows,
    firstArrivalS: first,
    lastArrivalS: last,
    trace: {
      file: reader.file,
      format: reader.format,
      badRows: reader.badRows.count,
      firstBadRows: reader.badRows.first.slice(),
    },
  };
}
