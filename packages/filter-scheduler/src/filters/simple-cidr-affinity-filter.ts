import type { FilterPlugin, HostFilter, SchedulerHints } from '@opie/core';
import type { IpNetwork } from './ip-network.js';
import { ipNetworkContains, parseIpNetwork } from './ip-network.js';

type HintValue = string | string[] | undefined;

/** A hint as one string: a one-element list is unwrapped; other lists give `null` (malformed). */
function single(value: string | string[]): string | null {
  if (typeof value === 'string') return value;
  return value.length === 1 ? (value[0] ?? null) : null;
}

/** The network `build_near_host_ip + cidr` names, or `undefined` when malformed. */
function hintedNetwork(ipHint: string | string[], cidrHint: HintValue): IpNetwork | undefined {
  const ip = single(ipHint);
  const cidr = cidrHint === undefined ? '/24' : single(cidrHint);
  if (ip === null || cidr === null) return undefined;
  return parseIpNetwork(ip + cidr);
}

/**
 * Passes hosts whose `hostIp` is in the network `build_near_host_ip + cidr`
 * (hint `cidr` defaults to `/24`; IPv4 or IPv6); passes everything without
 * `build_near_host_ip`. One-element list hints are unwrapped (as nova Mitaka+
 * does). A malformed address, network or host IP fails the host (nova raises
 * and the request errors). The network is parsed once per request.
 * @see nova/scheduler/filters/affinity_filter.py SimpleCIDRAffinityFilter
 */
export function createSimpleCidrAffinityFilter(): HostFilter {
  let lastIp: HintValue;
  let lastCidr: HintValue;
  let lastNetwork: IpNetwork | undefined;
  return {
    name: 'SimpleCIDRAffinityFilter',
    runFilterOncePerRequest: true,
    hostPasses(host, request) {
      const hints: SchedulerHints | undefined = request.spec.schedulerHints;
      const ipHint = hints?.['build_near_host_ip'];
      if (ipHint === undefined || ipHint.length === 0) return true;
      const cidrHint = hints?.['cidr'];
      if (ipHint !== lastIp || cidrHint !== lastCidr) {
        lastIp = ipHint;
        lastCidr = cidrHint;
        lastNetwork = hintedNetwork(ipHint, cidrHint);
      }
      if (lastNetwork === undefined || host.hostIp === undefined) return false;
      return ipNetworkContains(lastNetwork, host.hostIp);
    },
  };
}

export const simpleCidrAffinityFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.affinity_filter.SimpleCIDRAffinityFilter',
  description:
    'Passes hosts whose IP is in the network of the build_near_host_ip and cidr scheduler hints.',
  create: () => createSimpleCidrAffinityFilter(),
};
