import type { FilterRequest, HostFilter, HostState, Logger } from '@opie/core';
import { requestMemo } from './request-memo.js';

/**
 * Builds a filter for a nova feature opie does not model (NUMA cells, PCI
 * devices): it passes every host for a request without such needs, and fails
 * every host (logging once per request why, naming the filter and what is not
 * modelled) for a request with them, so the request ends in NoValidHost.
 * @param needs what the request asks for that is not modelled, e.g.
 *   `flavor extra spec hw:numa_nodes=2`; empty when it asks for nothing
 */
export function unmodelledNeedsFilter(
  name: string,
  notModelled: string,
  needs: (request: FilterRequest) => readonly string[],
  logger: Logger,
): HostFilter {
  const fails = requestMemo(
    (r) => r,
    (r) => {
      const found = needs(r);
      if (found.length === 0) return false;
      logger.warn(
        `${name}: the request asks for ${found.join(', ')}, but opie does not model ${notModelled}; every host fails`,
        { filter: name, needs: [...found] },
      );
      return true;
    },
  );
  return {
    name,
    // nova's NUMATopologyFilter and PciPassthroughFilter run for every instance.
    runFilterOncePerRequest: false,
    passesAll: (request) => !fails(request),
    hostPasses: (_host: HostState, request: FilterRequest) => !fails(request),
    filterAll: (_hosts, count, request) => (fails(request) ? 0 : count),
  };
}

/** `key=value` of every entry of `record` whose key `matches`, in key order. */
export function matchingEntries(
  what: string,
  record: Readonly<Record<string, unknown>>,
  matches: (key: string, value: unknown) => boolean,
): string[] {
  return Object.keys(record)
    .filter((key) => matches(key, record[key]))
    .sort()
    .map((key) => `${what} ${key}=${String(record[key])}`);
}
