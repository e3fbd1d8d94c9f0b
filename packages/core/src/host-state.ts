import { isPreemptibleInstance } from './booleans.js';
import type { Aggregate, Instance, Limits, Metric, Service, SupportedInstance } from './records.js';

/**
 * Which accounting a host state uses. `full` counts everything; `free`
 * counts preemptible instances' usage as free (opie's partial state), and is
 * the view normal requests are filtered on.
 */
export type HostView = 'full' | 'free';

/**
 * What filters and weighers read about one (host, node). Everything but
 * `limits` is read-only to plugins; `limits` is written by filters that pass
 * the host (nova/scheduler/filters/ram_filter.py, core_filter.py).
 * @see nova/scheduler/host_manager.py HostState
 */
export interface HostState {
  readonly host: string;
  readonly nodename: string;
  readonly view: HostView;
  readonly totalUsableRamMb: number;
  readonly freeRamMb: number;
  readonly totalUsableDiskGb: number;
  readonly freeDiskMb: number;
  readonly diskMbUsed: number;
  readonly vcpusTotal: number;
  readonly vcpusUsed: number;
  readonly numInstances: number;
  readonly numIoOps: number;
  readonly hostIp: string | undefined;
  readonly hypervisorType: string | undefined;
  readonly hypervisorVersion: number | undefined;
  readonly hypervisorHostname: string;
  readonly cpuInfo: string | undefined;
  readonly supportedInstances: readonly SupportedInstance[];
  readonly stats: Readonly<Record<string, string>>;
  readonly metrics: readonly Metric[];
  readonly aggregates: readonly Aggregate[];
  readonly service: Service | undefined;
  /** Instances on the host by uuid, in the order the host reported them. */
  readonly instances: ReadonlyMap<string, Instance>;
  /**
   * Optional cache: the preemptible ones of `instances` (`isPreemptibleInstance`),
   * in the same order, kept by providers that can (the host manager does).
   * Read it through `preemptibleInstancesOf`, which falls back to `instances`.
   */
  readonly preemptibleInstances?: readonly Instance[] | undefined;
  /**
   * Optional cache, set only together with `preemptibleInstances`: the
   * `createdAt` of each of them, in the same order, in one compact array, so
   * a weigher summing over them on every host need not visit each instance.
   */
  readonly preemptibleCreatedAt?: ArrayLike<number> | undefined;
  readonly ramAllocationRatio: number;
  readonly cpuAllocationRatio: number;
  readonly diskAllocationRatio: number;
  /** Epoch ms of the record or of the last consumption. */
  readonly updated: number | undefined;
  /** Written by filters; carried to the destination. */
  limits: Limits;
}

/** `(host, node)` key as one string. */
export function hostKey(host: string, nodename: string): string {
  return `${host}\u0000${nodename}`;
}

/**
 * The preemptible instances on a host, in `instances` order: the host's
 * `preemptibleInstances` cache when it has one, else `instances` tested with
 * `isPreemptibleInstance` (a new array).
 */
export function preemptibleInstancesOf(host: HostState): readonly Instance[] {
  const cached = host.preemptibleInstances;
  if (cached !== undefined) return cached;
  const out: Instance[] = [];
  for (const instance of host.instances.values()) {
    if (isPreemptibleInstance(instance)) out.push(instance);
  }
  return out;
}
