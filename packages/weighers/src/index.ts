export { normalize } from './normalize.js';
export { weighHosts } from './weigh-hosts.js';
export type { WeighedHost, WeighOptions } from './weigh-hosts.js';

export {
  RAM_WEIGHER,
  createRamWeigher,
  ramWeigherPlugin,
  ramWeightMultiplierOption,
} from './ram-weigher.js';
export {
  IO_OPS_WEIGHER,
  createIoOpsWeigher,
  ioOpsWeigherPlugin,
  ioOpsWeightMultiplierOption,
} from './io-ops-weigher.js';
export {
  METRICS_WEIGHER,
  createMetricsWeigher,
  metricsWeigherPlugin,
  metricsWeightMultiplierOption,
  metricsWeightSettingOption,
  metricsRequiredOption,
  metricsWeightOfUnavailableOption,
} from './metrics-weigher.js';
export type { MetricsWeigherOptions } from './metrics-weigher.js';
export { parseMetricsWeightSetting } from './parse-metrics-weight-setting.js';
export type { MetricWeight, ParsedMetricsWeightSetting } from './parse-metrics-weight-setting.js';
export {
  CPU_WEIGHER,
  createCpuWeigher,
  cpuWeigherPlugin,
  cpuWeightMultiplierOption,
} from './cpu-weigher.js';
export {
  DISK_WEIGHER,
  createDiskWeigher,
  diskWeigherPlugin,
  diskWeightMultiplierOption,
} from './disk-weigher.js';
export {
  PREEMPTIBLE_COUNT_WEIGHER,
  createPreemptibleCountWeigher,
  preemptibleCountWeigherPlugin,
  preemptibleCountWeightMultiplierOption,
} from './preemptible-count-weigher.js';
export {
  PREEMPTIBLE_DURATION_WEIGHER,
  createPreemptibleDurationWeigher,
  preemptibleDurationWeigherPlugin,
  preemptibleDurationWeightMultiplierOption,
  preemptibleBillingPeriodOption,
} from './preemptible-duration-weigher.js';

export { allWeighersGroup } from './all-weighers-group.js';
export { weigherPlugins } from './weigher-plugins.js';
