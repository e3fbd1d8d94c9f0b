import type { Aggregate, ComputeNode, Instance, Service } from '@opie/core';
import { hostKey } from '@opie/core';
import { InMemoryHostSource } from '@opie/host-manager';
import { recordWith } from './node-record.js';

/** The records a simulation starts from (a `CloudSnapshot` fits). */
export interface CloudRecords {
  nodes: readonly ComputeNode[];
  services: readonly Service[];
  aggregates: readonly Aggregate[];
  instances: readonly Instance[];
}

/** RAM and vCPUs a node can hand out: totals times its allocation ratios. */
export interface NodeCapacity {
  ramMb: number;
  vcpus: number;
}

/**
 * A cloud that changes as the replay places and removes instances: an
 * `InMemoryHostSource` (what the host manager reads) whose compute node
 * records are rewritten, as a resource tracker would, on every change. It
 * also keeps the RAM and vCPUs in use on the nodes whose capacity it tracks.
 */
export class SimulatedCloud {
  readonly source: InMemoryHostSource;
  private readonly records = new Map<string, ComputeNode>();
  private readonly capacity = new Map<string, NodeCapacity>();
  /** Each service with a heartbeat, and the age of that heartbeat at the start. */
  private readonly services: { service: Service; ageMs: number }[] = [];
  private lastBeat = -Infinity;
  /** RAM in use (record's `memory_mb - free_ram_mb`, reserved included) on tracked nodes. */
  usedRamMb = 0;
  usedVcpus = 0;
  capacityRamMb = 0;
  capacityVcpus = 0;

  /** `startMs`: the virtual time the cloud's records describe (heartbeat ages are taken there). */
  constructor(cloud: CloudRecords, startMs = 0) {
    this.source = new InMemoryHostSource({
      nodes: cloud.nodes,
      services: cloud.services,
      aggregates: cloud.aggregates,
      instances: cloud.instances,
    });
    for (const node of cloud.nodes) {
      this.records.set(hostKey(node.host, node.hypervisorHostname), node);
    }
    for (const service of cloud.services) {
      const beat = service.lastSeenUp ?? service.updatedAt ?? service.createdAt;
      if (beat !== undefined) this.services.push({ service, ageMs: startMs - beat });
    }
  }

  /**
   * The compute services report (nova's `report_interval`): when `everyMs`
   * has passed since the last report, every service with a heartbeat gets
   * `last_seen_up = now - its age at the start`, so a service up at the
   * start stays up and a stale one stays down.
   */
  heartbeat(now: number, everyMs: number): void {
    if (now - this.lastBeat < everyMs) return;
    this.lastBeat = now;
    for (const entry of this.services) {
      const at = now - entry.ageMs;
      this.source.upsertService({ ...entry.service, lastSeenUp: at, updatedAt: at });
    }
  }

  /** Tracks the usage of these nodes (by `hostKey`) against their capacity. */
  track(capacities: ReadonlyMap<string, NodeCapacity>): void {
    this.capacity.clear();
    this.usedRamMb = 0;
    this.usedVcpus = 0;
    this.capacityRamMb = 0;
    this.capacityVcpus = 0;
    for (const [key, cap] of capacities) {
      const record = this.records.get(key);
      if (record === undefined) continue;
      this.capacity.set(key, cap);
      this.capacityRamMb += cap.ramMb;
      this.capacityVcpus += cap.vcpus;
      this.usedRamMb += record.memoryMb - record.freeRamMb;
      this.usedVcpus += record.vcpusUsed;
    }
  }

  /** The current record of a node. */
  record(host: string, nodename: string): ComputeNode | undefined {
    return this.records.get(hostKey(host, nodename));
  }

  /** Puts an instance on its `host`/`node` and rewrites that node's record at `now`. */
  place(instance: Instance, now: number): void {
    const key = hostKey(instance.host as string, instance.node as string);
    const record = this.records.get(key);
    if (record === undefined) throw new Error(`no compute node ${instance.host}/${instance.node}`);
    this.source.addInstance(instance);
    this.write(key, record, recordWith(record, instance, 1, now));
  }

  /** Takes an instance off its node and rewrites the record at `now`; undefined if unknown. */
  remove(uuid: string, now: number): Instance | undefined {
    const instance = this.source.removeInstance(uuid);
    if (instance === undefined) return undefined;
    const key = hostKey(instance.host as string, instance.node as string);
    const record = this.records.get(key);
    if (record !== undefined) this.write(key, record, recordWith(record, instance, -1, now));
    return instance;
  }

  private write(key: string, before: ComputeNode, after: ComputeNode): void {
    this.records.set(key, after);
    this.source.upsertNode(after);
    if (this.capacity.has(key)) {
      this.usedRamMb += before.freeRamMb - after.freeRamMb;
      this.usedVcpus += after.vcpusUsed - before.vcpusUsed;
    }
  }
}
