import type {
  Claim,
  ConfigIssue,
  HostManagerLike,
  RequestSpec,
  SchedulerDriver,
  SchedulingResult,
} from '@opie/core';
import type { HostSource } from '@opie/host-manager';
import type { VirtualClock } from './virtual-clock.js';

/** A scheduler that can plan synchronously (the FilterScheduler can). */
export interface PlanningScheduler {
  /** Plans a request, holding claims; throws a `NoValidHostError` when it cannot. */
  plan(spec: RequestSpec): { result: SchedulingResult; claims: readonly Claim[] };
}

/** A host manager the simulation can point at its own cloud. */
export interface SourceSettableHostManager extends HostManagerLike {
  setSource(source: HostSource): void;
}

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

export function isPlanningScheduler(driver: SchedulerDriver | object): driver is PlanningScheduler {
  return typeof (driver as Partial<PlanningScheduler>).plan === 'function';
}

export function isSourceSettable(manager: HostManagerLike): manager is SourceSettableHostManager {
  return typeof (manager as Partial<SourceSettableHostManager>).setSource === 'function';
}
