import type { FilterPlugin, HostFilter } from '@opie/core';

/**
 * With the `anti-affinity` group policy, fails hosts (by host name, not node)
 * already holding a member of the server group.
 * @see nova/scheduler/filters/affinity_filter.py ServerGroupAntiAffinityFilter
 */
export function createServerGroupAntiAffinityFilter(): HostFilter {
  return {
    name: 'ServerGroupAntiAffinityFilter',
    runFilterOncePerRequest: false,
    dependsOn: 'host',
    passesAll: (request) => !request.groupPolicies.includes('anti-affinity'),
    hostPasses(host, request) {
      if (!request.groupPolicies.includes('anti-affinity')) return true;
      return !request.groupHosts.has(host.host);
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
    dependsOn: 'host',
    passesAll: (request) =>
      !request.groupPolicies.includes('affinity') || request.groupHosts.size === 0,
    hostPasses(host, request) {
      if (!request.groupPolicies.includes('affinity')) return true;
      return request.groupHosts.size === 0 || request.groupHosts.has(host.host);
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
