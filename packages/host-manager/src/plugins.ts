import type { ConfigIssue, HostManagerPlugin, OptionSpec, PluginContext } from '@opie/core';
import { ConfigError, novaVersionOf, novaVersionOption } from '@opie/core';
import { HostManager } from './host-manager.js';
import type { HostSource } from './host-source.js';
import { InMemoryHostSource } from './in-memory-host-source.js';

/** `[DEFAULT] cpu_allocation_ratio`. */
export const cpuAllocationRatioOption: OptionSpec = {
  group: 'DEFAULT',
  name: 'cpu_allocation_ratio',
  type: 'float',
  default: 0.0,
  help:
    'Virtual CPU to physical CPU allocation ratio. 0.0 uses the value stored on each ' +
    'compute node, else 16.0.',
};

/** `[DEFAULT] ram_allocation_ratio`. */
export const ramAllocationRatioOption: OptionSpec = {
  group: 'DEFAULT',
  name: 'ram_allocation_ratio',
  type: 'float',
  default: 0.0,
  help:
    'Virtual RAM to physical RAM allocation ratio. 0.0 uses the value stored on each ' +
    'compute node, else 1.5.',
};

/** `[DEFAULT] disk_allocation_ratio`. */
export const diskAllocationRatioOption: OptionSpec = {
  group: 'DEFAULT',
  name: 'disk_allocation_ratio',
  type: 'float',
  default: 1.0,
  help: 'Virtual disk to physical disk allocation ratio (used when a node stores none).',
};

/** `[DEFAULT] reserved_host_memory_mb` (compute side; informational here). */
export const reservedHostMemoryMbOption: OptionSpec = {
  group: 'DEFAULT',
  name: 'reserved_host_memory_mb',
  type: 'int',
  default: 512,
  help: 'Memory in MB reserved for the host; compute records count it as used.',
};

/** `[DEFAULT] reserved_host_disk_mb` (compute side; informational here). */
export const reservedHostDiskMbOption: OptionSpec = {
  group: 'DEFAULT',
  name: 'reserved_host_disk_mb',
  type: 'int',
  default: 0,
  help: 'Disk in MB reserved for the host; compute records count reserved_host_disk_mb // 1024 GB as used.',
};

/** `[filter_scheduler] track_instance_changes` (Liberty `[DEFAULT] scheduler_tracks_instance_changes`). */
export const trackInstanceChangesOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'track_instance_changes',
  type: 'bool',
  default: true,
  help: 'Whether the host manager accepts instance updates pushed by computes.',
  deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_tracks_instance_changes' }],
};

/** Every nova.conf option the host manager plugins own. */
export const hostManagerOptions: readonly OptionSpec[] = [
  cpuAllocationRatioOption,
  ramAllocationRatioOption,
  diskAllocationRatioOption,
  reservedHostMemoryMbOption,
  reservedHostDiskMbOption,
  trackInstanceChangesOption,
  novaVersionOption,
];

const RATIO_OPTIONS = [
  cpuAllocationRatioOption,
  ramAllocationRatioOption,
  diskAllocationRatioOption,
];

/**
 * Builds a HostManager from configuration, over `source`. Ratios must be
 * numbers >= 0; every bad one is reported in one ConfigError.
 */
export function hostManagerFromConf(ctx: PluginContext, source: HostSource): HostManager {
  const issues: ConfigIssue[] = [];
  const ratios = RATIO_OPTIONS.map((opt) => {
    const value = ctx.conf.float(opt.group, opt.name);
    if (!(value >= 0)) {
      issues.push({
        section: opt.group,
        key: opt.name,
        message: `must be a number >= 0, got ${String(value)}`,
      });
    }
    return value;
  });
  if (issues.length > 0) throw new ConfigError(issues);
  const [cpuAllocationRatio, ramAllocationRatio, diskAllocationRatio] = ratios;
  return new HostManager({
    source,
    runtime: ctx.runtime,
    cpuAllocationRatio,
    ramAllocationRatio,
    diskAllocationRatio,
    trackInstanceChanges: ctx.conf.bool(
      trackInstanceChangesOption.group,
      trackInstanceChangesOption.name,
    ),
    novaVersion: novaVersionOf(ctx.conf),
  });
}

/** How the plugins get their source. */
export interface HostManagerPluginOptions {
  /** Called once per created manager; default: a fresh empty `InMemoryHostSource`. */
  source?: () => HostSource;
}

/**
 * The two host manager plugins. nova's and opie's names create the same
 * HostManager: both views are always available and pure, so nova's manager
 * is opie's with the `free` view unused. Without `options.source` a manager
 * starts on an empty `InMemoryHostSource`; call `setSource()` on it.
 * @see nova/scheduler/host_manager.py HostManager
 * @see opie/scheduler/host_manager.py HostManager
 */
export function createHostManagerPlugins(
  options: HostManagerPluginOptions = {},
): HostManagerPlugin[] {
  const makeSource = options.source ?? (() => new InMemoryHostSource());
  const create = (ctx: PluginContext): HostManager => hostManagerFromConf(ctx, makeSource());
  return [
    {
      kind: 'host-manager',
      classPath: 'nova.scheduler.host_manager.HostManager',
      aliases: ['host_manager'],
      description: "nova's host manager: host states refreshed from compute node records.",
      options: hostManagerOptions,
      create,
    },
    {
      kind: 'host-manager',
      classPath: 'opie.scheduler.host_manager.HostManager',
      aliases: ['opie_host_manager'],
      description:
        "opie's host manager: full host states plus preemptible-as-free states (same implementation).",
      options: hostManagerOptions,
      create,
    },
  ];
}

/** The built-in host manager plugins (empty in-memory source; see `setSource`). */
export const hostManagerPlugins: HostManagerPlugin[] = createHostManagerPlugins();
