import type { FilterPlugin, FilterRequest, HostFilter, HostState } from '@opie/core';
import { compileExtraSpec } from './extra-specs-ops.js';
import type { ExtraSpecMatcher } from './extra-specs-ops.js';
import { ownValue } from './own-value.js';

const SCOPE = 'aggregate_instance_extra_specs';

interface AggregateSpec {
  key: string;
  match: ExtraSpecMatcher;
}

const compiled = new WeakMap<
  FilterRequest,
  { extraSpecs: Readonly<Record<string, string>>; specs: readonly AggregateSpec[] }
>();

/**
 * The extra specs this filter checks, compiled once per request: a key is
 * split at its first `:`; only the `aggregate_instance_extra_specs`
 * namespace (dropped) and un-namespaced keys count.
 */
function specsOf(request: FilterRequest): readonly AggregateSpec[] {
  const extraSpecs = request.spec.flavor.extraSpecs;
  const hit = compiled.get(request);
  if (hit !== undefined && hit.extraSpecs === extraSpecs) return hit.specs;
  const specs: AggregateSpec[] = [];
  for (const [rawKey, req] of Object.entries(extraSpecs)) {
    let key = rawKey;
    const colon = rawKey.indexOf(':');
    if (colon >= 0) {
      if (rawKey.slice(0, colon) !== SCOPE) continue;
      key = rawKey.slice(colon + 1);
    }
    specs.push({ key, match: compileExtraSpec(req) });
  }
  compiled.set(request, { extraSpecs, specs });
  return specs;
}

/**
 * Whether some value of `key` in the host's aggregates (values split on `,`
 * and stripped) matches; false when no aggregate has the key.
 */
function aggregateMatch(host: HostState, spec: AggregateSpec): boolean {
  for (const agg of host.aggregates) {
    const raw = ownValue(agg.metadata, spec.key);
    if (raw === undefined) continue;
    for (const piece of raw.split(',')) if (spec.match(piece.trim())) return true;
  }
  return false;
}

/**
 * Passes hosts whose aggregate metadata satisfies every extra spec of the
 * flavor that is un-namespaced or in the `aggregate_instance_extra_specs:`
 * namespace, with the extra-spec operators (`=`, `s==`, `<in>`, `<or>`, ...).
 * A key no aggregate of the host has fails the host; otherwise one of its
 * values (comma-separated values count one by one) must match.
 * @see nova/scheduler/filters/aggregate_instance_extra_specs.py
 */
export function createAggregateInstanceExtraSpecsFilter(): HostFilter {
  return {
    name: 'AggregateInstanceExtraSpecsFilter',
    runFilterOncePerRequest: true,
    dependsOn: 'aggregates',
    passesAll: (request) => specsOf(request).length === 0,
    hostPasses(host: HostState, request: FilterRequest): boolean {
      for (const spec of specsOf(request)) {
        if (!aggregateMatch(host, spec)) return false;
      }
      return true;
    },
  };
}

export const aggregateInstanceExtraSpecsFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath:
    'nova.scheduler.filters.aggregate_instance_extra_specs.AggregateInstanceExtraSpecsFilter',
  description:
    "Passes hosts whose aggregate metadata matches the flavor's un-namespaced and aggregate_instance_extra_specs: extra specs.",
  create: () => createAggregateInstanceExtraSpecsFilter(),
};
