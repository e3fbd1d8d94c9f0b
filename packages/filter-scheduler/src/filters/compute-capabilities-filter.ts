import type { FilterPlugin, FilterRequest, HostFilter, HostState, NovaVersion } from '@opie/core';
import { novaVersionOf, novaVersionOption, parsePythonInt } from '@opie/core';
import { compileExtraSpec } from './extra-specs-ops.js';
import type { ExtraSpecMatcher } from './extra-specs-ops.js';
import {
  isNovaFloatAttribute,
  novaHostAttribute,
  novaHostAttributeNames,
} from './host-attributes.js';
import { pyFloatStr, pyStr } from './python-values.js';
import { requestMemo } from './request-memo.js';

/** One extra spec the filter checks: the attribute path and its requirement. */
interface Capability {
  scope: readonly string[];
  match: ExtraSpecMatcher;
  /** An un-namespaced key (`free_ram_mb`, not `capabilities:free_ram_mb`). */
  bare: boolean;
}

/**
 * nova Zed's HostState attribute names (`hasattr(host_state, key)`): the ones
 * opie's HostState has, `disk_allocation_ratio` and `failed_builds` (read
 * here), and those opie does not model (`uuid`, `pci_stats`,
 * `numa_topology`, `cell_uuid`), whose value is taken as None: such a key is
 * checked (not ignored) and found only in `stats`. Method names are not listed.
 * @see nova/scheduler/host_manager.py HostState.__init__ (stable/zed)
 */
const ZED_HOST_ATTRIBUTES: ReadonlySet<string> = new Set([
  ...novaHostAttributeNames,
  'disk_allocation_ratio',
  'uuid',
  'pci_stats',
  'numa_topology',
  'failed_builds',
  'cell_uuid',
]);

/**
 * The extra specs that name capabilities. A key is split on every `:`; a
 * namespaced key counts only in the `capabilities` namespace, which is
 * dropped; an un-namespaced key counts too (Liberty; see the filter's note).
 */
function compileCapabilities(extraSpecs: Readonly<Record<string, string>>): readonly Capability[] {
  const caps: Capability[] = [];
  for (const [key, req] of Object.entries(extraSpecs)) {
    const scope = key.split(':');
    if (scope.length > 1) {
      if (scope[0] !== 'capabilities') continue;
      scope.shift();
    }
    caps.push({
      scope,
      match: compileExtraSpec(req),
      bare: scope.length === 1 && !key.includes(':'),
    });
  }
  return caps;
}

/**
 * nova Zed's HostState attributes opie adds to Liberty's: `disk_allocation_ratio`
 * and `failed_builds` (`int(stats.get('failed_builds', 0))`, 0 when unparsable).
 */
function zedHostAttribute(host: HostState, name: string): unknown {
  if (name === 'disk_allocation_ratio') return host.diskAllocationRatio;
  if (name === 'failed_builds') {
    const raw = Object.prototype.hasOwnProperty.call(host.stats, name) ? host.stats[name] : '0';
    return parsePythonInt(String(raw)) ?? 0;
  }
  return novaHostAttribute(host, name);
}

/** Bounded cache of parsed JSON strings (cpu_info is often identical across hosts). */
const jsonCache = new Map<string, { ok: boolean; value: unknown }>();
const JSON_CACHE_MAX = 512;

