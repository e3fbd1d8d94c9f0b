import type {
  Claim,
  Destination,
  FilterRequest,
  HostColumns,
  HostView,
  InstanceExplanation,
  Need,
  Preemption,
  RequestSpec,
} from '@opie/core';
import type { HostState } from '@opie/core';
import type { VictimPlan } from '../preemption/victim-planner.js';
import type { ColumnLimits } from './limits.js';
import type { SchedulingObserver } from './observer.js';

/**
 * Everything one request's scheduling cycle tracks (the Kubernetes
 * framework's CycleState): written by the stages, read by the later ones,
 * dropped when the request is planned.
 */
export interface Cycle {
  spec: RequestSpec;
  now: number;
  request: FilterRequest;
  /** The view the filters run on: `free` when the request may preempt. */
  view: HostView;
  preemptible: boolean;
  usePreemption: boolean;
  /** Victims must have a priority below this (priority preemption), else any preemptible. */
  priorityBelow: number | undefined;
  /** The filter view's columns, and the full view's (the same object without preemption). */
  cols: HostColumns;
  full: HostColumns;
  claims: Claim[];
  destinations: Destination[];
  preemptions: Preemption[];
  /** What the observer collected (the explanation), or a shared empty list. */
  explanation: InstanceExplanation[];
  observer: SchedulingObserver | undefined;
  /** Victims planned so far: never chosen again. */
  chosen: Set<string>;
  /** What those victims free, per host key. */
  freedByHost: Map<string, Need>;
  /** The joint plan of the request's remaining copies, once one was made. */
  joint?: JointPlan | undefined;
}

/** One copy's place in a joint plan. */
export interface JointStep {
  /** The full-view state of its host. */
  host: HostState;
  /** The victims, with the first copy on the host (they make room for all of its copies). */
  plan: VictimPlan | null;
  /** Copies of the request this host takes. */
  copies: number;
}

/** A joint plan: per instance index, where it goes. */
export interface JointPlan {
  steps: Map<number, JointStep>;
  /** The first instance planned jointly. */
  from: number;
  cost: number;
  optimal: boolean;
  planned: number;
}

/** Rows of the cycle's columns: `rows[0..count)`. */
export interface Rows {
  rows: Int32Array;
  count: number;
}

/** One instance's filter result over the cycle's columns. */
export interface Candidates {
  /** The rows that passed, in input order. */
  passed: Rows;
  emptiedBy: string | undefined;
  forced: boolean;
  /** The passed hosts' limits as columns, when the filters that ran declare them all. */
  columnLimits: ColumnLimits | undefined;
}

/** nova's NoValidHost reason when no host is left. @see nova/scheduler/filter_scheduler.py */
export const NOT_ENOUGH_HOSTS = 'There are not enough hosts available.';
