import type { HostState, Instance, Need, VictimCostContext } from '@opie/core';
import { makeHost } from '@opie/testing';

export const NO_NEED: Need = { memoryMb: 0, diskGb: 0, vcpus: 0, instances: 0, ioOps: 0 };

/** A cost context on a 1024 MB / 100 GB / 8 vCPU host (`makeHost` defaults). */
export function costContext(
  parts: { host?: HostState; now?: number; need?: Partial<Need>; set?: readonly Instance[] } = {},
): VictimCostContext {
  return {
    host: parts.host ?? makeHost(),
    now: parts.now ?? 0,
    need: { ...NO_NEED, ...parts.need },
    set: parts.set ?? [],
  };
}
