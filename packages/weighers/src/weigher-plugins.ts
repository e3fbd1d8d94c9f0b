import type { PluginGroup, WeigherPlugin } from '@opie/core';
import { softAffinityWeigherPlugin, softAntiAffinityWeigherPlugin } from './affinity-weigher.js';
import { allWeighersGroup } from './all-weighers-group.js';
import { buildFailureWeigherPlugin } from './build-failure-weigher.js';
import { cpuWeigherPlugin } from './cpu-weigher.js';
import { crossCellWeigherPlugin } from './cross-cell-weigher.js';
import { diskWeigherPlugin } from './disk-weigher.js';
import { ioOpsWeigherPlugin } from './io-ops-weigher.js';
import { metricsWeigherPlugin } from './metrics-weigher.js';
import { pciWeigherPlugin } from './pci-weigher.js';
import { preemptibleCountWeigherPlugin } from './preemptible-count-weigher.js';
import { preemptibleDurationWeigherPlugin } from './preemptible-duration-weigher.js';
import { ramWeigherPlugin } from './ram-weigher.js';

/**
 * Every weigher of this package and the `all_weighers` group, for a plugin
 * registry. The five nova Zed weighers Liberty lacks come after opie's: the
 * loader accepts them only under `[opie] nova_version = zed`.
 */
export const weigherPlugins: (WeigherPlugin | PluginGroup)[] = [
  ramWeigherPlugin,
  ioOpsWeigherPlugin,
  metricsWeigherPlugin,
  cpuWeigherPlugin,
  diskWeigherPlugin,
  preemptibleCountWeigherPlugin,
  preemptibleDurationWeigherPlugin,
  softAffinityWeigherPlugin,
  softAntiAffinityWeigherPlugin,
  buildFailureWeigherPlugin,
  crossCellWeigherPlugin,
  pciWeigherPlugin,
  allWeighersGroup,
];
