import type { HostState, Instance, Limits, Need } from '@opie/core';
import { isPreemptibleInstance } from '@opie/core';
import { makeHost, makeInstance } from '@opie/testing';
import { detectOvercommit, usageOf } from '../../scheduler/overcommit.js';
import { ioOpsOf } from '../io-ops-of.js';
import type { LimitsExtra } from '../need.js';

export const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
export const MINUTE = 60_000;

/** Limits of the test hosts: 1024 MB, 100 GB, 8 vCPU. */
export const LIMITS: Limits = { memoryMb: 1024, diskGb: 100, vcpu: 8 };

export function preemptible(uuid: string, parts: Partial<Instance> = {}): Instance {
  return makeInstance({
    uuid,
    memoryMb: 256,
    vcpus: 1,
    rootGb: 1,
    ephemeralGb: 0,
    preemptible: true,
    systemMetadata: { preemptible: 'True' },
    createdAt: NOW - 30 * MINUTE,
    ...parts,
  });
}

export function normal(uuid: string, parts: Partial<Instance> = {}): Instance {
  return makeInstance({ uuid, memoryMb: 256, vcpus: 1, rootGb: 1, createdAt: NOW, ...parts });
}

/**
 * A full-view host (1024 MB / 100 GB / 8 vCPU) whose usage is its instances
 * plus `extra` (the instance just placed, already consumed).
 */
export function hostWith(
  instances: Instance[],
  extra: { memoryMb?: number; diskGb?: number; vcpus?: number; ioOps?: number } = {},
): HostState {
  let ram = extra.memoryMb ?? 0;
  let disk = extra.diskGb ?? 0;
  let cpu = extra.vcpus ?? 0;
  let io = extra.ioOps ?? 0;
  for (const i of instances) {
    ram += i.memoryMb;
    disk += i.rootGb + i.ephemeralGb;
    cpu += i.vcpus;
    io += ioOpsOf(i);
  }
  return makeHost({
    instances,
    freeRamMb: 1024 - ram,
    freeDiskMb: (100 - disk) * 1024,
    vcpusUsed: cpu,
    numInstances: instances.length,
    numIoOps: io,
  });
}

/** Whether terminating `victims` brings `host` within every limit. */
export function sufficient(
  host: HostState,
  limits: Limits,
  victims: readonly Instance[],
  extra: LimitsExtra = {},
  alreadyFreed: Partial<Need> = {},
): boolean {
  let memoryMb = alreadyFreed.memoryMb ?? 0;
  let diskGb = alreadyFreed.diskGb ?? 0;
  let vcpus = alreadyFreed.vcpus ?? 0;
  let io = alreadyFreed.ioOps ?? 0;
  for (const v of victims) {
    const u = usageOf(v);
    memoryMb += u.memoryMb;
    diskGb += u.diskGb;
    vcpus += u.vcpus;
    io += ioOpsOf(v);
  }
  if (detectOvercommit(host, limits, { memoryMb, diskGb, vcpus }).length > 0) return false;
  const count = host.numInstances - (alreadyFreed.instances ?? 0) - victims.length;
  if (extra.maxInstances != null && count > extra.maxInstances) return false;
  if (extra.maxIoOps != null && host.numIoOps - io > extra.maxIoOps) return false;
  return true;
}

/** Whether some victim could be dropped and the rest still suffice. */
export function hasRedundantVictim(
  host: HostState,
  limits: Limits,
  victims: readonly Instance[],
  extra: LimitsExtra = {},
): boolean {
  return victims.some((_, k) =>
    sufficient(
      host,
      limits,
      victims.filter((__, j) => j !== k),
      extra,
    ),
  );
}

export const onlyPreemptible = (victims: readonly Instance[]) =>
  victims.every((v) => isPreemptibleInstance(v));
