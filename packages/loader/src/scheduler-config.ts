import type {
  ConfigIssue,
  ConfigValues,
  DriverPlugin,
  FilterPlugin,
  HostManagerPlugin,
  OptionSource,
  VictimWeigherPlugin,
  WeigherPlugin,
} from '@opie/core';
import type { NovaVersion } from './nova-version.js';
import type { ResolvedOption } from './resolve.js';

/** A nova.conf file: the path shown in messages, and its text. */
export interface ConfigFile {
  path: string;
  text: string;
}

/** The driver or host manager a config selects. */
export interface SelectedPlugin<P> {
  /** The name as configured (class path or alias). */
  name: string;
  classPath: string;
  plugin: P;
  /** Where it was chosen. */
  source: OptionSource;
}

/** One entry of the enabled filters, in order (a name listed twice appears twice). */
export interface SelectedFilter {
  /** Class name as listed, e.g. `RamFilter`. */
  name: string;
  classPath: string;
  plugin: FilterPlugin;
  source: OptionSource;
}

/** One weigher instance to create (groups expanded, no de-duplication). */
export interface SelectedWeigher {
  classPath: string;
  /** The class-list entry it came from (a class path, alias or group). */
  listedAs: string;
  plugin: WeigherPlugin;
  /** The weigher's `*weight_multiplier` option, if it declares one. */
  multiplier: EffectiveOption | null;
  source: OptionSource;
}

/**
 * One victim weigher instance to create, from `[preemptible_instances_scheduler]
 * weight_classes` (groups expanded, no de-duplication).
 */
export interface SelectedVictimWeigher {
  classPath: string;
  /** The class-list entry it came from (a class path or group). */
  listedAs: string;
  plugin: VictimWeigherPlugin;
  /** The weigher's `*weight_multiplier` option, if it declares one. */
  multiplier: EffectiveOption | null;
  source: OptionSource;
}

/** A resolved option together with the plugins (or `loader`) that declare it. */
export interface EffectiveOption extends ResolvedOption {
  /** Class paths of the declaring plugins; `loader` for the loader's own options. */
  owners: string[];
}

/** A fully resolved scheduler configuration: what to build, with every option and its source. */
export interface SchedulerConfig {
  /** The files read, in order. */
  files: string[];
  /**
   * The nova release followed (`[opie] nova_version`, default `liberty`): its
   * defaults, deprecated names and, for plugins that read the option, its rules.
   */
  novaVersion: NovaVersion;
  driver: SelectedPlugin<DriverPlugin>;
  hostManager: SelectedPlugin<HostManagerPlugin>;
  /** nova's filter map: class name → filter, from the available filters. */
  availableFilters: ReadonlyMap<string, FilterPlugin>;
  filters: SelectedFilter[];
  weighers: SelectedWeigher[];
  /**
   * Victim weighers, when the driver prices victims (`usesVictimWeighers`);
   * empty for a driver that does not (the option is then not read).
   */
  victimWeighers: SelectedVictimWeigher[];
  /** The loader's options and those of the selected plugins, by section then name. */
  options: EffectiveOption[];
  /** The option values, as plugin factories read them. */
  values: ConfigValues;
  /**
   * Deprecated names (of the version followed), ignored options (one summary
   * line for other services' sections), multipliers of weighers not enabled,
   * ignored empty list entries, version notices.
   */
  warnings: ConfigIssue[];
}
