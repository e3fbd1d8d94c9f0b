import type { HostState, HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { novaVersionOf, novaVersionOption } from '@opie/core';
import { followZed } from './aggregate-multiplier.js';
import type { ZedWeighing } from './aggregate-multiplier.js';
import { multiplierOf } from './multiplier.js';

/** `[filter_scheduler] cpu_weight_multiplier` (Rocky+; there is no Liberty name). */
export const cpuWeightMultiplierOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'cpu_weight_multiplier',
  type: 'float',
  default: 1.0,
  help:
    'CPUWeigher multiplier. Positive values spread instances over the hosts with ' +
    'the most free vCPUs; negative values stack them.',
};

export const CPU_WEIGHER = 'nova.scheduler.weights.cpu.CPUWeigher';

/**
 * Weighs hosts by free vCPUs under the allocation ratio
 * (`vcpusTotal * cpuAllocationRatio - vcpusUsed`), class minimum 0. Not in Liberty (Rocky+).
 * With `zed` (nova Zed): raw weights clamped into the class bounds, and each
 * host's multiplier read from its aggregates' metadata (`followZed`).
 * @see nova/scheduler/weights/cpu.py CPUWeigher
 */
export function createCpuWeigher(
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined } = {},
): HostWeigher {
  const weigher: HostWeigher = {
    name: CPU_WEIGHER,
    minval: 0,
    multiplier: multiplierOf(CPU_WEIGHER, options.multiplier, 1.0),
    weigh: (host) => host.vcpusTotal * host.cpuAllocationRatio - host.vcpusUsed,
    weighColumns(cols, rows, count, _request, out) {
      const { vcpusTotal, cpuAllocationRatio, vcpusUsed } = cols;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        out[j] =
          (vcpusTotal[i] as number) * (cpuAllocationRatio[i] as number) - (vcpusUsed[i] as number);
      }
    },
    weighAll(hosts, _request, out) {
      for (let i = 0; i < hosts.length; i++) {
        const host = hosts[i] as HostState;
        out[i] = host.vcpusTotal * host.cpuAllocationRatio - host.vcpusUsed;
      }
    },
  };
  return options.zed === undefined
    ? weigher
    : followZed(weigher, 'cpu_weight_multiplier', options.zed);
}

/**
 * Multiplier read once at creation (nova reads it on every request). Under
 * `[opie] nova_version = zed`, as nova Zed: raw weights clamped into the class
 * bounds, `cpu_weight_multiplier` read from aggregate metadata.
 * @see nova/scheduler/weights/cpu.py (stable/zed)
 */
export const cpuWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: CPU_WEIGHER,
  description: 'Prefers hosts with more free vCPUs under the allocation ratio (Rocky+).',
  options: [cpuWeightMultiplierOption, novaVersionOption],
  create: (ctx) =>
    createCpuWeigher({
      multiplier: ctx.conf.float('filter_scheduler', 'cpu_weight_multiplier'),
      zed: novaVersionOf(ctx.conf) === 'zed' ? { logger: ctx.runtime.logger } : undefined,
    }),
};
