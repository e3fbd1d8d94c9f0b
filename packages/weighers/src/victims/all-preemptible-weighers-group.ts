import type { PluginGroup } from '@opie/core';
import { AGE_VICTIM_WEIGHER } from './age-victim-weigher.js';
import { BILLING_REMAINDER_VICTIM_WEIGHER } from './billing-remainder-victim-weigher.js';
import { PRIORITY_VICTIM_WEIGHER } from './priority-victim-weigher.js';
import { VICTIM_COUNT_WEIGHER } from './victim-count-weigher.js';
import { WASTE_VICTIM_WEIGHER } from './waste-victim-weigher.js';

/**
 * opie's default `[preemptible_instances_scheduler] weight_classes` value, a
 * name opie registered but never defined (docs/nova-and-opie-notes.md, enabling opie): here every victim weigher.
 * @see opie's [preemptible_instances_scheduler] weight_classes default (docs/nova-and-opie-notes.md, enabling opie)
 */
export const allPreemptibleWeighersGroup: PluginGroup = {
  kind: 'group',
  of: 'victim-weigher',
  classPath: 'nova.scheduler.weights.all_preemptible_weighers',
  description: 'Every victim weigher: billing remainder, count, waste, age, priority.',
  members: [
    BILLING_REMAINDER_VICTIM_WEIGHER,
    VICTIM_COUNT_WEIGHER,
    WASTE_VICTIM_WEIGHER,
    AGE_VICTIM_WEIGHER,
    PRIORITY_VICTIM_WEIGHER,
  ],
};
