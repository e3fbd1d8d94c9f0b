/**
 * Plain records the scheduler works on. Field names are nova's, camel-cased
 * (`free_ram_mb` becomes `freeRamMb`). Times are epoch milliseconds.
 */

/** A flavor ("instance type"). @see nova/objects/flavor.py */
export interface Flavor {
  /** Database id; TypeAffinityFilter compares instances' `instanceTypeId` with it. */
  id: string;
  /** API id (`flavorid`); defaults to `id`. */
  flavorid?: string;
  name: string;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  /** Swap in MB (counted by DiskFilter, not consumed; nova quirk, docs/nova-and-opie-notes.md). */
  swap: number;
  extraSpecs: Record<string, string>;
}

/** Image metadata as the scheduler sees it (Glance v2 properties are strings). */
export interface ImageMeta {
  id?: string;
  name?: string;
  properties: Record<string, unknown>;
  minRam?: number;
  minDisk?: number;
}

/** An instance (server) as known to the scheduler. */
export interface Instance {
  uuid: string;
  host?: string;
  node?: string;
  projectId?: string;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  /** Swap in MB. */
  swap?: number;
  /** Flavor database id of the instance. */
  instanceTypeId?: string;
  /** nova's `system_metadata` (string values). opie marks `preemptible` here. */
  systemMetadata: Record<string, string>;
  /** Creation time, epoch ms. The duration weigher and billing costs use it. */
  createdAt: number;
  vmState?: string;
  taskState?: string | null;
  /**
   * The preemptible mark. When absent, `systemMetadata.preemptible` decides
   * (strictly: see `isPreemptibleInstance`).
   */
  preemptible?: boolean;
  /** Preemption priority (higher survives longer); default 0. */
  priority?: number;
}

/** One compute metric reported by a node. @see nova/objects/monitor_metric.py */
export interface Metric {
  name: string;
  value: number;
  timestamp?: number;
  source?: string;
}

/** A supported `[architecture, hypervisor_type, vm_mode]` triple. */
export type SupportedInstance = readonly [string, string, string];

/**
 * A compute node record, as the compute's resource tracker writes it
 * (nova/compute/resource_tracker.py). Usage fields include every instance on the node, preemptible
 * or not, and the reserved host memory/disk.
 */
export interface ComputeNode {
  /** Service host name. Aggregates and services are matched on it. */
  host: string;
  /** Hypervisor host name (nova's "node"). */
  hypervisorHostname: string;
  memoryMb: number;
  freeRamMb: number;
  localGb: number;
  localGbUsed: number;
  freeDiskGb: number;
  diskAvailableLeast?: number | null;
  vcpus: number;
  vcpusUsed: number;
  /** Counters as strings: `num_instances`, `io_workload`, ... */
  stats?: Record<string, string>;
  metrics?: Metric[];
  hostIp?: string;
  hypervisorType?: string;
  hypervisorVersion?: number;
  cpuInfo?: string;
  supportedInstances?: SupportedInstance[];
  /** 0 or absent: the scheduler's configured value is used (nova/compute/resource_tracker.py). */
  cpuAllocationRatio?: number;
  ramAllocationRatio?: number;
  diskAllocationRatio?: number;
  /** When the record was last written, epoch ms. */
  updatedAt?: number;
}

/** A `nova-compute` service record. */
export interface Service {
  host: string;
  binary?: string;
  disabled: boolean;
  disabledReason?: string;
  forcedDown?: boolean;
  lastSeenUp?: number;
  updatedAt?: number;
  createdAt?: number;
}

/** A host aggregate. Availability zones live in `metadata.availability_zone`. */
export interface Aggregate {
  id: number | string;
  name: string;
  hosts: string[];
  metadata: Record<string, string>;
}

/** Limits a filter sets on a host and the compute enforces in its claim (nova/scheduler/filters/ram_filter.py, core_filter.py). */
export interface Limits {
  memoryMb?: number;
  diskGb?: number;
  vcpu?: number;
  numaTopology?: unknown;
  /**
   * NumInstancesFilter's maximum for this host (`max_instances_per_host`, or
   * the aggregate value), recorded when the filter passes it. Not in nova,
   * whose compute does not enforce it; the preemption planner reads it.
   */
  numInstances?: number;
  /** IoOpsFilter's maximum for this host (`max_io_ops_per_host`), recorded likewise. */
  ioOps?: number;
}
