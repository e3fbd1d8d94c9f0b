import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import {
  ConfigError,
  MemoryNotifier,
  RecordingComputePort,
  createRuntime,
  isScheduler,
  isSourcedHostManager,
} from '@opie/core';
import type {
  Scheduler,
  SourcedHostManager,
  ComputePort,
  ConfigIssue,
  HostFilter,
  HostWeigher,
  NotificationPort,
  OptionSource,
  PluginContext,
  Runtime,
  VictimWeigher,
} from '@opie/core';
import { createBuiltinRegistry } from './builtin-registry.js';
import { parseOsloIni } from './oslo-ini.js';
import { pluginModulesOption } from './options.js';
import { configDir, importPluginModules } from './plugin-modules.js';
import type { PluginModuleRequest } from './plugin-modules.js';
import type { PluginRegistry } from './registry.js';
import { OptionResolver } from './resolve.js';
import { resolveSchedulerConfig } from './resolve-scheduler-config.js';
import type { ConfigFile, SchedulerConfig } from './scheduler-config.js';

export interface LoadSchedulerConfigOptions {
  /** Config texts, in order. Read before `paths`. */
  files?: readonly ConfigFile[];
  /** Config files to read (relative to `cwd`), in order. */
  paths?: readonly string[];
  /** Defaults to `createBuiltinRegistry()`. Never modified: plugin modules extend a copy. */
  registry?: PluginRegistry;
  /** Base of relative `paths` and of files' relative plugin modules; defaults to `process.cwd()`. */
  cwd?: string;
}

export interface LoadSchedulerOptions extends LoadSchedulerConfigOptions {
  /** Clock, random source, logger; defaults to `createRuntime()`. */
  runtime?: Runtime;
  /** Defaults to a `RecordingComputePort`. */
  compute?: ComputePort;
  /** Defaults to a `MemoryNotifier`. */
  notifier?: NotificationPort;
  /** Ask the driver to explain every decision (passed in its `DriverContext`); default false. */
  explain?: boolean;
}

/** A wired scheduler and the configuration it was built from. */
/**
 * What an application holds: the `Scheduler` (plan, execute, explain) and
 * the host manager to feed (`setSource`), with what they were built from.
 */
export interface LoadedScheduler {
  driver: Scheduler;
  hostManager: SourcedHostManager;
  /** In `enabled_filters` order; a name listed twice is the same instance twice. */
  filters: HostFilter[];
  /** One instance per entry (groups expanded). */
  weighers: HostWeigher[];
  /** One per `[preemptible_instances_scheduler] weight_classes` entry; empty unless the driver prices victims. */
  victimWeighers: VictimWeigher[];
  config: SchedulerConfig;
  runtime: Runtime;
  compute: ComputePort;
  notifier: NotificationPort;
}

async function readConfigFiles(
  options: LoadSchedulerConfigOptions,
  cwd: string,
  issues: ConfigIssue[],
): Promise<ConfigFile[]> {
  const files: ConfigFile[] = [...(options.files ?? [])];
  for (const path of options.paths ?? []) {
    try {
      files.push({ path, text: await readFile(resolvePath(cwd, path), 'utf8') });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      issues.push({ file: path, message: `cannot read the config file: ${why}` });
    }
  }
  return files;
}

/** The `[opie] plugin_modules` entries of the files, each with its base directory. */
function pluginModuleRequests(
  files: readonly ConfigFile[],
  registry: PluginRegistry,
  cwd: string,
): PluginModuleRequest[] {
  const resolver = new OptionResolver(
    files.map((f) => parseOsloIni(f.text, f.path)),
    registry.options(),
  );
  const option = resolver.resolve(pluginModulesOption);
  const list = Array.isArray(option.value) ? option.value : [];
  const source: OptionSource = option.source;
  const baseDir = source.kind === 'file' ? configDir(source.file, cwd) : cwd;
  return list
    .filter((specifier) => specifier !== '')
    .map((specifier) => ({ specifier, source, baseDir }));
}

function mergeErrors(issues: readonly ConfigIssue[], error: unknown): never {
  if (ConfigError.isInstance(error)) throw new ConfigError([...issues, ...error.issues]);
  if (issues.length > 0) throw new ConfigError(issues, { cause: error });
  throw error;
}

/**
 * Reads the files, imports `[opie] plugin_modules` (into a copy of the
 * registry) and resolves the configuration without creating any plugin.
 * Throws one `ConfigError` with every problem.
 */
