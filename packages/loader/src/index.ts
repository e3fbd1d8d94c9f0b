export { parseOsloIni } from './oslo-ini.js';
export type { IniDocument, IniEntry } from './oslo-ini.js';

export {
  convertOsloValue,
  splitOsloList,
  formatPythonFloat,
  formatPythonValue,
} from './convert.js';
export type { Conversion } from './convert.js';

export { interpolate } from './interpolate.js';
export type { Interpolation, ReferenceLookup, ReferenceValue } from './interpolate.js';

export {
  LIBERTY_DEFAULT_FILTERS,
  availableFiltersOption,
  driverOption,
  enabledFiltersOption,
  hostManagerOption,
  loaderOptions,
  periodicTaskIntervalOption,
  pluginModulesOption,
  preemptibleWeightClassesOption,
  weightClassesOption,
} from './options.js';

export {
  OptionResolver,
  normalizeSection,
  unknownOptionWarning,
  warnEveryDeprecatedName,
} from './resolve.js';
export type { DeprecationPolicy, ResolvedOption, ResolverPolicy, UnknownEntry } from './resolve.js';

export {
  ALL_WEIGHERS,
  LIBERTY_ONLY_FILTERS,
  LIBERTY_ONLY_OPTIONS,
  NOVA_VERSIONS,
  NOVA_VERSION_LABEL,
  POST_LIBERTY_SECTIONS,
  ZED_ALL_WEIGHERS,
  ZED_DEFAULT_FILTERS,
  ZED_ONLY_OPTIONS,
  ZED_ONLY_WEIGHERS,
  novaVersionOption,
} from './nova-version.js';
export type { NovaVersion, ZedOnlyOption } from './nova-version.js';
export { versionDefault } from './version-rules.js';

export { PluginRegistry } from './registry.js';
export type { PluginByKind, Registrable, RegistrableKind } from './registry.js';
export { createBuiltinRegistry } from './builtin-registry.js';
export { editDistance, nearestNames } from './suggest.js';

export { importPluginModules, pluginModuleUrl } from './plugin-modules.js';
export type { PluginModuleRequest } from './plugin-modules.js';

export type {
  ConfigFile,
  EffectiveOption,
  SchedulerConfig,
  SelectedFilter,
  SelectedPlugin,
  SelectedVictimWeigher,
  SelectedWeigher,
} from './scheduler-config.js';
export { resolveSchedulerConfig } from './resolve-scheduler-config.js';
export type { ResolveSchedulerConfigOptions } from './resolve-scheduler-config.js';
export { loadScheduler, loadSchedulerConfig } from './load.js';
export type { LoadSchedulerConfigOptions, LoadSchedulerOptions, LoadedScheduler } from './load.js';

export { toNovaConf } from './to-nova-conf.js';
export type { WritableOption } from './to-nova-conf.js';
