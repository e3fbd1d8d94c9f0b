export { HostManager } from './host-manager.js';
export type { HostManagerOptions } from './host-manager.js';
export type { HostSource, HostSourceChanges } from './host-source.js';
export { ChangeJournal, DEFAULT_JOURNAL_CAPACITY } from './change-journal.js';
export { InMemoryHostSource } from './in-memory-host-source.js';
export type { InMemoryHostSourceData, InMemoryHostSourceOptions } from './in-memory-host-source.js';
export { NodeHostState } from './host-state.js';
export { hostStateFromNode } from './host-state-from-node.js';
export type { HostStateFromNodeOptions } from './host-state-from-node.js';
export {
  resolveAllocationRatios,
  DEFAULT_CONFIGURED_RATIOS,
  FALLBACK_CPU_ALLOCATION_RATIO,
  FALLBACK_RAM_ALLOCATION_RATIO,
} from './allocation-ratios.js';
export type { AllocationRatios, ConfiguredRatios } from './allocation-ratios.js';
export {
  hostManagerPlugins,
  createHostManagerPlugins,
  hostManagerFromConf,
  hostManagerOptions,
} from './plugins.js';
export type { HostManagerPluginOptions } from './plugins.js';
