export {
  OpieError,
  NoValidHostError,
  ClassNotFoundError,
  ConfigError,
  FilterNotFoundError,
  MetricNotFoundError,
  UnsupportedPolicyError,
  InvalidInputError,
  InvalidArgumentError,
  PluginFailedError,
  formatConfigIssue,
} from './errors.js';
export type { OpieErrorCode, ConfigLocation, ConfigIssue, InputIssue } from './errors.js';

export type {
  Flavor,
  ImageMeta,
  Instance,
  Metric,
  SupportedInstance,
  ComputeNode,
  Service,
  Aggregate,
  Limits,
} from './records.js';

export {
  parseOsloBoolean,
  parseApiBoolean,
  isPreemptibleInstance,
  isPreemptibleRequest,
} from './booleans.js';

export { makeFilterRequest } from './request.js';
export type {
  RetryInfo,
  InstanceGroupInfo,
  InstanceGroupRules,
  PlacedInstance,
  SchedulerHints,
  RequestSpec,
  FilterRequest,
  Destination,
} from './request.js';

export { hostKey, preemptibleInstancesOf } from './host-state.js';
export type { HostView, HostState } from './host-state.js';

export { silentLogger, seededRandom, createRuntime, timerSleep } from './runtime.js';
export type { Logger, Runtime } from './runtime.js';

export { MemoryNotifier, RecordingComputePort } from './ports.js';
export type {
  TerminationAction,
  TerminationOrder,
  TerminationNotice,
  ComputePort,
  NotificationPriority,
  Notification,
  NotificationPort,
} from './ports.js';

export { configValuesFrom, makeConfigValues } from './options.js';
export type {
  OptionType,
  OptionValue,
  OptionName,
  OptionSpec,
  OptionSource,
  ConfigValues,
} from './options.js';

export type { HostFilter } from './filter.js';
export type { HostWeigher } from './weigher.js';

export type {
  HostManagerLike,
  Claim,
  WeightTerm,
  HostVerdict,
  InstanceExplanation,
  Preemption,
  VictimCostTerm,
  VictimVerdict,
  PreemptionVerdict,
  AttemptExplanation,
  PreemptionSummary,
  SchedulingResult,
  SchedulerDriver,
} from './scheduler.js';

export { className, definePlugin } from './plugin.js';
export type {
  PluginKind,
  PluginContext,
  DriverContext,
  FilterPlugin,
  WeigherPlugin,
  HostManagerPlugin,
  DriverPlugin,
  PluginDefinition,
  PluginGroup,
} from './plugin.js';

export { parsePythonInt, parsePythonFloat } from './python-numbers.js';
export { parseMetricsWeightSetting, metricsWeightSettingOption } from './metrics-weight-setting.js';
export type { MetricWeight, ParsedMetricsWeightSetting } from './metrics-weight-setting.js';

export type { Need, VictimCostContext, VictimWeigher } from './victim-weigher.js';
export type { VictimWeigherPlugin } from './plugin.js';

export { holdsResources, isIoWorkload } from './instance-state.js';

export {
  columnsOf,
  HOST_KEY_KINDS,
  HostColumnSet,
  KeyInterner,
  SERVICE_DISABLED,
  SERVICE_FORCED_DOWN,
  SERVICE_PRESENT,
} from './host-columns.js';
export type {
  FilterRejection,
  HostColumns,
  HostKeyKind,
  LimitDeclaration,
  LimitKey,
} from './host-columns.js';
export { editDistance } from './edit-distance.js';

export type { HostSource, HostSourceChanges } from './host-source.js';
export { isScheduler, isSourcedHostManager } from './scheduler.js';
export type { Scheduler, SchedulingPlan, SourcedHostManager } from './scheduler.js';

export {
  NOVA_VERSIONS,
  NOVA_VERSION_LABEL,
  novaVersionOption,
  novaVersionOf,
  isNovaVersion,
} from './nova-version.js';
export type { NovaVersion } from './nova-version.js';
