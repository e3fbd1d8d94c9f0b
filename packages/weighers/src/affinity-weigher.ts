import type { FilterRequest, HostState, HostWeigher, OptionSpec, WeigherPlugin } from '@opie/core';
import { aggregateMultipliers } from './aggregate-multiplier.js';
import type { ZedWeighing } from './aggregate-multiplier.js';
import { zod } from './lazy-zod.js';
import { multiplierOf } from './multiplier.js';

/** `[filter_scheduler] soft_affinity_weight_multiplier` (nova Zed; >= 0). */
export const softAffinityWeightMultiplierOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'soft_affinity_weight_multiplier',
  type: 'float',
  default: 1.0,
  help:
    'ServerGroupSoftAffinityWeigher multiplier (>= 0): how strongly hosts with more ' +
    "members of the request's soft-affinity server group are preferred (nova Zed).",
  get schema() {
    return zod().number().min(0);
  },
};

/** `[filter_scheduler] soft_anti_affinity_weight_multiplier` (nova Zed; >= 0). */
export const softAntiAffinityWeightMultiplierOption: OptionSpec = {
  group: 'filter_scheduler',
  name: 'soft_anti_affinity_weight_multiplier',
  type: 'float',
  default: 1.0,
  help:
    'ServerGroupSoftAntiAffinityWeigher multiplier (>= 0): how strongly hosts with fewer ' +
    "members of the request's soft-anti-affinity server group are preferred (nova Zed).",
  get schema() {
    return zod().number().min(0);
  },
};

export const SOFT_AFFINITY_WEIGHER =
  'nova.scheduler.weights.affinity.ServerGroupSoftAffinityWeigher';
export const SOFT_ANTI_AFFINITY_WEIGHER =
  'nova.scheduler.weights.affinity.ServerGroupSoftAntiAffinityWeigher';

/**
 * How many members of the request's server group are on `host`, when the
 * group's policy is `policy`; else 0. The policy is the group's first (nova
 * Zed groups have exactly one, `InstanceGroup.policy`); members are the
 * group's `members` (instance uuids), matched against the host's instances.
 * @see nova/scheduler/weights/affinity.py (stable/zed) _SoftAffinityWeigherBase._weigh_object
 */
export function groupMembersOnHost(
  host: HostState,
  request: FilterRequest,
  policy: 'soft-affinity' | 'soft-anti-affinity',
): number {
  const group = request.spec.instanceGroup;
  if (group === undefined || group.policies[0] !== policy) return 0;
  const members = group.members;
  if (members === undefined || members.length === 0) return 0;
  let count = 0;
  // A set of members: a uuid listed twice counts once, as nova's set intersection.
  for (const uuid of new Set(members)) if (host.instances.has(uuid)) count++;
  return count;
}

function affinityWeigher(
  name: string,
  key: string,
  policy: 'soft-affinity' | 'soft-anti-affinity',
  sign: 1 | -1,
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined },
): HostWeigher {
  const multiplier = multiplierOf(name, options.multiplier, 1.0);
  // -1 * 0 is 0 in Python (ints): never a negative zero.
  const weigh = (host: HostState, request: FilterRequest): number => {
    const n = groupMembersOnHost(host, request, policy);
    return n === 0 ? 0 : sign * n;
  };
  return {
    name,
    multiplier,
    clampRaw: true,
    ...aggregateMultipliers(name, key, multiplier, options.zed ?? {}),
    weigh,
    weighColumns(cols, rows, count, request, out) {
      const group = request.spec.instanceGroup;
      const none = group === undefined || group.policies[0] !== policy;
      for (let j = 0; j < count; j++) {
        out[j] = none ? 0 : weigh(cols.states[rows[j] as number] as HostState, request);
      }
    },
  };
}

/**
 * nova Zed's soft-affinity weigher: raw weight = members of the request's
 * `soft-affinity` group on the host (0 for other requests); each host's
 * multiplier from `soft_affinity_weight_multiplier` in its aggregates'
 * metadata, else the configured one. Not in Liberty.
 * @see nova/scheduler/weights/affinity.py (stable/zed) ServerGroupSoftAffinityWeigher
 */
export function createSoftAffinityWeigher(
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined } = {},
): HostWeigher {
  return affinityWeigher(
    SOFT_AFFINITY_WEIGHER,
    'soft_affinity_weight_multiplier',
    'soft-affinity',
    1,
    options,
  );
}

/**
 * nova Zed's soft-anti-affinity weigher: raw weight = minus the members of
 * the request's `soft-anti-affinity` group on the host (0 for other
 * requests); multiplier as the soft-affinity weigher's, from
 * `soft_anti_affinity_weight_multiplier`. Not in Liberty.
 * @see nova/scheduler/weights/affinity.py (stable/zed) ServerGroupSoftAntiAffinityWeigher
 */
export function createSoftAntiAffinityWeigher(
  options: { multiplier?: number | undefined; zed?: ZedWeighing | undefined } = {},
): HostWeigher {
  return affinityWeigher(
    SOFT_ANTI_AFFINITY_WEIGHER,
    'soft_anti_affinity_weight_multiplier',
    'soft-anti-affinity',
    -1,
    options,
  );
}

/** nova Zed only: the loader accepts it under `[opie] nova_version = zed`. */
export const softAffinityWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: SOFT_AFFINITY_WEIGHER,
  description:
    "Prefers hosts with more members of the request's soft-affinity server group (nova Zed).",
  options: [softAffinityWeightMultiplierOption],
  create: (ctx) =>
    createSoftAffinityWeigher({
      multiplier: ctx.conf.float('filter_scheduler', 'soft_affinity_weight_multiplier'),
      zed: { logger: ctx.runtime.logger },
    }),
};

/** nova Zed only: the loader accepts it under `[opie] nova_version = zed`. */
export const softAntiAffinityWeigherPlugin: WeigherPlugin = {
  kind: 'weigher',
  classPath: SOFT_ANTI_AFFINITY_WEIGHER,
  description:
    "Prefers hosts with fewer members of the request's soft-anti-affinity server group (nova Zed).",
  options: [softAntiAffinityWeightMultiplierOption],
  create: (ctx) =>
    createSoftAntiAffinityWeigher({
      multiplier: ctx.conf.float('filter_scheduler', 'soft_anti_affinity_weight_multiplier'),
      zed: { logger: ctx.runtime.logger },
    }),
};
