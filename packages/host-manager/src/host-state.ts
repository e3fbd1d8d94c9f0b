import type {
  Aggregate,
  ComputeNode,
  HostState,
  HostView,
  Instance,
  Limits,
  Metric,
  Service,
  SupportedInstance,
} from '@opie/core';
import type { AllocationRatios } from './allocation-ratios.js';

const NO_STATS: Readonly<Record<string, string>> = Object.freeze({});
const NO_METRICS: readonly Metric[] = Object.freeze([]);
const NO_SUPPORTED: readonly SupportedInstance[] = Object.freeze([]);
const NO_AGGREGATES: readonly Aggregate[] = Object.freeze([]);
const NO_INSTANCES: ReadonlyMap<string, Instance> = new Map();

/**
 * One (host, node) in one view. The host manager keeps exactly one object per
 * (node, view) and updates it in place, so `limits` written by filters
 * persists across requests as in nova. Plugins see it as a read-only
 * `HostState` (except `limits`); only the host manager writes the other fields.
 *
 * Layout: every instance has the same hidden class (fields are declared, in
 * this order, by the constructor alone), and the fields filters and weighers
 * read on every host come first, so a pass over many hosts touches two or
 * three cache lines per state instead of five.
 * @see nova/scheduler/host_manager.py HostState
 */
export class NodeHostState implements HostState {
  // Read by the weighers (on the full view) and the filters.
  freeRamMb = 0;
  freeDiskMb = 0;
  vcpusUsed = 0;
  vcpusTotal = 0;
  cpuAllocationRatio = 0;
  numIoOps = 0;
  /**
   * The preemptible ones of `instances`, in order, written with them by the
   * host manager; `undefined` (readers test `instances`) on a state built by hand.
   */
  preemptibleInstances: readonly Instance[] | undefined = undefined;
  /** `createdAt` of each of `preemptibleInstances` (set with it). */
  preemptibleCreatedAt: Float64Array | undefined = undefined;
  // Read by the filters.
  totalUsableRamMb = 0;
  ramAllocationRatio = 0;
  totalUsableDiskGb = 0;
  diskAllocationRatio = 0;
  /** Written by filters; never reset by the host manager (nova keeps it too). */
  limits: Limits = {};
  service: Service | undefined = undefined;
  supportedInstances: readonly SupportedInstance[] = NO_SUPPORTED;
  hypervisorVersion: number | undefined = undefined;
  // Read by some filters, or only to describe the host.
  readonly host: string;
  readonly nodename: string;
  readonly view: HostView;
  aggregates: readonly Aggregate[] = NO_AGGREGATES;
  stats: Readonly<Record<string, string>> = NO_STATS;
  diskMbUsed = 0;
  numInstances = 0;
  hostIp: string | undefined = undefined;
  hypervisorType: string | undefined = undefined;
  hypervisorHostname: string;
  cpuInfo: string | undefined = undefined;
  metrics: readonly Metric[] = NO_METRICS;
  instances: ReadonlyMap<string, Instance>;
  updated: number | undefined = undefined;
  /**
   * Host manager internals: the same node's state in the other view, and the
   * manager holding the node (`undefined` once it is dropped), so the manager
   * maps a state to its other view without building a key or looking it up.
   */
  sibling: NodeHostState | undefined = undefined;
  owner: object | undefined = undefined;

  constructor(
    host: string,
    nodename: string,
    view: HostView,
    instances: ReadonlyMap<string, Instance> = NO_INSTANCES,
  ) {
    this.host = host;
    this.nodename = nodename;
    this.view = view;
    this.hypervisorHostname = nodename;
    this.instances = instances;
  }

  /**
   * Copies the descriptive fields of a compute node record (nova/scheduler/host_manager.py update_from_compute_node)
   * and the resolved ratios. Usage numbers are written by the view math.
   * Metrics are taken as given: the cloud file states `*.percent` metrics
   * already as percent (nova's ×100 of stored fractions is not applied).
   */
  setRecordFields(record: ComputeNode, ratios: AllocationRatios): void {
    this.totalUsableRamMb = record.memoryMb;
    this.totalUsableDiskGb = record.localGb;
    this.diskMbUsed = record.localGbUsed * 1024;
    this.vcpusTotal = record.vcpus;
    this.hostIp = record.hostIp;
    this.hypervisorType = record.hypervisorType;
    this.hypervisorVersion = record.hypervisorVersion;
    this.hypervisorHostname = record.hypervisorHostname;
    this.cpuInfo = record.cpuInfo;
    this.supportedInstances = record.supportedInstances ?? NO_SUPPORTED;
    this.stats = record.stats ?? NO_STATS;
    this.metrics = record.metrics ?? NO_METRICS;
    this.cpuAllocationRatio = ratios.cpuAllocationRatio;
    this.ramAllocationRatio = ratios.ramAllocationRatio;
    this.diskAllocationRatio = ratios.diskAllocationRatio;
  }
}
