import type { Instance } from './records.js';

/** vm_states whose instances hold no resources on their node. */
const NOT_HOLDING: ReadonlySet<string> = new Set(['deleted', 'shelved_offloaded']);

/** task_states the resource tracker counts as I/O work (besides vm_state `building`). */
const IO_TASK_STATES: ReadonlySet<string> = new Set([
  'resize_migrating',
  'rebuilding',
  'resize_prep',
  'image_snapshot',
  'image_backup',
  'rescuing',
  'unshelving',
]);

/**
 * Whether an instance holds RAM, disk and vCPUs on its node (every vm_state
 * but `deleted` and `shelved_offloaded`; a missing vm_state counts as active).
 * @see nova/compute/resource_tracker.py _update_usage_from_instances
 */
export function holdsResources(instance: Pick<Instance, 'vmState'>): boolean {
  return !NOT_HOLDING.has(instance.vmState ?? 'active');
}

/**
 * Whether an instance counts in the compute's `io_workload`: vm_state
 * `building` or an I/O-heavy task_state.
 * @see nova/compute/stats.py Stats.io_workload
 */
export function isIoWorkload(instance: Pick<Instance, 'vmState' | 'taskState'>): boolean {
  if (instance.vmState === 'building') return true;
  const task = instance.taskState;
  return task !== undefined && task !== null && IO_TASK_STATES.has(task);
}
