import type { ComputeNode, Flavor, HostFilter, Instance, RequestSpec, Runtime } from '@opie/core';
import { createRuntime, MemoryNotifier, RecordingComputePort, seededRandom } from '@opie/core';
import { HostManager, InMemoryHostSource } from '@opie/host-manager';
import { makeComputeNode, makeFlavor, makeInstance, makeService, makeSpec } from '@opie/testing';
import { createRamWeigher } from '@opie/weighers';
import {
  createCoreFilter,
  createDiskFilter,
  createRamFilter,
} from '../../filters/resource-filters.js';
import { FilterScheduler } from '../filter-scheduler.js';
import type { FilterSchedulerOptions } from '../filter-scheduler.js';

export const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
export const MINUTE = 60_000;

export interface HostSpec {
  name: string;
  memoryMb?: number;
  vcpus?: number;
  localGb?: number;
  instances?: Instance[];
}

/** A node whose usage is exactly its instances (ratios 1), like a resource tracker would write. */
export function node(spec: HostSpec): ComputeNode {
  const instances = spec.instances ?? [];
  const memoryMb = spec.memoryMb ?? 4096;
  const localGb = spec.localGb ?? 100;
  const usedDisk = instances.reduce((s, i) => s + i.rootGb + i.ephemeralGb, 0);
  return makeComputeNode({
    host: spec.name,
    hypervisorHostname: spec.name,
    memoryMb,
    freeRamMb: memoryMb - instances.reduce((s, i) => s + i.memoryMb, 0),
    localGb,
    localGbUsed: usedDisk,
    freeDiskGb: localGb - usedDisk,
    vcpus: spec.vcpus ?? 8,
    vcpusUsed: instances.reduce((s, i) => s + i.vcpus, 0),
    stats: { num_instances: String(instances.length) },
    ramAllocationRatio: 1,
    cpuAllocationRatio: 1,
    diskAllocationRatio: 1,
    updatedAt: NOW - MINUTE,
  });
}

/** A host manager over `hosts` (every service up). */
export function cloud(hosts: HostSpec[]): HostManager {
  const source = new InMemoryHostSource({
    nodes: hosts.map(node),
    services: hosts.map((h) => makeService({ host: h.name, lastSeenUp: NOW })),
    instances: hosts.flatMap((h) =>
      (h.instances ?? []).map((i) => ({ ...i, host: h.name, node: h.name })),
    ),
  });
  return new HostManager({ source });
}

/** A preemptible instance: 1 vCPU, 10 GB, created 30 minutes before NOW unless given. */
export function preemptible(
  uuid: string,
  memoryMb: number,
  extra: Partial<Instance> = {},
): Instance {
  return makeInstance({
    uuid,
    memoryMb,
    vcpus: 1,
    rootGb: 10,
    preemptible: true,
    systemMetadata: { preemptible: 'True' },
    createdAt: NOW - 30 * MINUTE,
    ...extra,
  });
}

/** A normal instance: 1 vCPU, 10 GB, an hour old. */
export function normal(uuid: string, memoryMb: number, extra: Partial<Instance> = {}): Instance {
  return makeInstance({
    uuid,
    memoryMb,
    vcpus: 1,
    rootGb: 10,
    createdAt: NOW - 60 * MINUTE,
    ...extra,
  });
}

export const resourceFilters = (): HostFilter[] => [
  createRamFilter(),
  createCoreFilter(),
  createDiskFilter(),
];

/** A request for `numInstances` of a flavor (default 1 vCPU, 10 GB). */
export function request(
  memoryMb: number,
  extra: Partial<RequestSpec> = {},
  flavor: Partial<Flavor> = {},
): RequestSpec {
  return makeSpec({
    requestId: 'req-1',
    flavor: makeFlavor({ memoryMb, vcpus: 1, rootGb: 10, ...flavor }),
    ...extra,
  });
}

export interface Built {
  s: FilterScheduler;
  compute: RecordingComputePort;
  notifier: MemoryNotifier;
}

/** A FilterScheduler on `manager`: RAM, Core and Disk filters, RAMWeigher x1, explaining. */
export function scheduler(
  manager: HostManager,
  extra: Partial<FilterSchedulerOptions> = {},
  runtime: Runtime = createRuntime({ now: () => NOW, random: seededRandom(1) }),
): Built {
  const compute = new RecordingComputePort();
  const notifier = new MemoryNotifier();
  const s = new FilterScheduler({
    hostManager: manager,
    filters: resourceFilters(),
    weighers: [createRamWeigher({ multiplier: 1 })],
    runtime,
    compute,
    notifier,
    explain: true,
    ...extra,
  });
  return { s, compute, notifier };
}

/** A manual clock: `sleep` resolves when `advance` passes its time. */
export class FakeClock {
  time: number;
  readonly sleeps: number[] = [];
  private waiting: { at: number; resolve: () => void }[] = [];

  constructor(start: number) {
    this.time = start;
  }

  now = (): number => this.time;

  sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise((resolve) => {
      this.waiting.push({ at: this.time + ms, resolve });
    });
  };

  /** Moves time on by `ms`, waking every sleeper due, then lets promises settle. */
  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.waiting.filter((w) => w.at <= this.time);
    this.waiting = this.waiting.filter((w) => w.at > this.time);
    for (const w of due) w.resolve();
    await settle();
  }
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
