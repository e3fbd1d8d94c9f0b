import type { HostState, Limits, Need } from '@opie/core';
import { excess, maxInstancesOf, maxIoOpsOf, NO_NEED } from '../preemption/need.js';
import { describeOvercommit, detectOvercommit } from '../scheduler/overcommit.js';
import { round2 } from '../filters/round2.js';

/**
 * `memory_mb 2048 > 1536, instances 51 > 50`: what `full` (after the
 * placement) uses over its limits, victims planned earlier subtracted.
 */
export function overLimits(full: HostState, limits: Limits, freed: Need | undefined): string {
  const f = freed ?? NO_NEED;
  const parts: string[] = [];
  const over = describeOvercommit(detectOvercommit(full, limits, f));
  if (over !== '') parts.push(over);
  const maxI = maxInstancesOf(limits);
  const count = full.numInstances - f.instances;
  if (excess(count, maxI) > 0) parts.push(`instances ${count} > ${round2(maxI as number)}`);
  const maxIo = maxIoOpsOf(limits);
  const io = full.numIoOps - f.ioOps;
  if (excess(io, maxIo) > 0) parts.push(`io_ops ${io} > ${round2(maxIo as number)}`);
  return parts.join(', ');
}
