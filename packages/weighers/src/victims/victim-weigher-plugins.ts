import type { PluginGroup, VictimWeigherPlugin } from '@opie/core';
import { ageVictimWeigherPlugin } from './age-victim-weigher.js';
import { allPreemptibleWeighersGroup } from './all-preemptible-weighers-group.js';
import { billingRemainderVictimWeigherPlugin } from './billing-remainder-victim-weigher.js';
import { priorityVictimWeigherPlugin } from './priority-victim-weigher.js';
import { victimCountWeigherPlugin } from './victim-count-weigher.js';
import { wasteVictimWeigherPlugin } from './waste-victim-weigher.js';

/** Every victim weigher and the `all_preemptible_weighers` group, for a plugin registry. */
export const victimWeigherPlugins: (VictimWeigherPlugin | PluginGroup)[] = [
  billingRemainderVictimWeigherPlugin,
  victimCountWeigherPlugin,
  wasteVictimWeigherPlugin,
  ageVictimWeigherPlugin,
  priorityVictimWeigherPlugin,
  allPreemptibleWeighersGroup,
];
