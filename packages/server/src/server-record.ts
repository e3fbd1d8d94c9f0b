import type { Instance, SchedulerHints } from '@opie/core';

/** An instance fault as nova stores it and shows it on ERROR servers. */
export interface ServerFault {
  /** HTTP-like code: 500 for a failed build, 409 for a preemption. */
  code: number;
  message: string;
  details?: string;
  /** Epoch ms. */
  created: number;
}

/** Where a server came from: the cloud file's instances, or the API. */
export type ServerOrigin = 'cloud' | 'api';

/**
 * A server (nova instance) as the store keeps it. `host`/`node` are set
 * while it holds resources there; `lastHost`/`lastNode` keep where it ran
 * after it was preempted or deleted. Times are epoch ms.
 */
export interface ServerRecord {
  uuid: string;
  /** nova's integer id (`instance-%08x` names). */
  id: number;
  name: string;
  projectId: string;
  userId: string;
  flavorId: string | null;
  imageId: string | null;
  host: string | null;
  node: string | null;
  lastHost: string | null;
  lastNode: string | null;
  vmState: string;
  taskState: string | null;
  /** nova power states: 0 NOSTATE, 1 RUNNING, 4 SHUTDOWN. */
  powerState: number;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  swap: number;
  preemptible: boolean;
  priority: number | null;
  systemMetadata: Record<string, string>;
  metadata: Record<string, string>;
  availabilityZone: string | null;
  schedulerHints: SchedulerHints;
  requestId: string | null;
  reservationId: string | null;
  launchIndex: number;
  keyName: string | null;
  fault: ServerFault | null;
  origin: ServerOrigin;
  createdAt: number;
  updatedAt: number;
  launchedAt: number | null;
  terminatedAt: number | null;
  deletedAt: number | null;
}

/** A new server, before the store gives it its integer id. */
export type NewServerRecord = Omit<ServerRecord, 'id'>;

/** nova power states. @see nova/compute/power_state.py */
export const POWER_STATE = { NOSTATE: 0, RUNNING: 1, SHUTDOWN: 4 } as const;

/** The task state of a victim between its preemption notice and its termination. */
export const PREEMPTING_TASK_STATE = 'preempting';

/** The task state of a new server waiting for its victims' grace period (placed, not running yet). */
export const WAITING_TASK_STATE = 'spawning';

/** The task state of a new server accepted and not yet placed. */
export const SCHEDULING_TASK_STATE = 'scheduling';

/** vm_states whose instances hold no resources on their node (the resource tracker skips them). */
export const NOT_COUNTED_VM_STATES: readonly string[] = ['deleted', 'shelved_offloaded'];

/** The scheduler's view of a server that holds resources on a node. */
export function toInstance(server: ServerRecord | NewServerRecord): Instance {
  const instance: Instance = {
    uuid: server.uuid,
    memoryMb: server.memoryMb,
    vcpus: server.vcpus,
    rootGb: server.rootGb,
    ephemeralGb: server.ephemeralGb,
    swap: server.swap,
    systemMetadata: server.systemMetadata,
    createdAt: server.createdAt,
    projectId: server.projectId,
    vmState: server.vmState,
    taskState: server.taskState,
    // A victim in its grace period is no one else's victim: its room is promised already.
    preemptible: server.preemptible && server.taskState !== PREEMPTING_TASK_STATE,
  };
  if (server.host !== null) instance.host = server.host;
  if (server.node !== null) instance.node = server.node;
  if (server.flavorId !== null) instance.instanceTypeId = server.flavorId;
  if (server.priority !== null) instance.priority = server.priority;
  return instance;
}
