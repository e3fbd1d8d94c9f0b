import type { VictimWeigher } from '@opie/core';
import { createAgeVictimWeigher } from './age-victim-weigher.js';
import { createBillingRemainderVictimWeigher } from './billing-remainder-victim-weigher.js';
import { createPriorityVictimWeigher } from './priority-victim-weigher.js';
import { createVictimCountWeigher } from './victim-count-weigher.js';
import { createWasteVictimWeigher } from './waste-victim-weigher.js';

/**
 * The members of `nova.scheduler.weights.all_preemptible_weighers`, in group
 * order, with their default multipliers and a 3600 s billing period: what
 * `[preemptible_instances_scheduler] weight_classes` gives by default.
 * @see opie's [preemptible_instances_scheduler] weight_classes default (docs/nova-and-opie-notes.md, enabling opie)
 */
export function defaultVictimWeighers(): VictimWeigher[] {
  return [
    createBillingRemainderVictimWeigher(),
    createVictimCountWeigher(),
    createWasteVictimWeigher(),
    createAgeVictimWeigher(),
    createPriorityVictimWeigher(),
  ];
}