function parseJson(text: string): { ok: boolean; value: unknown } {
  let hit = jsonCache.get(text);
  if (hit === undefined) {
    try {
      hit = { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      hit = { ok: false, value: undefined };
    }
    if (jsonCache.size >= JSON_CACHE_MAX) jsonCache.clear();
    jsonCache.set(text, hit);
  }
  return hit;
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MISSING = Symbol('missing');

/**
 * Walks `scope` from the host state, like nova's `_get_capabilities`: a string
 * met before a further step is parsed as JSON; a dict is indexed; the host
 * state gives its attribute, or its `stats` entry when the attribute is None.
 * Anything else, a None on the way, or bad JSON ends the walk with MISSING.
 */
function resolve(host: HostState, scope: readonly string[], zed: boolean): unknown {
  let cap: unknown = host;
  for (let i = 0; i < scope.length; i++) {
    const part = scope[i] as string;
    if (i === 0) {
      // nova Zed's HostState also has the node's disk ratio and failed_builds (from stats).
      cap = zed ? zedHostAttribute(host, part) : novaHostAttribute(host, part);
      if (cap === undefined) {
        cap = Object.prototype.hasOwnProperty.call(host.stats, part) ? host.stats[part] : undefined;
      }
    } else {
      if (typeof cap === 'string') {
        const parsed = parseJson(cap);
        if (!parsed.ok) return MISSING;
        cap = parsed.value;
      }
      // Python: a non-dict has no such attribute and no `.stats`: AttributeError.
      if (!isDict(cap)) return MISSING;
      cap = Object.prototype.hasOwnProperty.call(cap, part) ? cap[part] : undefined;
    }
    if (cap === undefined || cap === null) return MISSING;
  }
  return cap;
}

/** `str(cap)`, with nova's float attributes printed as floats (`16.0`). */
function capabilityString(scope: readonly string[], value: unknown): string {
  const first = scope[0] as string;
  const isFloat = isNovaFloatAttribute(first) || first === 'disk_allocation_ratio';
  if (typeof value === 'number' && scope.length === 1 && isFloat) {
    return pyFloatStr(value);
  }
  return pyStr(value);
}

/**
 * Passes hosts whose capabilities satisfy every capability extra spec of the
 * flavor (`capabilities:cpu_info:features` = `<in> aes`, `free_ram_mb` =
 * `>= 300`). The value is found on the host state (nova attribute names,
 * JSON strings such as `cpu_info` parsed when walked into, `stats` as the
 * fallback), converted with Python's `str()` and matched with the extra-spec
 * operators. A value that cannot be found fails the host.
 *
 * Liberty quirk kept: an un-namespaced key that names neither a host
 * attribute nor a stats key (e.g. `hw_rng:allowed` is namespaced and ignored,
 * but a bare `foo`) fails every host; Mitaka and later ignore it, and so does
 * this filter under `novaVersion: 'zed'` (per host: a key in one host's
 * `stats` is checked on that host). Zed also reads `disk_allocation_ratio`.
 * `str()` of lists and dicts follows Python 3 (`['a', 'b']`, no `u''`
 * prefixes; dicts in insertion order); integral JSON floats print as ints.
 * @see nova/scheduler/filters/compute_capabilities_filter.py (stable/zed for the zed rule)
 */
export function createComputeCapabilitiesFilter(
  options: { novaVersion?: NovaVersion } = {},
): HostFilter {
  const zed = options.novaVersion === 'zed';
  // Compiled once per request.
  const capabilitiesOf = requestMemo((r) => r.spec.flavor.extraSpecs, compileCapabilities);
  return {
    name: 'ComputeCapabilitiesFilter',
    runFilterOncePerRequest: true,
    passesAll: (request) => capabilitiesOf(request).length === 0,
    hostPasses(host: HostState, request: FilterRequest): boolean {
      const caps = capabilitiesOf(request);
      for (const cap of caps) {
        // Zed: a bare key that is neither an attribute nor a stats key is ignored.
        if (zed && cap.bare) {
          const key = cap.scope[0] as string;
          if (
            !ZED_HOST_ATTRIBUTES.has(key) &&
            !Object.prototype.hasOwnProperty.call(host.stats, key)
          ) {
            continue;
          }
        }
        const value = resolve(host, cap.scope, zed);
        if (value === MISSING) return false;
        if (!cap.match(capabilityString(cap.scope, value))) return false;
      }
      return true;
    },
  };
}

export const computeCapabilitiesFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.compute_capabilities_filter.ComputeCapabilitiesFilter',
  description:
    "Passes hosts whose capabilities (host state attributes, stats, cpu_info) satisfy the flavor's capabilities extra specs.",
  options: [novaVersionOption],
  create: (ctx) => createComputeCapabilitiesFilter({ novaVersion: novaVersionOf(ctx.conf) }),
};
