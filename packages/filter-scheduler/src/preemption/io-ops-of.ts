import type { Instance } from '@opie/core';
import { isIoWorkload } from '@opie/core';

/**
 * The I/O-heavy operations terminating `instance` ends: 1 when it is building
 * or in an I/O task state (what makes up the compute's `io_workload`), else 0.
 * @see nova/compute/stats.py Stats.io_workload
 */
export function ioOpsOf(instance: Instance): number {
  return isIoWorkload(instance) ? 1 : 0;
}
