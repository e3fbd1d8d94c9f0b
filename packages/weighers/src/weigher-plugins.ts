import type { PluginGroup, WeigherPlugin } from '@opie/core';
import { allWeighersGroup } from './all-weighers-group.js';
import { cpuWeigherPlugin } from './cpu-weigher.js';
import { diskWeigherPlugin } from './disk-weigher.js';
import { ioOpsWeigherPlugin } from './io-ops-weigher.js';
import { metricsWeigherPlugin } from './metrics-weigher.js';
import { preemptibleCountWeigherPlugin } from './preemptible-count-weigher.js';
import { preemptibleDurationWeigherPlugin } from './preemptible-duration-weigher.js';
import { ramWeigherPlugin } from './ram-weigher.js';

/** Every weigher of this package and the `all_weighers` group, for a plugin registry. */
export const weigherPlugins: (WeigherPlugin | PluginGroup)[] = [
  ramWeigherPlugin,
  ioOpsWeigherPlugin,
  metricsWeigherPlugin,
  cpuWeigherPlugin,
  diskWeigherPlugin,
  preemptibleCountWeigherPlugin,
  preemptibleDurationWeigherPlugin,
  allWeighersGroup,
];
