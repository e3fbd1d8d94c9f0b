export { normalize } from './normalize.js';
export { weighHosts } from './weigh-hosts.js';
export { weighRows, weighRowsTotals } from './weigh-rows.js';
export type { WeighRowsOptions } from './weigh-rows.js';
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

export {
  SOFT_AFFINITY_WEIGHER,
  SOFT_ANTI_AFFINITY_WEIGHER,
  createSoftAffinityWeigher,
  createSoftAntiAffinityWeigher,
  groupMembersOnHost,
  softAffinityWeigherPlugin,
  softAntiAffinityWeigherPlugin,
  softAffinityWeightMultiplierOption,
  softAntiAffinityWeightMultiplierOption,
} from './affinity-weigher.js';
export {
  BUILD_FAILURE_WEIGHER,
  buildFailureWeigherPlugin,
  buildFailureWeightMultiplierOption,
  createBuildFailureWeigher,
  failedBuilds,
} from './build-failure-weigher.js';
export {
  CROSS_CELL_WEIGHER,
  createCrossCellWeigher,
  crossCellMoveWeightMultiplierOption,
  crossCellWeigherPlugin,
} from './cross-cell-weigher.js';
export {
  PCI_WEIGHER,
  createPciWeigher,
  pciWeigherPlugin,
  pciWeightMultiplierOption,
} from './pci-weigher.js';
export { aggregateMultiplier, aggregateMultipliers, followZed } from './aggregate-multiplier.js';
export type { ZedWeighing } from './aggregate-multiplier.js';

export { allWeighersGroup } from './all-weighers-group.js';
export { weigherPlugins } from './weigher-plugins.js';

export {
  BILLING_REMAINDER_VICTIM_WEIGHER,
  createBillingRemainderVictimWeigher,
  billingRemainderVictimWeigherPlugin,
  billingRemainderWeightMultiplierOption,
} from './victims/billing-remainder-victim-weigher.js';
export {
  VICTIM_COUNT_WEIGHER,
  createVictimCountWeigher,
  victimCountWeigherPlugin,
  victimCountWeightMultiplierOption,
} from './victims/victim-count-weigher.js';
export {
  WASTE_VICTIM_WEIGHER,
  createWasteVictimWeigher,
  wasteVictimWeigherPlugin,
  wasteWeightMultiplierOption,
} from './victims/waste-victim-weigher.js';
export {
  AGE_VICTIM_WEIGHER,
  createAgeVictimWeigher,
  ageVictimWeigherPlugin,
  ageWeightMultiplierOption,
} from './victims/age-victim-weigher.js';
export {
  PRIORITY_VICTIM_WEIGHER,
  createPriorityVictimWeigher,
  priorityVictimWeigherPlugin,
  priorityWeightMultiplierOption,
} from './victims/priority-victim-weigher.js';
export { allPreemptibleWeighersGroup } from './victims/all-preemptible-weighers-group.js';
export { victimWeigherPlugins } from './victims/victim-weigher-plugins.js';
export { defaultVictimWeighers } from './victims/default-victim-weighers.js';
