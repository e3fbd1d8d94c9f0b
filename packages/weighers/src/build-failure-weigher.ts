import type { HostState, HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { parsePythonInt } from '@opie/core';
import { aggregateMultipliers } from './aggregate-multiplier.js';
import type { ZedWeighing } from './aggregate-multiplier.js';
import { multiplierOf } from './multiplier.js';

/** `[filter_scheduler] build_failure_weight_multiplier` (nova Zed). */
export const buildFailureWeightMultiplierOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'build_failure_weight_multiplier',
  type: 'float',
  default: 1000000.0,
  help:
    'BuildFailureWeigher multiplier: how strongly hosts with recent failed builds are ' +
    'avoided (nova Zed; 0 disables it).',
};

export const BUILD_FAILURE_WEIGHER = 'nova.scheduler.weights.compute.BuildFailureWeigher';

/**
 * A host's recent failed builds: its compute node's `failed_builds` stat read
 * with Python `int()`, 0 when absent (nova HostState.failed_builds). A value
 * that is not an integer counts as 0 (nova's host manager would fail to
 * update that host).
 * @see nova/scheduler/host_manager.py (stable/zed) HostState._update_from_compute_node
 */
export function failedBuilds(host: HostState): number {
  const raw = host.stats['failed_builds'];
  if (raw === undefined) return 0;
  return parsePythonInt(raw) ?? 0;
}

/**
 * nova Zed's build-failure weigher: raw weight = the host's failed builds;
 * the multiplier is minus `build_failure_weight_multiplier` (from the host's
 * aggregates' metadata, else the configured one), so hosts that failed more
 * weigh less. Not in Liberty.
 * @see nova/scheduler/weights/compute.py (stable/zed) BuildFailureWeigher
 */
export function createBuildFailureWeigher(
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined } = {},
): HostWeigher {
  const configured = multiplierOf(BUILD_FAILURE_WEIGHER, options.multiplier, 1000000.0);
  return {
    name: BUILD_FAILURE_WEIGHER,
    multiplier: -1 * configured,
    clampRaw: true,
    ...aggregateMultipliers(
      BUILD_FAILURE_WEIGHER,
      'build_failure_weight_multiplier',
      configured,
      options.zed ?? {},
      true,
    ),
    weigh: failedBuilds,
    weighColumns(cols, rows, count, _request, out) {
      for (let j = 0; j < count; j++) {
        out[j] = failedBuilds(cols.states[rows[j] as number] as HostState);
      }
    },
  };
}

/** nova Zed only: the loader accepts it under `[opie] nova_version = zed`. */
export const buildFailureWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: BUILD_FAILURE_WEIGHER,
  description: 'Avoids hosts with recent failed builds (the failed_builds stat; nova Zed).',
  options: [buildFailureWeightMultiplierOption],
  create: (ctx) =>
    createBuildFailureWeigher({
      multiplier: ctx.conf.float('filter_scheduler', 'build_failure_weight_multiplier'),
      zed: { logger: ctx.runtime.logger },
    }),
};
