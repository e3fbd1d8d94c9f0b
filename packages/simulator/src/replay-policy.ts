import type {
  ConfigIssue,
  HostManagerLike,
  Scheduler,
  SchedulerDriver,
  SourcedHostManager,
} from '@opie/core';
import { isScheduler, isSourcedHostManager } from '@opie/core';
import type { VirtualClock } from './virtual-clock.js';

/** What a replay needs of a scheduler: `plan` (core's `Scheduler` has it). */
export type PlanningScheduler = Pick<Scheduler, 'plan'>;

/** What a replay needs of a host manager: `setSource` (core's `SourcedHostManager` has it). */
export type SourceSettableHostManager = HostManagerLike & Pick<SourcedHostManager, 'setSource'>;

/**
 * One policy to replay: a scheduler and its host manager, whose runtime
 * reads `clock` (virtual time) — nothing else may move that clock.
 */
export interface ReplayPolicy {
  name: string;
  scheduler: PlanningScheduler;
  hostManager: SourceSettableHostManager;
  clock: VirtualClock;
  configFiles?: string[];
  driver?: string;
  filters?: string[];
  weighers?: string[];
  victimPolicy?: string;
  /** Every resolved option, `group.name` → value as text (loaded from nova.conf). */
  options?: Record<string, string>;
  /** The configuration's warnings (deprecated names, ignored options), when loaded from nova.conf. */
  warnings?: ConfigIssue[];
}

/** Whether `driver` can be replayed: core's `isScheduler` (the loader checks it already). */
export function isPlanningScheduler(driver: SchedulerDriver): driver is Scheduler {
  return isScheduler(driver);
}

/** Whether `manager` can be pointed at a cloud: core's `isSourcedHostManager`. */
export function isSourceSettable(manager: HostManagerLike): manager is SourcedHostManager {
  return isSourcedHostManager(manager);
}
