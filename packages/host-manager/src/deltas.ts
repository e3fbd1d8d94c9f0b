import type { Instance } from '@opie/core';

/**
 * A virtual claim this scheduler made on a node (nova's `consume_from_request`)
 * that the node's compute record does not show yet.
 */
export interface ConsumptionDelta {
  readonly kind: 'consume';
  /** When it was made (epoch ms); a record written later includes it. */
  readonly at: number;
  readonly memoryMb: number;
  /** `(root_gb + ephemeral_gb) * 1024`; swap is not consumed (nova/scheduler/host_manager.py consume_from_instance). */
  readonly diskMb: number;
  readonly vcpus: number;
  /** A preemptible request's claim counts as preemptible usage. */
  readonly preemptible: boolean;
  /** The instance being placed, when the request names it. */
  readonly uuid: string | undefined;
}

/**
 * An instance this scheduler released (terminated) that the node's compute
 * record still counts.
 */
export interface ReleaseDelta {
  readonly kind: 'release';
  readonly at: number;
  readonly instance: Instance;
  readonly memoryMb: number;
  readonly diskMb: number;
  readonly vcpus: number;
}

export type Delta = ConsumptionDelta | ReleaseDelta;

/** The disk an instance consumes on a node, in MB (swap excluded, nova/scheduler/host_manager.py consume_from_instance). */
export function instanceDiskMb(usage: { rootGb: number; ephemeralGb: number }): number {
  return (usage.rootGb + usage.ephemeralGb) * 1024;
}

export function releaseDelta(instance: Instance, at: number): ReleaseDelta {
  return {
    kind: 'release',
    at,
    instance,
    memoryMb: instance.memoryMb,
    diskMb: instanceDiskMb(instance),
    vcpus: instance.vcpus,
  };
}
