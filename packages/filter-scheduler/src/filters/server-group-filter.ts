import type { FilterPlugin, HostColumns, HostFilter } from '@opie/core';

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

/**
 * With the `anti-affinity` group policy, fails hosts (by host name, not node)
 * already holding a member of the server group.
 * @see nova/scheduler/filters/affinity_filter.py ServerGroupAntiAffinityFilter
 */
export function createServerGroupAntiAffinityFilter(): HostFilter {
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
 * holding a member of the server group; passes every host while the group has none.
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
  description: "Anti-affinity policy: fails hosts already running a member of the request's group.",
  create: () => createServerGroupAntiAffinityFilter(),
};

export const serverGroupAffinityFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.affinity_filter.ServerGroupAffinityFilter',
  description:
    "Affinity policy: passes only hosts already running a member of the request's group.",
  create: () => createServerGroupAffinityFilter(),
};
