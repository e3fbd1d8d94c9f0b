import type { PluginGroup } from '@opie/core';
import { IO_OPS_WEIGHER } from './io-ops-weigher.js';
import { METRICS_WEIGHER } from './metrics-weigher.js';
import { RAM_WEIGHER } from './ram-weigher.js';

/**
 * nova's `all_weighers`: the weighers Liberty ships, in its module walk order.
 * Newer weighers (CPU, disk) and opie's are not members; list them by class path.
 * @see nova/scheduler/weights/__init__.py all_weighers
 */
export const allWeighersGroup: PluginGroup = {
  kind: 'group',
  of: 'weigher',
  classPath: 'nova.scheduler.weights.all_weighers',
  description: "Liberty's weighers: IoOpsWeigher, MetricsWeigher, RAMWeigher.",
  members: [IO_OPS_WEIGHER, METRICS_WEIGHER, RAM_WEIGHER],
};
