import type { Flavor, ImageMeta, Limits } from './records.js';

/** Retry bookkeeping (nova/scheduler/utils.py populate_retry): `[host, node]` pairs already tried. */
export interface RetryInfo {
  numAttempts: number;
  hosts: Array<readonly [string, string]>;
}

/** The server group of the request, when its policy filters are enabled. */
export interface InstanceGroupInfo {
  uuid?: string;
  /** e.g. `['anti-affinity']` or `['affinity']`. */
  policies: string[];
  /** Host names of the group's members that already have a host. */
  hosts: string[];
  /**
   * uuids of the group's member instances (nova Zed's `instance_group.members`),
   * if known: read by ServerGroupAntiAffinityFilter under `[opie] nova_version =
   * zed`, and by the soft-(anti-)affinity weighers.
   */
  members?: string[];
  /** The group's rules (nova Zed): `max_server_per_host` (default 1) for anti-affinity. */
  rules?: InstanceGroupRules;
}

/** A server group's rules (nova/objects/instance_group.py, Zed). */
export interface InstanceGroupRules {
  /** Anti-affinity: how many members one node may hold (a whole number >= 1). */
  max_server_per_host?: number;
}

/** An instance of the request already placed by this scheduling call. */
export interface PlacedInstance {
  host: string;
  nodename: string;
  /** The placed instance's uuid, when the request names its instances. */
  uuid: string | undefined;
}

/** Scheduler hint values are whatever the API accepted: strings or lists. */
export type SchedulerHints = Record<string, string | string[]>;

/**
 * What the scheduler is asked to place: `num_instances` identical instances.
 * Combines nova's `request_spec` and `filter_properties` (nova/scheduler/utils.py build_request_spec).
 */
export interface RequestSpec {
  /** uuid of each instance to place; the first is nova's `instance_properties.uuid`. */
  instanceUuids?: string[];
  projectId?: string;
  flavor: Flavor;
  image: ImageMeta;
  availabilityZone?: string;
  schedulerHints: SchedulerHints;
  numInstances: number;
  instanceGroup?: InstanceGroupInfo;
  retry?: RetryInfo;
  forceHosts?: string[];
  forceNodes?: string[];
  ignoreHosts?: string[];
  /** `instance_properties.system_metadata`; opie marks `preemptible` here. */
  systemMetadata?: Record<string, string>;
  /** Explicit preemptible mark (wins over system metadata and hints). */
  preemptible?: boolean;
  /** Priority of a preemptible request. */
  priority?: number;
  /** Present when the request asks for PCI devices (no filter here supports them). */
  pciRequests?: unknown;
  /** Present when the request has a NUMA topology (no filter here supports it). */
  numaTopology?: unknown;
  /** An id for explanations and notifications. */
  requestId?: string;
}

/**
 * What a filter or weigher sees for one instance of a request. The scheduler
 * builds one per request and updates `index` and `groupHosts` as it places
 * instances (nova/scheduler/filter_scheduler.py _schedule step 4e).
 */
export interface FilterRequest {
  readonly spec: RequestSpec;
  /** 0-based number of the instance being placed. */
  index: number;
  /** Current time, epoch ms, read once per request by the scheduler. */
  readonly now: number;
  /** Server-group hosts, grown as instances are placed when the group is updated. */
  readonly groupHosts: Set<string>;
  readonly groupPolicies: readonly string[];
  /**
   * The instances of this request placed so far, in order (the scheduler
   * appends one per claim); nova Zed's ServerGroupAntiAffinityFilter counts
   * them on their node as nova adds each to the chosen host's `instances`.
   * Absent on a hand-built request: nothing placed.
   * @see nova/scheduler/manager.py SchedulerManager._consume_selected_host
   */
  readonly placements?: PlacedInstance[];
}

/** Builds the per-request view filters and weighers read. */
export function makeFilterRequest(spec: RequestSpec, now: number): FilterRequest {
  return {
    spec,
    index: 0,
    now,
    groupHosts: new Set(spec.instanceGroup?.hosts ?? []),
    groupPolicies: spec.instanceGroup?.policies ?? [],
    placements: [],
  };
}

/** Where one instance goes. @see nova/scheduler/filter_scheduler.py select_destinations */
export interface Destination {
  host: string;
  nodename: string;
  limits: Limits;
}
