import type { FilterRequest, HostColumns, HostFilter, HostState } from '@opie/core';
import { OpieError, PluginFailedError } from '@opie/core';
import type { ColumnLimits } from './limits.js';
import type { SchedulingObserver } from './observer.js';

/** Where the filter stage leaves its result: `rows[0..count)`, in input order. */
export interface FilterStageResult {
  count: number;
  /** The filter (or `ignore_hosts`, `force_hosts`, `force_nodes`) that left no host. */
  emptiedBy: string | undefined;
  /** Forced hosts were kept without running any filter. */
  forced: boolean;
  /**
   * The limits the filters that ran write, when every one of them declares
   * what it writes (or has a kernel or key form, which write nothing), so
   * that a host's limits are known from the columns; else `undefined`.
   */
  columnLimits: ColumnLimits | undefined;
}

/**
 * The Filter stage: nova's `get_filtered_hosts` over rows of `cols` — the
 * ignore/force handling, then every filter in order (once-per-request ones
 * only for the first instance; a filter whose `passesAll` holds is skipped),
 * stopping at the first filter that leaves no host. Keeps the passing rows in
 * place. Each filter runs in its fastest declared form: its column kernel,
 * else (`dependsOn`) `hostPasses` once per distinct key with the answer
 * shared by every row of that key, else `hostPasses` per host. A filter that
 * throws is reported as a `PluginFailedError` naming it.
 * @see nova/scheduler/host_manager.py get_filtered_hosts
 * @see nova/filters.py BaseFilterHandler.get_filtered_objects
 */
export function runFilterStage(
  filters: readonly HostFilter[],
  cols: HostColumns,
  rows: Int32Array,
  count: number,
  request: FilterRequest,
  observer?: SchedulingObserver,
): FilterStageResult {
  const { ignoreHosts = [], forceHosts = [], forceNodes = [] } = request.spec;
  const states = cols.states;
  let n = count;
  if (ignoreHosts.length > 0 || forceHosts.length > 0 || forceNodes.length > 0) {
    const keep = (pred: (h: HostState) => boolean, reason: string): void => {
      let kept = 0;
      for (let j = 0; j < n; j++) {
        const i = rows[j] as number;
        if (pred(states[i] as HostState)) rows[kept++] = i;
        else observer?.rejected(request.index, i, reason);
      }
      n = kept;
    };
    if (ignoreHosts.length > 0) {
      const ignored = new Set(ignoreHosts);
      keep((h) => !ignored.has(h.host), 'ignore_hosts');
      if (n === 0)
        return { count: 0, emptiedBy: 'ignore_hosts', forced: false, columnLimits: undefined };
    }
    if (forceHosts.length > 0) {
      const forced = new Set(forceHosts);
      keep((h) => forced.has(h.host), 'force_hosts');
    }
    if (forceNodes.length > 0) {
      const forced = new Set(forceNodes);
      keep((h) => forced.has(h.nodename), 'force_nodes');
    }
    if ((forceHosts.length > 0 || forceNodes.length > 0) && n > 0) {
      return { count: n, emptiedBy: undefined, forced: true, columnLimits: undefined };
    }
  }

  const before = observer !== undefined ? new Int32Array(rows.length) : undefined;
  let limits: ColumnLimits | undefined = {
    diskByFilter: false,
    maxInstances: undefined,
    maxIoOps: undefined,
  };
  for (const filter of filters) {
    if (filter.runFilterOncePerRequest && request.index > 0) continue;
    if (n > 0 && call(filter, 'passesAll', () => filter.passesAll?.(request) === true)) continue;
    if (limits !== undefined) limits = declare(limits, filter);
    if (before !== undefined) before.set(rows.subarray(0, n));
    const kept = call(filter, 'filter', () => applyFilter(filter, cols, rows, n, request));
    if (before !== undefined && observer !== undefined) {
      reportRemoved(observer, request.index, filter.name, before, n, rows, kept);
    }
    n = kept;
    if (n === 0)
      return { count: 0, emptiedBy: filter.name, forced: false, columnLimits: undefined };
  }
  return { count: n, emptiedBy: undefined, forced: false, columnLimits: limits };
}

/** `limits` with what `filter` declares it writes; `undefined` when it may write undeclared limits. */
function declare(limits: ColumnLimits, filter: HostFilter): ColumnLimits | undefined {
  const declarations = filter.limitDeclarations;
  if (declarations === undefined) {
    return filter.filterColumns === undefined && filter.dependsOn === undefined
      ? undefined
      : limits;
  }
  for (const d of declarations) {
    if (d.resource === 'diskGb') limits.diskByFilter = true;
    else if (d.resource === 'numInstances') limits.maxInstances = d.value;
    else if (d.resource === 'ioOps') limits.maxIoOps = d.value;
  }
  return limits;
}

function call<T>(filter: HostFilter, what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    // The opie errors plugins raise on purpose (NoValidHost, ...) pass as they are.
    if (OpieError.isInstance(error)) throw error;
    throw new PluginFailedError(filter.name, `filter (${what})`, error);
  }
}

// Per-key answers, reused across calls: 0 not known yet, 1 passes, 2 fails.
let memo = new Uint8Array(0);

function applyFilter(
  filter: HostFilter,
  cols: HostColumns,
  rows: Int32Array,
  count: number,
  request: FilterRequest,
): number {
  if (filter.filterColumns !== undefined) return filter.filterColumns(cols, rows, count, request);
  const states = cols.states;
  const kind = filter.dependsOn;
  let kept = 0;
  if (kind !== undefined) {
    const keys = cols.key(kind);
    const distinct = cols.keyCount(kind);
    if (memo.length < distinct) memo = new Uint8Array(Math.max(distinct, memo.length * 2));
    memo.fill(0, 0, distinct);
    for (let j = 0; j < count; j++) {
      const i = rows[j] as number;
      const k = keys[i] as number;
      let answer = memo[k] as number;
      if (answer === 0) {
        answer = filter.hostPasses(states[i] as HostState, request) ? 1 : 2;
        memo[k] = answer;
      }
      if (answer === 1) rows[kept++] = i;
    }
    return kept;
  }
  for (let j = 0; j < count; j++) {
    const i = rows[j] as number;
    if (filter.hostPasses(states[i] as HostState, request)) rows[kept++] = i;
  }
  return kept;
}

/** Tells the observer which rows of `before[0..n)` are not in `after[0..kept)` (both in order). */
function reportRemoved(
  observer: SchedulingObserver,
  index: number,
  filter: string,
  before: Int32Array,
  n: number,
  after: Int32Array,
  kept: number,
): void {
  let k = 0;
  for (let j = 0; j < n; j++) {
    const i = before[j] as number;
    if (k < kept && after[k] === i) k++;
    else observer.rejected(index, i, filter);
  }
}
