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

/**
 * One (host, node) in one view. The host manager keeps exactly one object per
 * (node, view) and updates it in place, so `limits` written by filters
 * persists across requests as in nova. Plugins see it as a read-only
 * `HostState` (except `limits`); only the host manager writes the other fields.
 * @see nova/scheduler/host_manager.py HostState
 */
export class NodeHostState implements HostState {
  readonly host: string;
  readonly nodename: string;
  readonly view: HostView;
  totalUsableRamMb = 0;
  freeRamMb = 0;
  totalUsableDiskGb = 0;
  freeDiskMb = 0;
  diskMbUsed = 0;
  vcpusTotal = 0;
  vcpusUsed = 0;
  numInstances = 0;
  numIoOps = 0;
  hostIp: string | undefined = undefined;
  hypervisorType: string | undefined = undefined;
  hypervisorVersion: number | undefined = undefined;
  hypervisorHostname: string;
  cpuInfo: string | undefined = undefined;
  supportedInstances: readonly SupportedInstance[] = NO_SUPPORTED;
  stats: Readonly<Record<string, string>> = NO_STATS;
  metrics: readonly Metric[] = NO_METRICS;
  aggregates: readonly Aggregate[] = NO_AGGREGATES;
  service: Service | undefined = undefined;
  instances: ReadonlyMap<string, Instance>;
  /**
   * The preemptible ones of `instances`, in order, written with them by the
   * host manager; `undefined` (readers test `instances`) on a state built by hand.
   */
  preemptibleInstances: readonly Instance[] | undefined = undefined;
  /** `createdAt` of each of `preemptibleInstances` (set with it). */
  preemptibleCreatedAt: Float64Array | undefined = undefined;
  ramAllocationRatio = 0;
  cpuAllocationRatio = 0;
  diskAllocationRatio = 0;
  updated: number | undefined = undefined;
  /** Written by filters; never reset by the host manager (nova keeps it too). */
  limits: Limits = {};
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
    instances: ReadonlyMap<string, Instance> = new Map(),
  ) {
    this.host = host;
    this.nodename = nodename;
    this.view = view;
    this.hypervisorHostname = nodename;
    this.instances = instances;
  }

  /**
   * Copies the descriptive fields of a compute node record (spec §3.1 step 3)
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
