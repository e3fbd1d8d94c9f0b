import type {
  FilterPlugin,
  FilterRequest,
  HostFilter,
  HostState,
  Logger,
  NovaVersion,
} from '@opie/core';
import { InvalidArgumentError, novaVersionOf, novaVersionOption, silentLogger } from '@opie/core';
import { compileJsonQuery, evaluateJsonQuery } from './json-query.js';
import type { CompiledJsonQuery } from './json-query.js';

const PASS_ALL: CompiledJsonQuery = { ok: true, root: null };

/**
 * Passes hosts that satisfy the `query` scheduler hint, a JSON prefix
 * expression over host attributes: ops `=`, `<`, `>`, `<=`, `>=` (the first
 * argument against every other; false with fewer than two), `in`, `not`
 * (returns a list), `or`, `and`; `$free_ram_mb`, `$stats.key` read the host
 * (nova attribute names); None and `""` arguments are dropped. No hint, or an
 * empty one, passes every host. The query is parsed once per request.
 *
 * Comparisons follow Python 2 (Liberty): mixed kinds do not raise but order
 * numbers < dicts < lists < strings, so `$stats.*` values (strings) are
 * greater than any number; `1 == true`; `'1' != 1`.
 *
 * Differences: where nova raises and aborts the request (bad JSON, an
 * unknown operator, a hint that is a list of several strings), every host
 * fails; a lookup nova would crash on (`$cpu_info.vendor`) fails that host.
 * A one-element list hint is read as its element (as Zed does).
 *
 * Under `novaVersion: 'zed'` comparisons follow Python 3, as nova Zed runs
 * them: values of different kinds (`["<", "$stats.x", 5]` with a string
 * stat, two dicts) raise `TypeError` in nova's `host_passes`, which nova
 * does not catch, so the request fails (no host is chosen). Here the
 * `TypeError` carries Python's message and the scheduler reports it as a
 * `PluginFailedError` naming JsonFilter: the request fails, nothing is
 * claimed. Likewise, where nova raises for the query itself (bad JSON, an
 * unknown operator, several strings) an `InvalidArgumentError` naming
 * `spec.schedulerHints.query` fails the request, and a lookup into a value
 * that is not a dict (`$cpu_info.vendor`) fails it (nova's `AttributeError`).
 * @see nova/scheduler/filters/json_filter.py (stable/zed for Python 3 comparisons)
 */
export function createJsonFilter(
  options: { logger?: Logger; novaVersion?: NovaVersion } = {},
): HostFilter {
  const logger = options.logger ?? silentLogger;
  const python3 = options.novaVersion === 'zed';
  const compiled = new WeakMap<FilterRequest, { hint: unknown; query: CompiledJsonQuery }>();

  function compileHint(hint: string | string[] | undefined): CompiledJsonQuery {
    let text: string | undefined;
    if (Array.isArray(hint)) {
      if (hint.length === 0) return PASS_ALL;
      if (hint.length === 1) text = hint[0];
      else return { ok: false, error: 'the query hint is a list of several values' };
    } else {
      text = hint;
    }
    if (text === undefined || text === '') return PASS_ALL;
    return compileJsonQuery(text);
  }

  function queryOf(request: FilterRequest): CompiledJsonQuery {
    const hint = request.spec.schedulerHints['query'];
    const hit = compiled.get(request);
    if (hit !== undefined && hit.hint === hint) return hit.query;
    const query = compileHint(hint);
    if (!query.ok && python3) {
      // nova Zed raises for such a query (json.loads, commands[cmd]): the request fails.
      throw new InvalidArgumentError(
        'spec.schedulerHints.query',
        hint,
        `a JsonFilter query nova can evaluate (${query.error})`,
      );
    }
    if (!query.ok) logger.warn(`JsonFilter: ${query.error}; every host fails`, { hint });
    compiled.set(request, { hint, query });
    return query;
  }

  return {
    name: 'JsonFilter',
    runFilterOncePerRequest: false,
    hostPasses(host: HostState, request: FilterRequest): boolean {
      return evaluateJsonQuery(queryOf(request), host, { python3 });
    },
  };
}

export const jsonFilterPlugin: FilterPlugin = {
  kind: 'filter',
  classPath: 'nova.scheduler.filters.json_filter.JsonFilter',
  description: 'Passes hosts that satisfy the JSON expression in the query scheduler hint.',
  options: [novaVersionOption],
  create: (ctx) =>
    createJsonFilter({ logger: ctx.runtime.logger, novaVersion: novaVersionOf(ctx.conf) }),
};
