import type { HostFilter } from './filter.js';
import type { ConfigValues, OptionSpec } from './options.js';
import type { ComputePort, NotificationPort } from './ports.js';
import type { Runtime } from './runtime.js';
import type { HostManagerLike, SchedulerDriver } from './scheduler.js';
import type { VictimWeigher } from './victim-weigher.js';
import type { HostWeigher } from './weigher.js';

export type PluginKind = 'driver' | 'host-manager' | 'filter' | 'weigher' | 'victim-weigher';

/** What every factory receives. */
export interface PluginContext {
  conf: ConfigValues;
  runtime: Runtime;
}

/** What a driver factory receives: its collaborators, already built. */
export interface DriverContext extends PluginContext {
  hostManager: HostManagerLike;
  filters: HostFilter[];
  weighers: HostWeigher[];
  compute: ComputePort;
  notifier: NotificationPort;
  /** Ask the driver to explain every decision (each host's verdict); default false. */
  explain?: boolean;
  /**
   * The victim weighers of `[preemptible_instances_scheduler] weight_classes`,
   * built by the loader for drivers with `usesVictimWeighers`. Absent: the
   * driver's own default.
   */
  victimWeighers?: VictimWeigher[];
}

interface PluginBase {
  /**
   * The plugin's identity: its nova class path, e.g.
   * `nova.scheduler.filters.ram_filter.RamFilter`.
   */
  classPath: string;
  /** Other names that resolve to it (entry-point names, opie paths). */
  aliases?: readonly string[];
  /** One line on what it does. */
  description: string;
  /** The nova.conf options it owns. */
  options?: readonly OptionSpec[];
  /**
   * Set when the plugin exists in nova but cannot work here (it needs a
   * service or hardware model we do not have): loading it fails with this text.
   */
  unsupported?: string;
}

export interface FilterPlugin extends PluginBase {
  kind: 'filter';
  create(ctx: PluginContext): HostFilter;
}

export interface WeigherPlugin extends PluginBase {
  kind: 'weigher';
  create(ctx: PluginContext): HostWeigher;
}

export interface HostManagerPlugin extends PluginBase {
  kind: 'host-manager';
  create(ctx: PluginContext): HostManagerLike;
}

export interface DriverPlugin extends PluginBase {
  kind: 'driver';
  /**
   * The driver preempts and prices victims: the loader then resolves
   * `[preemptible_instances_scheduler] weight_classes` into `victimWeighers`.
   */
  usesVictimWeighers?: boolean;
  create(ctx: DriverContext): SchedulerDriver;
}

/** Prices preemptible instances as preemption victims (not in opie; see `VictimWeigher`). */
export interface VictimWeigherPlugin extends PluginBase {
  kind: 'victim-weigher';
  create(ctx: PluginContext): VictimWeigher;
}

export type PluginDefinition =
  FilterPlugin | WeigherPlugin | HostManagerPlugin | DriverPlugin | VictimWeigherPlugin;

/**
 * A class path that expands to several plugins, like nova's
 * `nova.scheduler.filters.all_filters` function.
 */
export interface PluginGroup {
  kind: 'group';
  of: 'filter' | 'weigher' | 'victim-weigher';
  classPath: string;
  aliases?: readonly string[];
  description: string;
  /** Class paths of the members, in order. */
  members: readonly string[];
}

/** The short class name of a class path (`a.b.RamFilter` gives `RamFilter`). */
export function className(classPath: string): string {
  const i = classPath.lastIndexOf('.');
  return i < 0 ? classPath : classPath.slice(i + 1);
}

/** Identity helper that keeps literal types of a plugin definition. */
export function definePlugin<T extends PluginDefinition | PluginGroup>(plugin: T): T {
  return plugin;
}
