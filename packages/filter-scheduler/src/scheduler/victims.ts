import type { HostState, Instance, Limits } from '@opie/core';
import { preemptibleInstancesOf } from '@opie/core';
import { detectOvercommit, NOTHING_FREED, usageOf } from './overcommit.js';
import type { Freed, Overcommit } from './overcommit.js';

/** What a victim selector is asked. */
export interface VictimQuery {
  /** The full-view state of the chosen host, after this placement's consumption. */
  host: HostState;
  /** The limits the filters set for this placement. */
  limits: Limits;
  /** Instances already planned for termination (never chosen again). */
  alreadyChosen: ReadonlySet<string>;
  /** Usage those planned victims give back on this host. */
  alreadyFreed: Freed;
}

export interface VictimChoice {
  victims: Instance[];
  /** What was over its limit before these victims. */
  overcommit: Overcommit[];
}

/**
 * Picks preemptible instances to terminate so the host is back within its
 * limits; `null` when even all of them would not free enough.
 */
export type VictimSelector = (query: VictimQuery) => VictimChoice | null;

function add(a: Freed, b: Freed): Freed {
  return {
    memoryMb: a.memoryMb + b.memoryMb,
    diskGb: a.diskGb + b.diskGb,
    vcpus: a.vcpus + b.vcpus,
  };
}

/**
 * opie's order, made sufficient: take preemptible instances from the end of
 * the host's list (opie's `list.pop()`) until nothing is over its limit.
 * opie stopped after one victim whatever it freed (docs/nova-and-opie-notes.md, opie problem 1) and could
 * pick the same victim twice (item 3); this does neither.
 */
export const lastFirstVictimSelector: VictimSelector = (query) => {
  const overcommit = detectOvercommit(query.host, query.limits, query.alreadyFreed);
  if (overcommit.length === 0) return { victims: [], overcommit };
  const candidates = preemptibleInstancesOf(query.host).filter(
    (i) => !query.alreadyChosen.has(i.uuid),
  );
  const victims: Instance[] = [];
  let freed = query.alreadyFreed ?? NOTHING_FREED;
  for (let k = candidates.length - 1; k >= 0; k--) {
    const victim = candidates[k] as Instance;
    victims.push(victim);
    freed = add(freed, usageOf(victim));
    if (detectOvercommit(query.host, query.limits, freed).length === 0) {
      return { victims, overcommit };
    }
  }
  return null;
};

export { add as addFreed };
