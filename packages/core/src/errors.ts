/**
 * The opie error family. One base class carrying a `code`; callers branch on
 * the subclasses (or on `code`), never on message text.
 *
 * `isInstance` uses a `Symbol.for` marker so it works across duplicated copies
 * of this package in one process (two versions installed side by side).
 */
const MARKER = Symbol.for('@opie/core.error');

export type OpieErrorCode =
  | 'NO_VALID_HOST'
  | 'CLASS_NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'FILTER_NOT_FOUND'
  | 'METRIC_NOT_FOUND'
  | 'UNSUPPORTED_POLICY'
  | 'INVALID_INPUT'
  | 'COMPUTE_ACTION_FAILED'
  | 'PLUGIN_FAILED'
  | 'INVALID_ARGUMENT';

export class OpieError extends Error {
  readonly [MARKER] = true;
  readonly code: OpieErrorCode;

  constructor(code: OpieErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'OpieError';
  }

  static isInstance(value: unknown): value is OpieError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** @see nova/exception.py NoValidHost: "No valid host was found. <reason>" */
export class NoValidHostError extends OpieError {
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super('NO_VALID_HOST', `No valid host was found. ${reason}`, options);
    this.name = 'NoValidHostError';
    this.reason = reason;
  }
  static override isInstance(value: unknown): value is NoValidHostError {
    return OpieError.isInstance(value) && value.code === 'NO_VALID_HOST';
  }
}

/** @see nova/exception.py ClassNotFound: "Class <name> could not be found: <why>" */
export class ClassNotFoundError extends OpieError {
  readonly className: string;
  /** The nearest known names, best first. */
  readonly suggestions: readonly string[];
  constructor(className: string, why: string, suggestions: readonly string[] = []) {
    const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(', ')}?` : '';
    super('CLASS_NOT_FOUND', `Class ${className} could not be found: ${why}.${hint}`);
    this.name = 'ClassNotFoundError';
    this.className = className;
    this.suggestions = suggestions;
  }
  static override isInstance(value: unknown): value is ClassNotFoundError {
    return OpieError.isInstance(value) && value.code === 'CLASS_NOT_FOUND';
  }
}

/** Where a configuration problem is. Every field is optional: say what is known. */
export interface ConfigLocation {
  /** File path as given by the user. */
  file?: string;
  /** 1-based line number in `file`. */
  line?: number;
  /** Section (oslo "group") name, e.g. `DEFAULT` or `filter_scheduler`. */
  section?: string;
  /** Option name within the section. */
  key?: string;
}

export interface ConfigIssue extends ConfigLocation {
  /** What is wrong. */
  message: string;
  /** What would fix it. */
  hint?: string;
}

/** Formats one issue as `file:line [section] key: message (hint)`. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where: string[] = [];
  if (issue.file !== undefined) {
    where.push(issue.line !== undefined ? `${issue.file}:${issue.line}` : issue.file);
  } else if (issue.line !== undefined) {
    where.push(`line ${issue.line}`);
  }
  if (issue.section !== undefined) where.push(`[${issue.section}]`);
  if (issue.key !== undefined) where.push(issue.key);
  const head = where.length > 0 ? `${where.join(' ')}: ` : '';
  const hint = issue.hint !== undefined ? `\n    hint: ${issue.hint}` : '';
  return `${head}${issue.message}${hint}`;
}

/**
 * Every problem found in a configuration, collected before failing.
 * The message lists each issue on its own line.
 */
export class ConfigError extends OpieError {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    const n = issues.length;
    const lines = issues.map((i) => `  - ${formatConfigIssue(i)}`);
    super(
      'CONFIG_INVALID',
      `Invalid configuration (${n} problem${n === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      options,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
  static override isInstance(value: unknown): value is ConfigError {
    return OpieError.isInstance(value) && value.code === 'CONFIG_INVALID';
  }
}

/** @see nova/exception.py SchedulerHostFilterNotFound */
export class FilterNotFoundError extends OpieError {
  readonly names: readonly string[];
  constructor(names: readonly string[], suggestions: readonly string[] = []) {
    const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(', ')}?` : '';
    super(
      'FILTER_NOT_FOUND',
      `Scheduler Host Filter ${names.join(', ')} could not be found.${hint}`,
    );
    this.name = 'FilterNotFoundError';
    this.names = names;
  }
}

/** @see nova/exception.py ComputeHostMetricNotFound */
export class MetricNotFoundError extends OpieError {
  constructor(name: string, host: string, node: string) {
    super(
      'METRIC_NOT_FOUND',
      `Metric ${name} could not be found on the compute host node ${host}.${node}.`,
    );
    this.name = 'MetricNotFoundError';
  }
}

/** @see nova/exception.py UnsupportedPolicyException */
export class UnsupportedPolicyError extends OpieError {
  constructor(reason: string) {
    super('UNSUPPORTED_POLICY', `ServerGroup policy is not supported: ${reason}`);
    this.name = 'UnsupportedPolicyError';
  }
}

/** One problem in a JSON document (a cloud file, a request, an API body). */
export interface InputIssue {
  /** JSON path, e.g. `$.nodes[3].memory_mb`. */
  path: string;
  message: string;
}

/** Bad input data, with every problem located by JSON path. */
export class InvalidInputError extends OpieError {
  readonly source: string;
  readonly issues: readonly InputIssue[];
  constructor(source: string, issues: readonly InputIssue[]) {
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}`);
    super('INVALID_INPUT', `Invalid ${source}:\n${lines.join('\n')}`);
    this.name = 'InvalidInputError';
    this.source = source;
    this.issues = issues;
  }
}

/**
 * A plugin (filter, weigher, victim weigher) threw: the error names the
 * plugin and the stage, and keeps the plugin's own error as `cause`, as the
 * Kubernetes scheduler framework wraps a failing plugin's status.
 */
export class PluginFailedError extends OpieError {
  readonly plugin: string;
  readonly stage: string;
  constructor(plugin: string, stage: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('PLUGIN_FAILED', `${stage} plugin ${plugin} failed: ${detail}`, { cause });
    this.name = 'PluginFailedError';
    this.plugin = plugin;
    this.stage = stage;
  }
}

/**
 * A library call got a bad argument: names the parameter (a dotted path such
 * as `spec.flavor.memoryMb`), the value and what would be accepted.
 */
export class InvalidArgumentError extends OpieError {
  readonly parameter: string;
  readonly value: unknown;
  constructor(parameter: string, value: unknown, expected: string) {
    super('INVALID_ARGUMENT', `Invalid ${parameter}: ${describe(value)}; expected ${expected}`);
    this.name = 'InvalidArgumentError';
    this.parameter = parameter;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
