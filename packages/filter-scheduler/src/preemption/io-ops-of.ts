import type { Instance } from '@opie/core';

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
 * The I/O-heavy operations terminating `instance` ends: 1 when it is building
 * or in an I/O task state (what makes up the compute's `io_workload`), else 0.
 * @see nova/compute/stats.py Stats.io_workload
 */
export function ioOpsOf(instance: Instance): number {
  if (instance.vmState === 'building') return 1;
  const task = instance.taskState;
  return task !== undefined && task !== null && IO_TASK_STATES.has(task) ? 1 : 0;
}
