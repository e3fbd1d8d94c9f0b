import type {
  FilterPlugin,
  FilterRequest,
  HostColumns,
  HostFilter,
  HostState,
  NovaVersion,
} from '@opie/core';
import { InvalidArgumentError, novaVersionOf, novaVersionOption } from '@opie/core';

let marks = new Uint8Array(0);

/**
 * Keeps the rows whose host is (`member` true) or is not (false) one of the
 * group's hosts: the names are looked up once in the table's host keys, then
 * each row is one typed-array read.
 */
function keepByGroup(
  cols: HostColumns,
  rows: Int32Array,
  count: number,
  groupHosts: ReadonlySet<string>,
  member: boolean,
): number {
  const distinct = cols.keyCount('host');
  if (marks.length < distinct) marks = new Uint8Array(Math.max(distinct, marks.length * 2));
  marks.fill(0, 0, distinct);
  for (const name of groupHosts) {
    const k = cols.hostKeyOf(name);
    if (k >= 0) marks[k] = 1;
  }
  const keys = cols.key('host');
  let kept = 0;
  for (let j = 0; j < count; j++) {
    const i = rows[j] as number;
    if ((marks[keys[i] as number] === 1) === member) rows[kept++] = i;
  }
  return kept;
}

/** Options of the server-group filters. */
export interface ServerGroupFilterOptions {
  /** `[opie] nova_version` (default `liberty`). */
  novaVersion?: NovaVersion;
}

/** The group's `max_server_per_host` rule (nova Zed), default 1, checked at the door. */
function maxServerPerHost(request: FilterRequest): number {
  const max = request.spec.instanceGroup?.rules?.max_server_per_host;
  if (max === undefined) return 1;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    throw new InvalidArgumentError(
      'spec.instanceGroup.rules.max_server_per_host',
      max,
      'a whole number >= 1 (or no rule: 1)',
    );
  }
  return max;
}

/**
 * nova Zed's rule for one node: the instance being placed passes on the node
 * that already runs it (a move); else the node passes while it holds fewer
 * than `max_server_per_host` members of the group. Members on the node are
 * its instances listed in `instance_group.members`, plus the instances of
 * this request already placed on the node (nova's API makes every new
 * instance a member, and the scheduler adds each chosen one to the node's
 * instances).
 * @see nova/scheduler/filters/affinity_filter.py _GroupAntiAffinityFilter (stable/zed)
 * @see nova/scheduler/manager.py SchedulerManager._consume_selected_host (stable/zed)
 */
function zedAntiAffinityPasses(host: HostState, request: FilterRequest, max: number): boolean {
  const { spec } = request;
  const own = spec.instanceUuids?.[request.index];
  if (own !== undefined && host.instances.has(own)) return true;
  let count = 0;
  for (const uuid of spec.instanceGroup?.members ?? []) if (host.instances.has(uuid)) count++;
  for (const p of request.placements ?? []) {
    if (p.host !== host.host || p.nodename !== host.nodename) continue;
    if (p.uuid !== undefined && host.instances.has(p.uuid)) continue;
    count++;
  }
  return count < max;
}

function createZedServerGroupAntiAffinityFilter(): HostFilter {
  const applies = (request: FilterRequest) => request.groupPolicies.includes('anti-affinity');
  return {
    name: 'ServerGroupAntiAffinityFilter',
    runFilterOncePerRequest: false,
    // Writes no limits (its kernel reads the states, per node).
    limitDeclarations: [],
    passesAll: (request) => !applies(request),
    hostPasses(host, request) {
      if (!applies(request)) return true;
      return zedAntiAffinityPasses(host, request, maxServerPerHost(request));
    },
    filterColumns(cols, rows, count, request) {
      if (!applies(request)) return count;
      const max = maxServerPerHost(request);
      const states = cols.states;
      let kept = 0;
      for (let j = 0; j < count; j++) {
        const i = rows[j] as number;
        if (zedAntiAffinityPasses(states[i] as HostState, request, max)) rows[kept++] = i;
      }
      return kept;
    },
  };
}

/**
 * With the `anti-affinity` group policy, fails hosts (by host name, not node)
 * already holding a member of the server group. Under `novaVersion: 'zed'`,
 * nova Zed's rule instead: members are counted per node against the group's
 * `max_server_per_host` rule, and the instance's own current node passes.
 * @see nova/scheduler/filters/affinity_filter.py ServerGroupAntiAffinityFilter
 */
export function createServerGroupAntiAffinityFilter(
  options: ServerGroupFilterOptions = {},
): HostFilter {
  if (options.novaVersion === 'zed') return createZedServerGroupAntiAffinityFilter();
  return {
    name: 'ServerGroupAntiAffinityFilter',
    runFilterOncePerRequest: false,
    passesAll: (request) => !request.groupPolicies.includes('anti-affinity'),
    hostPasses(host, request) {
      if (!request.groupPolicies.includes('anti-affinity')) return true;
      return !request.groupHosts.has(host.host);
    },
    filterColumns(cols, rows, count, request) {
      if (!request.groupPolicies.includes('anti-affinity')) return count;
      return keepByGroup(cols, rows, count, request.groupHosts, false);
    },
  };
}

/**
 * With the `affinity` group policy, passes only hosts (by host name) already
 * holding a member of the server group; passes every host while the group has
 * none. nova Zed keeps this rule (its `instance_group.policies` and `hosts`).
 * @see nova/scheduler/filters/affinity_filter.py ServerGroupAffinityFilter
 */
export function createServerGroupAffinityFilter(): HostFilter {
  return {
    name: 'ServerGroupAffinityFilter',
    runFilterOncePerRequest: false,
    passesAll: (request) =>
      !request.groupPolicies.includes('affinity') || request.groupHosts.size === 0,
    hostPasses(host, request) {
      if (!request.groupPolicies.includes('affinity')) return true;
      return request.groupHosts.size === 0 || request.groupHosts.has(host.host);
    },
    filterColumns(cols, rows, count, request) {
      if (!request.groupPolicies.includes('affinity') || request.groupHosts.size === 0) {
        return count;
      }
      return keepByGroup(cols, rows, count, request.groupHosts, true);
    },
  };
}

export const serverGroupAntiAffinityFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.affinity_filter.ServerGroupAntiAffinityFilter',
  description:
    "Anti-affinity policy: fails hosts already running a member of the request's group " +
    '(nova Zed: per node, up to the max_server_per_host rule).',
  options: [novaVersionOption],
  create: (ctx) => createServerGroupAntiAffinityFilter({ novaVersion: novaVersionOf(ctx.conf) }),
};

export const serverGroupAffinityFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.affinity_filter.ServerGroupAffinityFilter',
  description:
    "Affinity policy: passes only hosts already running a member of the request's group.",
  create: () => createServerGroupAffinityFilter(),
};