export async function loadSchedulerConfig(
  options: LoadSchedulerConfigOptions = {},
): Promise<SchedulerConfig> {
  const cwd = options.cwd ?? process.cwd();
  const issues: ConfigIssue[] = [];
  const files = await readConfigFiles(options, cwd, issues);
  // Without every file the rest would be judged on a partial configuration.
  if (issues.length > 0) throw new ConfigError(issues);
  let registry = options.registry ?? createBuiltinRegistry();
  const requests = pluginModuleRequests(files, registry, cwd);
  if (requests.length > 0) {
    registry = registry.clone();
    issues.push(...(await importPluginModules(requests, registry)));
  }
  let config: SchedulerConfig;
  try {
    config = resolveSchedulerConfig({ files, registry });
  } catch (error) {
    mergeErrors(issues, error);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function at(
  source: OptionSource,
  fallback: { section: string; key: string },
): Omit<ConfigIssue, 'message'> {
  if (source.kind === 'default') return fallback;
  return { file: source.file, line: source.line, section: source.section, key: source.name };
}

/** An issue naming an option by section and key, placed at that option's line. */
function locate(issue: ConfigIssue, config: SchedulerConfig): ConfigIssue | undefined {
  if (issue.file !== undefined || issue.section === undefined || issue.key === undefined) {
    return undefined;
  }
  const option = config.options.find((o) => o.group === issue.section && o.name === issue.key);
  if (option === undefined) return undefined;
  return { ...issue, ...at(option.source, { section: option.group, key: option.name }) };
}

/**
 * Builds a scheduler from nova.conf: resolves the configuration, then calls
 * each plugin's `create()` (host manager, filters, weighers, then the driver
 * with its collaborators). Factory failures are reported as config problems.
 * @see nova/scheduler/manager.py SchedulerManager.__init__
 */
export async function loadScheduler(options: LoadSchedulerOptions = {}): Promise<LoadedScheduler> {
  const config = await loadSchedulerConfig(options);
  const runtime = options.runtime ?? createRuntime();
  const compute = options.compute ?? new RecordingComputePort();
  const notifier = options.notifier ?? new MemoryNotifier();
  const ctx: PluginContext = { conf: config.values, runtime };
  const issues: ConfigIssue[] = [];

  const attempt = <T>(
    what: string,
    source: OptionSource,
    fallback: { section: string; key: string },
    make: () => T,
  ): T | undefined => {
    try {
      return make();
    } catch (error) {
      if (ConfigError.isInstance(error)) {
        // A factory that validates its options reports them by section and key.
        for (const issue of error.issues)
          issues.push(locate(issue, config) ?? { ...at(source, fallback), ...issue });
      } else {
        issues.push({
          ...at(source, fallback),
          message: `cannot create ${what}: ${describe(error)}`,
        });
      }
      return undefined;
    }
  };

  const hostManager = attempt(
    config.hostManager.classPath,
    config.hostManager.source,
    { section: 'scheduler', key: 'host_manager' },
    () => config.hostManager.plugin.create(ctx),
  );

  // One filter instance per class name, reused where a name is listed twice (nova).
  const instances = new Map<string, HostFilter | undefined>();
  const filters: HostFilter[] = [];
  for (const f of config.filters) {
    if (!instances.has(f.name)) {
      instances.set(
        f.name,
        attempt(
          f.classPath,
          f.source,
          { section: 'filter_scheduler', key: 'enabled_filters' },
          () => f.plugin.create(ctx),
        ),
      );
    }
    const filter = instances.get(f.name);
    if (filter !== undefined) filters.push(filter);
  }

  const weighers: HostWeigher[] = [];
  for (const w of config.weighers) {
    const weigher = attempt(
      w.classPath,
      w.source,
      { section: 'filter_scheduler', key: 'weight_classes' },
      () => w.plugin.create(ctx),
    );
    if (weigher !== undefined) weighers.push(weigher);
  }

  const victimWeighers: VictimWeigher[] = [];
  for (const w of config.victimWeighers) {
    const weigher = attempt(
      w.classPath,
      w.source,
      { section: 'preemptible_instances_scheduler', key: 'weight_classes' },
      () => w.plugin.create(ctx),
    );
    if (weigher !== undefined) victimWeighers.push(weigher);
  }

  if (hostManager !== undefined && !isSourcedHostManager(hostManager)) {
    issues.push({
      ...at(config.hostManager.source, { section: 'scheduler', key: 'host_manager' }),
      message: `${config.hostManager.classPath} cannot be fed hosts: it has no setSource()`,
      hint: "a host manager must implement @opie/core's SourcedHostManager (HostManager does)",
    });
  }
  if (hostManager === undefined || !isSourcedHostManager(hostManager) || issues.length > 0) {
    throw new ConfigError(issues);
  }

  const driver = attempt(
    config.driver.classPath,
    config.driver.source,
    { section: 'scheduler', key: 'driver' },
    () =>
      config.driver.plugin.create({
        ...ctx,
        hostManager,
        filters,
        weighers,
        ...(config.driver.plugin.usesVictimWeighers === true ? { victimWeighers } : {}),
        compute,
        notifier,
        ...(options.explain !== undefined ? { explain: options.explain } : {}),
      }),
  );
  if (driver !== undefined && !isScheduler(driver)) {
    const d = driver as Partial<Scheduler>;
    const missing = (['plan', 'execute', 'selectDestinations'] as const).filter(
      (m) => typeof d[m] !== 'function',
    );
    issues.push({
      ...at(config.driver.source, { section: 'scheduler', key: 'driver' }),
      message: `${config.driver.classPath} cannot be driven: it has no ${missing.map((m) => `${m}()`).join(', ')}`,
      hint: "a driver must implement @opie/core's Scheduler: plan, execute and selectDestinations (FilterScheduler does)",
    });
  }
  if (driver === undefined || !isScheduler(driver)) throw new ConfigError(issues);

  return {
    driver,
    hostManager,
    filters,
    weighers,
    victimWeighers,
    config,
    runtime,
    compute,
    notifier,
  };
}
